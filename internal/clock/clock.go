// Package clock is the service's time: the wall clock the station's
// schedule is read against, a monotonic clock that says how much time
// really passed, and timers. The service takes a Clock rather than calling
// time.Now, in the manner of tailscale's tstime, so that its tests move
// time (Fake) instead of waiting for it.
package clock

import "time"

// Clock is a source of time.
type Clock interface {
	// Now is the wall clock: what the station's schedule is read against.
	// It can jump (NTP, a resumed VM).
	Now() time.Time
	// Mono reads a clock that never jumps: only the difference between two
	// readings means anything. Comparing it with Now tells a jump.
	Mono() time.Duration
	// NewTimer fires once, after d of monotonic time.
	NewTimer(d time.Duration) Timer
	// NewTicker fires every d of monotonic time.
	NewTicker(d time.Duration) Ticker
}

// Timer is a time.Timer.
type Timer interface {
	C() <-chan time.Time
	// Stop prevents the timer from firing (a value already sent stays in C).
	Stop() bool
	// Reset stops the timer and makes it fire after d.
	Reset(d time.Duration)
}

// Ticker is a time.Ticker.
type Ticker interface {
	C() <-chan time.Time
	Stop()
}

// System is the machine's clock, shifted by offset (zero: the machine's
// own time). onair serve --at runs on a shifted clock.
func System(offset time.Duration) Clock {
	return &system{offset: offset, origin: time.Now()}
}

type system struct {
	offset time.Duration
	origin time.Time
}

func (s *system) Now() time.Time                   { return time.Now().Add(s.offset) }
func (s *system) Mono() time.Duration              { return time.Since(s.origin) }
func (s *system) NewTimer(d time.Duration) Timer   { return sysTimer{time.NewTimer(d)} }
func (s *system) NewTicker(d time.Duration) Ticker { return sysTicker{time.NewTicker(d)} }

type sysTimer struct{ t *time.Timer }

func (t sysTimer) C() <-chan time.Time   { return t.t.C }
func (t sysTimer) Stop() bool            { return t.t.Stop() }
func (t sysTimer) Reset(d time.Duration) { t.t.Reset(d) }

type sysTicker struct{ t *time.Ticker }

func (t sysTicker) C() <-chan time.Time { return t.t.C }
func (t sysTicker) Stop()               { t.t.Stop() }
