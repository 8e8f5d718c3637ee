package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the outbox replicas share, in PostgreSQL
	_ "modernc.org/sqlite"             // the outbox's embedded database
)

// Coalesce is how long a feed's update waits for the next: changes that
// come close together are told once. Live and liveEnd never wait.
const Coalesce = 2 * time.Second

// keep is how long delivered and given-up notifications stay in the
// outbox, for its status.
const keep = 7 * 24 * time.Hour

// Outbox holds the events to tell and their deliveries, durably: an event
// is recorded in the same transaction as the state that says it was
// planned, and a delivery is marked done in its own transaction as soon as
// its endpoint answers. It is SQL: an embedded SQLite file under the
// service's --state directory, or (for replicas) a database they share.
type Outbox struct {
	db *sql.DB
	// Guard, when set, runs first in each transaction that records (a
	// commit, a delivery made or failed); its error aborts the
	// transaction. Replicas set their lease's (lease.Guard): a deposed
	// leader's writes then fail in the database itself.
	Guard func(context.Context, *sql.Tx) error
	// q is a query in the database's own placeholders: SQLite's ?, or
	// PostgreSQL's $1, $2...
	q func(string) string
}

const schema = `
CREATE TABLE IF NOT EXISTS onair_events (
	id TEXT PRIMARY KEY,
	body TEXT NOT NULL,
	created BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS onair_deliveries (
	event TEXT NOT NULL,
	endpoint TEXT NOT NULL,
	show TEXT NOT NULL,
	reason TEXT NOT NULL,
	created BIGINT NOT NULL,
	due BIGINT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT 'pending',
	last_error TEXT NOT NULL DEFAULT '',
	done_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (event, endpoint)
);
CREATE INDEX IF NOT EXISTS onair_deliveries_due ON onair_deliveries (endpoint, state, due);
CREATE TABLE IF NOT EXISTS onair_state (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
`

// OpenFile opens (creating it) the outbox in dir/outbox.db.
func OpenFile(dir string) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("notify: the state directory: %w", err)
	}
	path := filepath.Join(dir, "outbox.db")
	// WAL lets `onair notify status` read while the service writes;
	// synchronous=FULL makes a commit survive a crash of the machine, not
	// only of the process.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return nil, fmt.Errorf("notify: %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer at a time, in this process too
	o := &Outbox{db: db, q: sameQuery}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("notify: %s: %w", path, err)
	}
	return o, nil
}

// OpenReadOnly opens an outbox to read its status, beside a service that
// may be writing it.
func OpenReadOnly(dir string) (*Outbox, error) {
	path := filepath.Join(dir, "outbox.db")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("notify: no outbox in %s (onair serve --state %s makes one): %w", dir, dir, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("notify: %s: %w", path, err)
	}
	return &Outbox{db: db, q: sameQuery}, nil
}

func sameQuery(q string) string { return q }

// dollars numbers a query's ? placeholders for PostgreSQL.
func dollars(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// OpenPostgres opens the outbox in a PostgreSQL database that replicas
// share (the lease's): a new leader takes up the events where the old one
// left them, neither repeating nor losing one.
func OpenPostgres(ctx context.Context, url string) (*Outbox, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	db.SetMaxOpenConns(4)
	o := &Outbox{db: db, q: dollars}
	for _, stmt := range strings.Split(schema, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			db.Close()
			return nil, fmt.Errorf("notify: the outbox's tables: %w", err)
		}
	}
	return o, nil
}

func (o *Outbox) Close() error { return o.db.Close() }

// LoadState reads what the notifications last knew of; a zero State when
// the outbox is new.
func (o *Outbox) LoadState(ctx context.Context) (State, error) {
	st := State{Feeds: make(map[string]string), Episodes: make(map[string][]string)}
	rows, err := o.db.QueryContext(ctx, o.q(`SELECT key, value FROM onair_state`))
	if err != nil {
		return st, fmt.Errorf("notify: read the state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return st, err
		}
		switch kind, show, _ := strings.Cut(k, ":"); kind {
		case "at":
			if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
				st.At = time.UnixMilli(ms)
			}
		case "feed":
			st.Feeds[show] = v
		case "episodes":
			if v == "" {
				st.Episodes[show] = []string{}
			} else {
				st.Episodes[show] = strings.Split(v, "\n")
			}
		}
	}
	return st, rows.Err()
}

// Commit records events (those already recorded, by id, are left: an event
// is told once however often it is planned), a delivery of each to every
// endpoint that wants it, and the state next (what differs from prev), in
// one transaction. A feed's update is due Coalesce after now, and is not
// added beside one of the same feed still waiting to be first tried; all
// else is due now. It returns how many deliveries it added.
func (o *Outbox) Commit(ctx context.Context, now time.Time, events []Event, eps []Endpoint, prev, next State) (int, error) {
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("notify: %w", err)
	}
	defer tx.Rollback()
	if o.Guard != nil {
		if err := o.Guard(ctx, tx); err != nil {
			return 0, fmt.Errorf("notify: not recorded: %w", err)
		}
	}
	added := 0
	for _, e := range events {
		body, err := json.Marshal(e)
		if err != nil {
			return 0, err
		}
		res, err := tx.ExecContext(ctx, o.q(`INSERT INTO onair_events (id, body, created) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`), e.ID, string(body), now.UnixMilli())
		if err != nil {
			return 0, fmt.Errorf("notify: record %s: %w", e.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // told already
		}
		due := now
		if e.Reason == ReasonUpdate {
			due = now.Add(Coalesce)
		}
		for _, ep := range eps {
			if !ep.Wants(e) {
				continue
			}
			if e.Reason == ReasonUpdate {
				var waiting int
				if err := tx.QueryRowContext(ctx, o.q(`SELECT COUNT(*) FROM onair_deliveries WHERE endpoint = ? AND show = ? AND reason = ? AND state = 'pending' AND attempts = 0`),
					ep.ID, e.Show, ReasonUpdate).Scan(&waiting); err != nil {
					return 0, err
				}
				if waiting > 0 {
					continue // the one waiting tells of this change too
				}
			}
			if _, err := tx.ExecContext(ctx, o.q(`INSERT INTO onair_deliveries (event, endpoint, show, reason, created, due) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
				e.ID, ep.ID, e.Show, e.Reason, now.UnixMilli(), due.UnixMilli()); err != nil {
				return 0, fmt.Errorf("notify: deliver %s: %w", e.ID, err)
			}
			added++
		}
	}
	set := func(k, v string) error {
		_, err := tx.ExecContext(ctx, o.q(`INSERT INTO onair_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`), k, v)
		return err
	}
	if !next.At.Equal(prev.At) {
		if err := set("at", strconv.FormatInt(next.At.UnixMilli(), 10)); err != nil {
			return 0, err
		}
	}
	for show, etag := range next.Feeds {
		if old, ok := prev.Feeds[show]; !ok || old != etag {
			if err := set("feed:"+show, etag); err != nil {
				return 0, err
			}
		}
	}
	for show, eps := range next.Episodes {
		if old, ok := prev.Episodes[show]; !ok || !same(old, eps) && !slices.Equal(old, eps) {
			if err := set("episodes:"+show, strings.Join(eps, "\n")); err != nil {
				return 0, err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, o.q(`DELETE FROM onair_deliveries WHERE state <> 'pending' AND done_at < ?`), now.Add(-keep).UnixMilli()); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, o.q(`DELETE FROM onair_events WHERE created < ? AND NOT EXISTS (SELECT 1 FROM onair_deliveries d WHERE d.event = onair_events.id)`), now.Add(-keep).UnixMilli()); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("notify: %w", err)
	}
	return added, nil
}

// delivery is one event to tell one endpoint.
type delivery struct {
	Event    Event
	Endpoint string
	Created  time.Time
	Due      time.Time
	Attempts int
}

// next is the endpoint's earliest pending delivery; ok is false when it has
// none.
func (o *Outbox) next(ctx context.Context, endpoint string) (d delivery, ok bool, err error) {
	var body string
	var created, due int64
	err = o.db.QueryRowContext(ctx, o.q(`SELECT e.body, d.created, d.due, d.attempts FROM onair_deliveries d JOIN onair_events e ON e.id = d.event
		WHERE d.endpoint = ? AND d.state = 'pending' ORDER BY d.due, d.created, d.event LIMIT 1`), endpoint).Scan(&body, &created, &due, &d.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, err
	}
	if err := json.Unmarshal([]byte(body), &d.Event); err != nil {
		return d, false, err
	}
	d.Endpoint, d.Created, d.Due = endpoint, time.UnixMilli(created), time.UnixMilli(due)
	return d, true, nil
}

// exec runs one statement that records, guarded.
func (o *Outbox) exec(ctx context.Context, query string, args ...any) error {
	if o.Guard == nil {
		_, err := o.db.ExecContext(ctx, o.q(query), args...)
		return err
	}
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := o.Guard(ctx, tx); err != nil {
		return fmt.Errorf("notify: not recorded: %w", err)
	}
	if _, err := tx.ExecContext(ctx, o.q(query), args...); err != nil {
		return err
	}
	return tx.Commit()
}

// done marks a delivery made.
func (o *Outbox) done(ctx context.Context, d delivery, at time.Time) error {
	return o.exec(ctx, `UPDATE onair_deliveries SET state = 'delivered', attempts = attempts + 1, done_at = ?, last_error = '' WHERE event = ? AND endpoint = ?`,
		at.UnixMilli(), d.Event.ID, d.Endpoint)
}

// failed records a failed attempt: tried again at retry, or, with giveUp,
// not again.
func (o *Outbox) failed(ctx context.Context, d delivery, at, retry time.Time, giveUp bool, why string) error {
	state := "pending"
	if giveUp {
		state = "failed"
	}
	return o.exec(ctx, `UPDATE onair_deliveries SET state = ?, attempts = attempts + 1, due = ?, last_error = ?, done_at = ? WHERE event = ? AND endpoint = ?`,
		state, retry.UnixMilli(), why, at.UnixMilli(), d.Event.ID, d.Endpoint)
}

// EndpointStats is what the outbox holds for one endpoint.
type EndpointStats struct {
	Endpoint  string    `json:"endpoint"`
	Pending   int       `json:"pending"`
	Failing   int       `json:"failing"` // pending, and tried at least once
	Delivered int       `json:"delivered"`
	GivenUp   int       `json:"given_up"`
	Oldest    time.Time `json:"-"` // the oldest pending's creation; zero for none
	// OldestAgeSeconds is how long the oldest pending has waited.
	OldestAgeSeconds float64 `json:"oldest_pending_age_seconds"`
	LastError        string  `json:"last_error,omitempty"`
}

// Stats says what the outbox holds, by endpoint (those named, and any
// other it has deliveries for), as of now.
func (o *Outbox) Stats(ctx context.Context, now time.Time, endpoints []string) ([]EndpointStats, error) {
	by := make(map[string]*EndpointStats)
	get := func(ep string) *EndpointStats {
		if by[ep] == nil {
			by[ep] = &EndpointStats{Endpoint: ep}
		}
		return by[ep]
	}
	for _, ep := range endpoints {
		get(ep)
	}
	rows, err := o.db.QueryContext(ctx, o.q(`SELECT endpoint, state, attempts > 0, COUNT(*), MIN(created) FROM onair_deliveries GROUP BY endpoint, state, attempts > 0`))
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ep, state string
		var tried bool
		var n int
		var oldest int64
		if err := rows.Scan(&ep, &state, &tried, &n, &oldest); err != nil {
			return nil, err
		}
		s := get(ep)
		switch state {
		case "pending":
			s.Pending += n
			if tried {
				s.Failing += n
			}
			if t := time.UnixMilli(oldest); s.Oldest.IsZero() || t.Before(s.Oldest) {
				s.Oldest = t
			}
		case "delivered":
			s.Delivered += n
		case "failed":
			s.GivenUp += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	out := make([]EndpointStats, 0, len(by))
	for _, s := range by {
		if !s.Oldest.IsZero() {
			s.OldestAgeSeconds = now.Sub(s.Oldest).Seconds()
		}
		if s.Failing > 0 || s.GivenUp > 0 {
			o.db.QueryRowContext(ctx, o.q(`SELECT last_error FROM onair_deliveries WHERE endpoint = ? AND last_error <> '' ORDER BY done_at DESC LIMIT 1`), s.Endpoint).Scan(&s.LastError)
		}
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b EndpointStats) int { return strings.Compare(a.Endpoint, b.Endpoint) })
	return out, nil
}
