// Package lease elects one leader among a station's replicas: the holder
// of a PostgreSQL session advisory lock (pg_try_advisory_lock), taken on a
// dedicated connection. The lock is the database's: when the leader's
// process dies or its network goes, its session ends and the lock is
// free; a standby that tries every few seconds takes it.
//
// Each taking of the lock bumps a generation in the table onair_lease, in
// the same session. A leader checks, before it acts (Fence) and every
// second, that its connection answers and that the generation is still
// its own; the moment either fails it is a standby, before it writes
// again. A leader whose network went quiet stops on its own check within
// two seconds; the database frees the lock once TCP keepalives give up on
// the dead session (set to about ten seconds here), so a standby takes
// over within fifteen.
package lease

import (
	"context"
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
	Retry = 3 * time.Second
	// check is how often a leader makes sure it still leads, and how
	// long it waits for the answer.
	check        = time.Second
	checkTimeout = 2 * time.Second
	connTimeout  = 5 * time.Second
)

// State is a replica's role.
type State struct {
	Leader     bool
	Generation int64  // the generation it leads in; 0 for a standby
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
	gen   int64

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
	return &Lease{url: url, key: key, clock: clk, log: log, changed: make(chan State, 16)}
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
// lock go (closing the session) and returns.
func (l *Lease) Run(ctx context.Context) {
	defer l.drop("stopped")
	wait := time.Duration(0)
	for {
		t := l.clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
		if l.State().Leader {
			if err := l.Fence(ctx); err != nil && ctx.Err() == nil {
				l.drop(err.Error())
				wait = 0 // try again at once: the lock may be free
				continue
			}
			wait = check
			continue
		}
		if err := l.try(ctx); err != nil && ctx.Err() == nil {
			l.drop(err.Error())
		}
		if l.State().Leader {
			wait = check
		} else {
			wait = Retry
		}
	}
}

// try connects if need be, and tries to take the lock.
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
		// The server notices a dead client within about ten seconds, and
		// frees its lock.
		cfg.RuntimeParams["tcp_keepalives_idle"] = "5"
		cfg.RuntimeParams["tcp_keepalives_interval"] = "2"
		cfg.RuntimeParams["tcp_keepalives_count"] = "3"
		cfg.RuntimeParams["application_name"] = "onair lease"
		conn, err := pgx.ConnectConfig(cctx, cfg)
		if err != nil {
			return fmt.Errorf("lease: connect: %w", err)
		}
		if _, err := conn.Exec(cctx, `CREATE TABLE IF NOT EXISTS onair_lease (key BIGINT PRIMARY KEY, generation BIGINT NOT NULL)`); err != nil {
			conn.Close(context.Background())
			return fmt.Errorf("lease: %w", err)
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
	var gen int64
	if err := l.conn.QueryRow(qctx, `INSERT INTO onair_lease (key, generation) VALUES ($1, 1)
		ON CONFLICT (key) DO UPDATE SET generation = onair_lease.generation + 1 RETURNING generation`, l.key).Scan(&gen); err != nil {
		l.closeLocked()
		return fmt.Errorf("lease: %w", err)
	}
	l.gen = gen
	l.state = State{Leader: true, Generation: gen, Changes: l.state.Changes + 1}
	l.log.Info("lease: leading", "generation", gen)
	l.notify()
	return nil
}

// Fence makes sure this replica still leads: its session answers and the
// generation is its own. Call it before each act; an error means stop.
func (l *Lease) Fence(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.state.Leader || l.conn == nil {
		return errors.New("lease: not the leader")
	}
	qctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var gen int64
	if err := l.conn.QueryRow(qctx, `SELECT generation FROM onair_lease WHERE key = $1`, l.key).Scan(&gen); err != nil {
		return fmt.Errorf("lease: lost: %w", err)
	}
	if gen != l.gen {
		return fmt.Errorf("lease: lost: generation %d leads, not %d", gen, l.gen)
	}
	return nil
}

// drop makes this replica a standby, closing its session (which frees the
// lock, if the database still thinks it holds it).
func (l *Lease) drop(why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closeLocked()
	if l.state.Leader {
		l.log.Warn("lease: no longer leading", "generation", l.gen, "why", why)
		l.state = State{Err: why, Changes: l.state.Changes + 1}
		l.notify()
		return
	}
	l.state.Err = why
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
