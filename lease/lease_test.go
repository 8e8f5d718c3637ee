package lease

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/testpg"
)

type replica struct {
	l      *Lease
	cancel context.CancelFunc
	done   chan struct{}
}

func start(t *testing.T, url string, key int64) *replica {
	ctx, cancel := context.WithCancel(context.Background())
	r := &replica{l: New(url, key, clock.System(0), nil), cancel: cancel, done: make(chan struct{})}
	go func() { r.l.Run(ctx); close(r.done) }()
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { cancel(); <-r.done }) })
	return r
}

func (r *replica) stop() { r.cancel(); <-r.done }

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

// TestOneLeader: of two replicas one leads; when it stops, or its session
// is killed, or another generation takes over, it stops leading, and the
// other leads, in a new generation, within the retry.
func TestOneLeader(t *testing.T) {
	url := testpg.Start(t)
	key := Key("Test Radio")
	a := start(t, url, key)
	waitFor(t, "a leads", 30*time.Second, func() bool { return a.l.State().Leader })
	b := start(t, url, key)
	time.Sleep(Retry + 500*time.Millisecond)
	if b.l.State().Leader {
		t.Fatal("two leaders")
	}
	if a.l.State().Generation != 1 {
		t.Errorf("generation %d", a.l.State().Generation)
	}

	// a stops: b takes over in generation 2.
	a.stop()
	took := waitFor(t, "b leads", Retry+2*time.Second, func() bool { return b.l.State().Leader })
	t.Logf("after a stopped, b led in %.2f s", took.Seconds())
	if g := b.l.State().Generation; g != 2 {
		t.Errorf("generation %d, want 2", g)
	}

	// b's session is killed (as a lost connection would be): b stops
	// leading at its next check, and c leads.
	c := start(t, url, key)
	admin, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	was := b.l.State()
	killed := time.Now()
	if _, err := admin.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted`); err != nil {
		t.Fatal(err)
	}
	// b notices at its next check (and may take the free lock again at
	// once, in a new generation: then c stays a standby).
	waitFor(t, "b notices", 3*time.Second, func() bool { return b.l.State().Changes > was.Changes })
	t.Logf("b knew it had lost %.2f s after its session was killed", time.Since(killed).Seconds())
	waitFor(t, "b or c leads again, in a new generation", 2*Retry+time.Second, func() bool {
		return (b.l.State().Leader && b.l.State().Generation > was.Generation) || c.l.State().Leader
	})
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
	waitFor(t, "the fenced leader steps down", 3*time.Second, func() bool {
		s := leader.l.State()
		return s.Changes > before.Changes && (!s.Leader || s.Generation > before.Generation+1)
	})
}
