package clock

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 29, 13, 0, 0, 0, time.UTC)

// fired is what a channel holds now, without waiting.
func fired(c <-chan time.Time) (time.Time, bool) {
	select {
	case t := <-c:
		return t, true
	default:
		return time.Time{}, false
	}
}

func TestFakeTimer(t *testing.T) {
	f := NewFake(t0)
	tm := f.NewTimer(10 * time.Second)
	f.Advance(9 * time.Second)
	if _, ok := fired(tm.C()); ok {
		t.Fatal("fired early")
	}
	f.Advance(time.Second)
	if at, ok := fired(tm.C()); !ok || !at.Equal(t0.Add(10*time.Second)) {
		t.Fatalf("fired %v at %s, want at +10s", ok, at)
	}
	if f.Timers() != 0 {
		t.Errorf("a fired timer still waits")
	}
	// Reset and Stop leave nothing to receive.
	tm.Reset(time.Second)
	f.Advance(time.Second)
	tm.Reset(time.Second)
	if _, ok := fired(tm.C()); ok {
		t.Error("a value survived Reset")
	}
	if !tm.Stop() || tm.Stop() {
		t.Error("Stop: want true for a waiting timer, then false")
	}
	f.Advance(time.Hour)
	if _, ok := fired(tm.C()); ok {
		t.Error("a stopped timer fired")
	}
}

// TestFakeTimerDue: a timer set for now or the past fires at once, as
// time.Timer's does, without waiting for the clock to move.
func TestFakeTimerDue(t *testing.T) {
	f := NewFake(t0)
	if _, ok := fired(f.NewTimer(0).C()); !ok {
		t.Error("NewTimer(0) did not fire")
	}
	tm := f.NewTimer(time.Hour)
	tm.Reset(-time.Second)
	if at, ok := fired(tm.C()); !ok || !at.Equal(t0) {
		t.Errorf("Reset(-1s): fired %v at %s", ok, at)
	}
	if f.Timers() != 0 {
		t.Errorf("%d timers wait", f.Timers())
	}
}

func TestFakeTickerAndOrder(t *testing.T) {
	f := NewFake(t0)
	tick := f.NewTicker(2 * time.Second)
	defer tick.Stop()
	var got []time.Duration
	late := f.NewTimer(3 * time.Second)
	// Advance fires each in turn at its own instant: the tick at 2s is
	// sent before the timer at 3s; the tick at 4s finds the channel full
	// and is dropped, as time.Ticker drops ticks.
	f.Advance(5 * time.Second)
	if at, ok := fired(tick.C()); ok {
		got = append(got, at.Sub(t0))
	}
	if at, ok := fired(late.C()); ok {
		got = append(got, at.Sub(t0))
	}
	if len(got) != 2 || got[0] != 2*time.Second || got[1] != 3*time.Second {
		t.Errorf("fired at %v, want [2s 3s]", got)
	}
	f.Advance(time.Second)
	if at, ok := fired(tick.C()); !ok || at.Sub(t0) != 6*time.Second {
		t.Errorf("the next tick at %v, want 6s", at.Sub(t0))
	}
}

func TestFakeJump(t *testing.T) {
	f := NewFake(t0)
	tm := f.NewTimer(time.Minute)
	m := f.Mono()
	f.Jump(6 * time.Hour)
	if f.Mono() != m || !f.Now().Equal(t0.Add(6*time.Hour)) {
		t.Errorf("after a jump: mono moved %s, now %s", f.Mono()-m, f.Now())
	}
	if _, ok := fired(tm.C()); ok {
		t.Error("a jump of the wall clock fired a timer")
	}
	if next, _ := f.Next(); !next.Equal(t0.Add(6*time.Hour + time.Minute)) {
		t.Errorf("Next = %s", next)
	}
	f.AdvanceTo(t0.Add(6*time.Hour + time.Minute))
	if _, ok := fired(tm.C()); !ok {
		t.Error("the timer did not fire a minute of monotonic time on")
	}
}

// TestSystem: the system clock, shifted, reads the shifted time and counts
// real time on its timers.
func TestSystem(t *testing.T) {
	c := System(-24 * time.Hour)
	if d := time.Since(c.Now()); d < 24*time.Hour-time.Second || d > 24*time.Hour+time.Second {
		t.Errorf("shifted by %s, want 24h", d)
	}
	m := c.Mono()
	tm := c.NewTimer(time.Millisecond)
	<-tm.C()
	if c.Mono()-m < time.Millisecond {
		t.Error("the monotonic clock did not move")
	}
}
