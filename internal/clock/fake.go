package clock

import (
	"slices"
	"sync"
	"time"
)

// Fake is a Clock that moves only when told: Advance moves both clocks and
// fires the timers that come due, in order; Jump moves the wall clock alone,
// as NTP or a resumed VM does. It is safe for concurrent use.
type Fake struct {
	mu      sync.Mutex
	wall    time.Time
	mono    time.Duration
	waiters []*fakeTimer
}

// NewFake returns a clock that reads now.
func NewFake(now time.Time) *Fake { return &Fake{wall: now} }

func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.wall
}

func (f *Fake) Mono() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mono
}

// Advance moves time on by d, firing every timer and ticker that comes due
// on the way, each at its own instant, earliest first.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	end := f.mono + d
	for {
		var due *fakeTimer
		for _, w := range f.waiters {
			if w.at <= end && (due == nil || w.at < due.at) {
				due = w
			}
		}
		if due == nil {
			break
		}
		f.wall = f.wall.Add(due.at - f.mono)
		f.mono = due.at
		select {
		case due.c <- f.wall:
		default: // the last tick was not taken yet: drop this one, as time.Ticker does
		}
		if due.every > 0 {
			due.at += due.every
		} else {
			f.remove(due)
		}
	}
	f.wall = f.wall.Add(end - f.mono)
	f.mono = end
}

// AdvanceTo moves time on to the wall-clock instant t (if it is ahead).
func (f *Fake) AdvanceTo(t time.Time) {
	if d := t.Sub(f.Now()); d > 0 {
		f.Advance(d)
	}
}

// Jump moves the wall clock by d and leaves the monotonic clock and the
// timers where they are.
func (f *Fake) Jump(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wall = f.wall.Add(d)
}

// Timers says how many timers and tickers are waiting: a test can wait for
// the code under test to set the one it expects.
func (f *Fake) Timers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// Next says when, on the wall clock, the earliest waiting timer fires.
func (f *Fake) Next() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var at time.Duration = -1
	for _, w := range f.waiters {
		if at < 0 || w.at < at {
			at = w.at
		}
	}
	if at < 0 {
		return time.Time{}, false
	}
	return f.wall.Add(at - f.mono), true
}

func (f *Fake) remove(t *fakeTimer) {
	f.waiters = slices.DeleteFunc(f.waiters, func(w *fakeTimer) bool { return w == t })
}

func (f *Fake) add(d, every time.Duration) *fakeTimer {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := &fakeTimer{f: f, c: make(chan time.Time, 1), every: every}
	t.arm(d)
	return t
}

// arm sets the timer to fire d from now: at once when d is not positive,
// as time.Timer does. f.mu is held.
func (t *fakeTimer) arm(d time.Duration) {
	t.at = t.f.mono + d
	if d <= 0 && t.every == 0 {
		t.c <- t.f.wall // the channel is empty: a new timer, or drained
		return
	}
	t.f.waiters = append(t.f.waiters, t)
}

func (f *Fake) NewTimer(d time.Duration) Timer   { return f.add(d, 0) }
func (f *Fake) NewTicker(d time.Duration) Ticker { return tickerOf{f.add(d, d)} }

type fakeTimer struct {
	f     *Fake
	c     chan time.Time
	at    time.Duration
	every time.Duration
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

// Stop and Reset leave nothing to receive in C, as time.Timer's do since
// Go 1.23.
func (t *fakeTimer) Stop() bool {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	t.drain()
	n := len(t.f.waiters)
	t.f.remove(t)
	return len(t.f.waiters) < n
}

func (t *fakeTimer) Reset(d time.Duration) {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	t.drain()
	t.f.remove(t)
	t.arm(d)
}

// tickerOf is a ticker: a timer that re-arms, whose Stop has no result.
type tickerOf struct{ *fakeTimer }

func (t tickerOf) Stop() { t.fakeTimer.Stop() }

func (t *fakeTimer) drain() {
	select {
	case <-t.c:
	default:
	}
}
