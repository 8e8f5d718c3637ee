// Package lease elects one leader among a station's replicas: the holder
// of a PostgreSQL session advisory lock (pg_try_advisory_lock), taken on a
// dedicated connection. The lock is the database's: when the leader's
// process dies or its network goes, its session ends and the lock is
// free; a standby that tries every few seconds takes it.
//
// Two leaders never act at once, even for a moment:
//
//   - Each taking of the lock bumps a generation in the table onair_lease,
//     in the same session. A leader checks, every second and before each
//     act (Fence), that its session answers and the generation is its own.
//   - Each check that passes lets the leader act for Hold, counted from
//     before the check was sent. Every act runs in a Context that ends
//     when Hold has passed without another check passing (a stalled
//     network, a hung database), or when the lease is lost: an upload,
//     a recording or a request under way is cut off then, not finished.
//   - A replica that takes the lock waits Grace (longer than Hold) before
//     it acts. The lock was free, so the one before it can have heard no
//     answer since; by the end of Grace its Hold has run out. It does not
//     wait when no one led before it, or when the leader before it let
//     the lock go in order (Run's end, once its acts were over: a stop, a
//     rolling restart), which it says in the table before it lets go.
//   - Where the store can enforce it, it does: Guard makes a transaction
//     fail in the database unless the generation is still this leader's.
//
// This rests on clocks that run at nearly the same rate (not on clocks
// that agree), which Grace's margin over Hold allows for.
//
// The database frees a dead session's lock at once when the leader's
// process dies (SIGKILL closes its socket), and when its network goes
// once TCP keepalives give up on it (about five seconds, set here). A
// standby then leads within Takeover (a retry, a check and Grace): within
// fifteen seconds.
package lease

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onair-radio/onair/internal/clock"
)

// Timing.
const (
	// Retry is how often a standby tries to take the lock.
	Retry = 2 * time.Second
	// Hold is how long a check that passed lets a leader act.
	Hold = 3 * time.Second
	// Grace is how long a replica that took the lock waits before it
	// acts: Hold, and a margin for clock rates and the moment between a
	// check and an act.
	Grace = Hold + 2*time.Second
	// Takeover bounds how long after the lock is free a standby leads:
	// a retry, a check, and Grace.
	Takeover = Retry + checkTimeout + Grace

	// check is how often a leader makes sure it still leads, and
	// checkTimeout how long it waits for the answer.
	check        = time.Second
	checkTimeout = 2 * time.Second
	connTimeout  = 5 * time.Second
)

// stopped is why a lease let go at Run's end.
const stopped = "stopped"

// ErrLost is why an act's Context ends: this replica no longer leads.
var ErrLost = errors.New("lease: no longer the leader")

// State is a replica's role.
type State struct {
	Leader     bool
	Taking     bool   // it took the lock, and leads once Grace has passed
	Generation int64  // the generation it leads (or takes) in; 0 for a standby
	Err        string // why it is not leading, when something failed
	Changes    int64  // how often the role changed
}

// Lease is one replica's part in the election.
type Lease struct {
	url   string
	key   int64
	clock clock.Clock
	log   *slog.Logger

	mu    sync.Mutex // guards conn: the check loop and Fence share it
	conn  *pgx.Conn
	state State
	took  time.Duration // when (Mono) the lock was taken

	// act is the leadership's context: cancelled when it ends, or when
	// Hold passed since expires was last moved.
	actMu   sync.Mutex
	act     context.Context
	stopAct context.CancelCauseFunc
	expires time.Duration // Mono
	armed   chan struct{} // tells the watchdog that expires moved

	changed chan State
}

// Key is the advisory lock key of a station: replicas of one station
// share it; stations that share a database do not.
func Key(station string) int64 {
	h := fnv.New64a()
	h.Write([]byte("onair:" + station))
	return int64(h.Sum64())
}

// New prepares a lease on the database at url for the lock key.
func New(url string, key int64, clk clock.Clock, log *slog.Logger) *Lease {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Lease{url: url, key: key, clock: clk, log: log, changed: make(chan State, 16), armed: make(chan struct{}, 1)}
}

// Changed delivers each change of role, in order.
func (l *Lease) Changed() <-chan State { return l.changed }

// State is the role as of now.
func (l *Lease) State() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// Run takes part in the election until ctx is done; then it lets the
// lock go (closing the session) and returns. The caller ends it only once
// its acts are over: a leader that stops says so, and the next one leads
// without waiting Grace.
func (l *Lease) Run(ctx context.Context) {
	wctx, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() { l.watch(wctx); close(watched) }()
	defer func() { stopWatch(); <-watched }()
	defer l.drop(stopped)
	wait := time.Duration(0)
	for {
		t := l.clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
		st := l.State()
		switch {
		case st.Leader:
			if err := l.Fence(ctx); err != nil && ctx.Err() == nil {
				l.drop(err.Error())
				wait = 0 // try again at once: the lock may be free
				continue
			}
			wait = check
		case st.Taking:
			sent := l.clock.Mono()
			if err := l.verify(ctx); err != nil {
				if ctx.Err() == nil {
					l.drop(err.Error())
				}
				wait = 0
				continue
			}
			if left := Grace - (sent - l.took); left > 0 {
				wait = min(check, left)
				continue
			}
			l.lead(sent)
			wait = check
		default:
			if err := l.try(ctx); err != nil && ctx.Err() == nil {
				l.drop(err.Error())
			}
			wait = Retry
			if l.State().Taking {
				wait = max(0, min(check, Grace-(l.clock.Mono()-l.took)))
			}
		}
	}
}

// try connects if need be, and tries to take the lock. Taken, the
// replica waits Grace before it leads.
func (l *Lease) try(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		cctx, cancel := context.WithTimeout(ctx, connTimeout)
		defer cancel()
		cfg, err := pgx.ParseConfig(l.url)
		if err != nil {
			return fmt.Errorf("lease: %w", err)
		}
		// The server gives up on a silent client within about five
		// seconds, and frees its lock.
		cfg.RuntimeParams["tcp_keepalives_idle"] = "2"
		cfg.RuntimeParams["tcp_keepalives_interval"] = "1"
		cfg.RuntimeParams["tcp_keepalives_count"] = "3"
		cfg.RuntimeParams["application_name"] = "onair lease"
		conn, err := pgx.ConnectConfig(cctx, cfg)
		if err != nil {
			return fmt.Errorf("lease: connect: %w", err)
		}
		// And on one that stops acknowledging what it sends (PostgreSQL
		// 12 and later; an older server keeps the keepalives alone).
		conn.Exec(cctx, `SET tcp_user_timeout = 5000`)
		for _, ddl := range []string{
			`CREATE TABLE IF NOT EXISTS onair_lease (key BIGINT PRIMARY KEY, generation BIGINT NOT NULL)`,
			// released is the last generation whose leader let the lock go
			// in order, its acts over.
			`ALTER TABLE onair_lease ADD COLUMN IF NOT EXISTS released BIGINT NOT NULL DEFAULT 0`,
		} {
			if _, err := conn.Exec(cctx, ddl); err != nil {
				conn.Close(context.Background())
				return fmt.Errorf("lease: %w", err)
			}
		}
		l.conn = conn
	}
	qctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var got bool
	if err := l.conn.QueryRow(qctx, `SELECT pg_try_advisory_lock($1)`, l.key).Scan(&got); err != nil {
		l.closeLocked()
		return fmt.Errorf("lease: %w", err)
	}
	if !got {
		if l.state.Err != "" {
			l.state.Err = ""
		}
		return nil
	}
	var gen, released int64
	if err := l.conn.QueryRow(qctx, `INSERT INTO onair_lease (key, generation) VALUES ($1, 1)
		ON CONFLICT (key) DO UPDATE SET generation = onair_lease.generation + 1 RETURNING generation, released`, l.key).Scan(&gen, &released); err != nil {
		l.closeLocked()
		return fmt.Errorf("lease: %w", err)
	}
	l.took = l.clock.Mono()
	l.state = State{Taking: true, Generation: gen, Changes: l.state.Changes}
	if gen == 1 || released == gen-1 {
		// The first generation (no one led before it), or the one before
		// let the lock go in order, its acts over: no one's acts can
		// still be under way.
		l.took -= Grace
		return nil
	}
	l.log.Info("lease: taken; leading once the one before has surely stopped", "generation", gen, "in", Grace)
	return nil
}

// lead makes a replica that took the lock the leader, its last check sent
// at sent (Mono).
func (l *Lease) lead(sent time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.state.Taking {
		return
	}
	l.actMu.Lock()
	l.act, l.stopAct = context.WithCancelCause(context.Background())
	l.actMu.Unlock()
	l.confirm(sent)
	l.state = State{Leader: true, Generation: l.state.Generation, Changes: l.state.Changes + 1}
	l.log.Info("lease: leading", "generation", l.state.Generation)
	l.notify()
}

// Fence makes sure this replica still leads: its session answers, the
// generation is its own, and its Hold has not run out. Call it before each
// act; an error means stop. A Fence that passes extends the Hold.
func (l *Lease) Fence(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.state.Leader || l.conn == nil {
		return ErrLost
	}
	if err := l.acting(); err != nil {
		return err
	}
	sent := l.clock.Mono()
	if err := l.verifyLocked(ctx); err != nil {
		return err
	}
	l.confirm(sent)
	return nil
}

// acting is nil while the leadership's context lives.
func (l *Lease) acting() error {
	l.actMu.Lock()
	defer l.actMu.Unlock()
	if l.act == nil {
		return ErrLost
	}
	if l.act.Err() != nil {
		return context.Cause(l.act)
	}
	return nil
}

// verify checks, on the session, that the generation is this replica's.
func (l *Lease) verify(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.verifyLocked(ctx)
}

func (l *Lease) verifyLocked(ctx context.Context) error {
	if l.conn == nil {
		return ErrLost
	}
	qctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var gen int64
	if err := l.conn.QueryRow(qctx, `SELECT generation FROM onair_lease WHERE key = $1`, l.key).Scan(&gen); err != nil {
		return fmt.Errorf("lease: lost: %w", err)
	}
	if gen != l.state.Generation {
		return fmt.Errorf("lease: lost: generation %d leads, not %d", gen, l.state.Generation)
	}
	return nil
}

// confirm lets the leader act until Hold after sent (Mono), the moment
// before a check that passed.
func (l *Lease) confirm(sent time.Duration) {
	l.actMu.Lock()
	if e := sent + Hold; e > l.expires {
		l.expires = e
	}
	l.actMu.Unlock()
	select {
	case l.armed <- struct{}{}:
	default:
	}
}

// watch ends the leadership's context when its Hold runs out. It is Run's.
func (l *Lease) watch(ctx context.Context) {
	t := l.clock.NewTimer(0)
	t.Stop()
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.armed:
		case <-t.C():
		}
		l.actMu.Lock()
		if l.act != nil && l.act.Err() == nil {
			l.rearm(t)
		} else {
			t.Stop() // no act to watch: no wake-up for nothing
		}
		l.actMu.Unlock()
	}
}

// rearm sets the watchdog's timer for what is left of the Hold, or ends
// the acts when nothing is. The clock is read and then the timer set: a
// clock that moved a millisecond or more between the two (a fake one,
// advanced by a test in that gap; a real one, the process descheduled)
// would set it that much late, so it is read again and the timer set
// again. Called with actMu held.
func (l *Lease) rearm(t clock.Timer) {
	for {
		now := l.clock.Mono()
		left := l.expires - now
		if left <= 0 {
			l.stopAct(fmt.Errorf("%w: no check passed for %s", ErrLost, Hold))
			l.log.Warn("lease: no check passed in time; acting no more", "hold", Hold)
			return
		}
		t.Reset(left)
		if l.clock.Mono()-now < time.Millisecond {
			return
		}
	}
}

// Context is a context for one act of the leader's: it ends with parent,
// or when this replica stops leading (its lease lost, or not confirmed
// within Hold), whichever comes first; its Cause says which. For a
// replica that does not lead it is done already.
func (l *Lease) Context(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	l.actMu.Lock()
	act := l.act
	l.actMu.Unlock()
	if act == nil {
		cancel(ErrLost)
		return ctx, func() { cancel(context.Canceled) }
	}
	stop := context.AfterFunc(act, func() { cancel(context.Cause(act)) })
	return ctx, func() { stop(); cancel(context.Canceled) }
}

// Guard makes tx (on the lease's database) fail unless this replica still
// leads: run first in a transaction, it reads the generation and holds it
// (FOR SHARE) until the transaction ends, so that another replica's taking
// of the lock waits for the commit, or the commit fails. The store
// enforces it, not only this process.
func (l *Lease) Guard(ctx context.Context, tx *sql.Tx) error {
	st := l.State()
	if !st.Leader {
		return ErrLost
	}
	if err := l.acting(); err != nil {
		return err
	}
	var gen int64
	if err := tx.QueryRowContext(ctx, `SELECT generation FROM onair_lease WHERE key = $1 FOR SHARE`, l.key).Scan(&gen); err != nil {
		return fmt.Errorf("lease: guard: %w", err)
	}
	if gen != st.Generation {
		return fmt.Errorf("%w: generation %d leads, not %d", ErrLost, gen, st.Generation)
	}
	return nil
}

// drop makes this replica a standby: its acts' contexts end first, then
// its session closes (which frees the lock, if the database still thinks
// it holds it).
func (l *Lease) drop(why string) {
	l.actMu.Lock()
	if l.act != nil {
		l.stopAct(fmt.Errorf("%w: %s", ErrLost, why))
		l.act, l.stopAct, l.expires = nil, nil, 0
		select {
		case l.armed <- struct{}{}: // the watchdog has nothing to watch
		default:
		}
	}
	l.actMu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state.Leader && why == stopped && l.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		l.conn.Exec(ctx, `UPDATE onair_lease SET released = generation WHERE key = $1 AND generation = $2`, l.key, l.state.Generation)
		cancel()
	}
	l.closeLocked()
	if l.state.Leader {
		l.log.Warn("lease: no longer leading", "generation", l.state.Generation, "why", why)
		l.state = State{Err: why, Changes: l.state.Changes + 1}
		l.notify()
		return
	}
	l.state = State{Err: why, Changes: l.state.Changes}
}

func (l *Lease) closeLocked() {
	if l.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		l.conn.Close(ctx)
		cancel()
		l.conn = nil
	}
}

// notify sends the state to Changed, dropping the oldest when no one
// reads (the newest is what matters).
func (l *Lease) notify() {
	for {
		select {
		case l.changed <- l.state:
			return
		default:
			select {
			case <-l.changed:
			default:
			}
		}
	}
}
