package lease

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/testpg"
)

type replica struct {
	l      *Lease
	cancel context.CancelFunc
	done   chan struct{}
}

func start(t *testing.T, url string, key int64) *replica {
	return startOn(t, url, key, clock.System(0))
}

// startOn starts a replica whose clock is clk.
func startOn(t *testing.T, url string, key int64, clk clock.Clock) *replica {
	ctx, cancel := context.WithCancel(context.Background())
	r := &replica{l: New(url, key, clk, nil), cancel: cancel, done: make(chan struct{})}
	go func() { r.l.Run(ctx); close(r.done) }()
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { cancel(); <-r.done }) })
	return r
}

func (r *replica) stop() { r.cancel(); <-r.done }

func TestMain(m *testing.M) { os.Exit(testpg.Run(m)) }

func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// step moves the fake clock to its earliest timer, unless done holds
// first, once every running
// replica waits: its loop on its timer, and a leader's watchdog on its
// Hold (its timer set from its last check). The replicas' work with the
// database runs in real time between steps, so a busy machine slows the
// test, not its bounds.
func step(t *testing.T, clk *clock.Fake, rs []*replica, what string, done func() bool) {
	t.Helper()
	want := func() int {
		n := 0
		for _, r := range rs {
			select {
			case <-r.done:
				continue
			default:
			}
			n++
			if r.l.State().Leader {
				n++
			}
		}
		return n
	}
	// The same count three times running: no replica is between its
	// timer firing and setting the next.
	same := 0
	waitFor(t, fmt.Sprintf("the replicas wait on their timers (%s)", what), 30*time.Second, func() bool {
		if done() {
			return true
		}
		if clk.Timers() == want() {
			same++
		} else {
			same = 0
		}
		return same >= 3
	})
	if done() {
		return
	}
	next, _ := clk.Next()
	clk.AdvanceTo(next)
}

// drive steps the clock until cond holds, and fails when within passes
// on clk first; it says how long cond took on clk.
func drive(t *testing.T, clk *clock.Fake, rs []*replica, what string, within time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := clk.Mono()
	for !cond() {
		if clk.Mono()-start > within {
			t.Fatalf("not within %s: %s", within, what)
		}
		step(t, clk, rs, what, cond)
	}
	return clk.Mono() - start
}

// driveFor steps the clock until d has passed on it.
func driveFor(t *testing.T, clk *clock.Fake, rs []*replica, d time.Duration) {
	t.Helper()
	for end := clk.Mono() + d; clk.Mono() < end; {
		step(t, clk, rs, fmt.Sprintf("%s of the clock", d), func() bool { return false })
	}
}

// TestOneLeader: of two replicas one leads; when it stops, or its session
// is killed, or another generation takes over, it stops leading, and the
// other leads, in a new generation, within the retry. On the fake clock
// (drive): each bound is exact, however busy the machine; TestNoOverlap
// is the real clock's.
func TestOneLeader(t *testing.T) {
	url := testpg.Start(t)
	key := Key("Test Radio")
	clk := clock.NewFake(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC))
	a := startOn(t, url, key, clk)
	waitFor(t, "a leads", 30*time.Second, func() bool { return a.l.State().Leader })
	b := startOn(t, url, key, clk)
	// Two of b's retries, and a's checks between them.
	driveFor(t, clk, []*replica{a, b}, 2*Retry+time.Second)
	if b.l.State().Leader || b.l.State().Taking {
		t.Fatal("two leaders")
	}
	if a.l.State().Generation != 1 {
		t.Errorf("generation %d", a.l.State().Generation)
	}
	// The server gives up on a silent leader within about five seconds:
	// what its session is set to.
	a.l.mu.Lock()
	for setting, want := range map[string]string{"tcp_keepalives_idle": "2", "tcp_keepalives_interval": "1", "tcp_keepalives_count": "3", "tcp_user_timeout": "5000"} {
		var got string
		if err := a.l.conn.QueryRow(context.Background(), "SHOW "+setting).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", setting, got, err, want)
		}
	}
	a.l.mu.Unlock()

	// a stops in order: b takes over in generation 2, at its next retry,
	// without waiting Grace (a's acts are over).
	a.stop()
	took := drive(t, clk, []*replica{a, b}, "b leads", Retry, func() bool { return b.l.State().Leader })
	t.Logf("after a stopped, b led in %.2f s", took.Seconds())
	if g := b.l.State().Generation; g != 2 {
		t.Errorf("generation %d, want 2", g)
	}

	// b's session is killed (as a lost connection would be): b stops
	// leading at its next check, and c leads.
	c := startOn(t, url, key, clk)
	waitFor(t, "c tried once", 30*time.Second, func() bool { return clk.Timers() == 3 })
	admin, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	was := b.l.State()
	killed := clk.Mono()
	if _, err := admin.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	// b notices at its next check (and may take the free lock again at
	// once, in a new generation: then c stays a standby).
	drive(t, clk, []*replica{b, c}, "b notices", check, func() bool { return b.l.State().Changes > was.Changes })
	t.Logf("b knew it had lost %.2f s after its session was killed", (clk.Mono() - killed).Seconds())
	drive(t, clk, []*replica{b, c}, "b or c leads again, in a new generation", Takeover, func() bool {
		return (b.l.State().Leader && b.l.State().Generation > was.Generation) || c.l.State().Leader
	})
	if since := clk.Mono() - killed; since < Grace {
		t.Errorf("led again %s after b's session was killed: sooner than Grace (%s)", since, Grace)
	}
	if b.l.State().Leader && c.l.State().Leader {
		t.Fatal("two leaders")
	}

	// Fencing: a generation the leader does not hold means stop.
	leader := b
	if c.l.State().Leader {
		leader = c
	}
	if err := leader.l.Fence(context.Background()); err != nil {
		t.Fatalf("the leader's fence: %v", err)
	}
	before := leader.l.State()
	if _, err := admin.Exec(context.Background(), `UPDATE onair_lease SET generation = generation + 1 WHERE key = $1`, key); err != nil {
		t.Fatal(err)
	}
	if err := leader.l.Fence(context.Background()); err == nil {
		t.Fatal("a leader whose generation was taken still passes its fence")
	}
	// It steps down at its next check (and, the lock being free, may
	// take it again at once, in a new generation).
	drive(t, clk, []*replica{b, c}, "the fenced leader steps down", check, func() bool {
		s := leader.l.State()
		return s.Changes > before.Changes && (!s.Leader || s.Generation > before.Generation+1)
	})
}

// TestNoOverlap: the leader's network goes silent (its session is ended
// by the database, freeing the lock, and it hears nothing of it). Another
// replica takes the lock at once, but leads only after the silent one's
// acts were cut off: two leaders never act at once.
func TestNoOverlap(t *testing.T) {
	url := testpg.Start(t)
	proxied, freeze := testpg.Proxy(t, url)
	key := Key("Test Radio")
	a := start(t, proxied, key)
	waitFor(t, "a leads", 30*time.Second, func() bool { return a.l.State().Leader })
	act, cancel := a.l.Context(context.Background())
	defer cancel()
	actEnded := make(chan time.Time, 1)
	context.AfterFunc(act, func() { actEnded <- time.Now() })

	freeze()
	admin, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	silent := time.Now()
	b := start(t, url, key)
	waitFor(t, "b takes the lock", 2*time.Second, func() bool { return b.l.State().Taking || b.l.State().Leader })
	waitFor(t, "b leads", Takeover+time.Second, func() bool { return b.l.State().Leader })
	led := time.Now()
	var ended time.Time
	select {
	case ended = <-actEnded:
	default:
		t.Fatal("b leads while a still acts")
	}
	if !ended.Before(led) {
		t.Fatalf("a acted until %s, b led at %s", ended, led)
	}
	if !errors.Is(context.Cause(act), ErrLost) {
		t.Errorf("a's act ended by %v", context.Cause(act))
	}
	t.Logf("a stopped acting %.2f s after its network went silent; b led %.2f s after it, %.2f s after a stopped",
		ended.Sub(silent).Seconds(), led.Sub(silent).Seconds(), led.Sub(ended).Seconds())
	if a.l.State().Leader {
		t.Error("a still says it leads")
	}
}

// TestHoldOnTheFakeClock: on the fake clock, the leader acts until
// exactly Hold after the last check that passed: not a moment less, not
// a moment more, however slow the machine.
func TestHoldOnTheFakeClock(t *testing.T) {
	url := testpg.Start(t)
	clk := clock.NewFake(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC))
	a := startOn(t, url, Key("Test Radio"), clk)
	// The first generation leads at once (no Grace): the loop's first
	// timer fires at once, and the lock is taken in real time.
	waitFor(t, "a leads", 30*time.Second, func() bool { return a.l.State().Leader })
	if err := a.l.Fence(context.Background()); err != nil {
		t.Fatal(err)
	}
	confirmed := clk.Mono()
	act, cancel := a.l.Context(context.Background())
	defer cancel()
	a.l.mu.Lock() // no check gets through
	clk.Advance(Hold - time.Millisecond)
	time.Sleep(50 * time.Millisecond) // the watchdog, had it fired, would have by now
	if act.Err() != nil {
		a.l.mu.Unlock()
		t.Fatalf("acting ended %s after the last check, before Hold (%s): %v", clk.Mono()-confirmed, Hold, context.Cause(act))
	}
	clk.Advance(time.Millisecond)
	select {
	case <-act.Done():
	case <-time.After(5 * time.Second):
		a.l.mu.Unlock()
		t.Fatalf("still acting at Hold (%s) after the last check", Hold)
	}
	a.l.mu.Unlock()
	if err := a.l.Fence(context.Background()); !errors.Is(err, ErrLost) {
		t.Errorf("the fence after Hold ran out: %v", err)
	}
	// The loop drops it, and (the lock being free) it takes it again, in
	// a new generation, after Grace: no one knows that its own acts
	// ended.
	dropped := clk.Mono()
	drive(t, clk, []*replica{a}, "a leads again", Takeover, func() bool { return a.l.State().Leader && a.l.State().Generation == 2 })
	if took := clk.Mono() - dropped; took < Grace {
		t.Errorf("led again %s after its Hold ran out: sooner than Grace (%s)", took, Grace)
	}
	if act2, cancel2 := a.l.Context(context.Background()); act2.Err() != nil {
		t.Errorf("the new generation's act: %v", context.Cause(act2))
	} else {
		cancel2()
	}
}

// TestGuard: a transaction guarded by the lease commits for the leader of
// the generation, and fails for any other, in the database.
func TestGuard(t *testing.T) {
	url := testpg.Start(t)
	key := Key("Test Radio")
	// On the fake clock: the leadership lasts while the test runs,
	// however slow the machine (no Hold runs out unasked).
	a := startOn(t, url, key, clock.NewFake(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)))
	waitFor(t, "a leads", 30*time.Second, func() bool { return a.l.State().Leader })
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	guarded := func(l *Lease) error {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if err := l.Guard(context.Background(), tx); err != nil {
			return err
		}
		return tx.Commit()
	}
	if err := guarded(a.l); err != nil {
		t.Fatalf("the leader's guard: %v", err)
	}
	b := New(url, key, clock.System(0), nil)
	if err := guarded(b); !errors.Is(err, ErrLost) {
		t.Errorf("a standby's guard: %v", err)
	}
	// While a's transaction holds the generation, another taking of the
	// lock waits for it; once taken, a's guard fails.
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.l.Guard(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	bumped := make(chan error, 1)
	go func() {
		_, err := db.Exec(`UPDATE onair_lease SET generation = generation + 1 WHERE key = $1`, key)
		bumped <- err
	}()
	select {
	case err := <-bumped:
		t.Fatalf("the generation moved under a guarded transaction (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-bumped; err != nil {
		t.Fatal(err)
	}
	if err := guarded(a.l); !errors.Is(err, ErrLost) {
		t.Errorf("the guard of a replaced generation: %v", err)
	}
}

// movesOnRead is a fake clock that a test advances at the watchdog's
// first reading: the gap between reading the clock and setting the timer.
type movesOnRead struct {
	*clock.Fake
	by    time.Duration
	moved bool
}

func (c *movesOnRead) Mono() time.Duration {
	m := c.Fake.Mono()
	if !c.moved {
		c.moved = true
		c.Fake.Advance(c.by)
	}
	return m
}

// TestRearmClockMoved: a clock that moves between the watchdog's reading
// and its timer's setting does not set the timer late: the Hold ends when
// it runs out, not a Hold after. (It failed once on CI, under -race.)
func TestRearmClockMoved(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC))
	clk := &movesOnRead{Fake: fake, by: Hold - time.Millisecond}
	l := New("postgres://unused", Key("Test Radio"), clk, nil)
	l.act, l.stopAct = context.WithCancelCause(context.Background())
	l.expires = fake.Mono() + Hold
	tm := fake.NewTimer(0)
	tm.Stop()
	l.actMu.Lock()
	l.rearm(tm)
	l.actMu.Unlock()
	fake.Advance(time.Millisecond) // the Hold has run out
	select {
	case <-tm.C():
	default:
		t.Fatalf("the timer had not fired when the Hold ran out (%s of it after the reading)", Hold)
	}
}
