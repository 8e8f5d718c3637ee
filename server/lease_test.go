package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/onair-radio/onair/internal/catcher"
	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/testpg"
	"github.com/onair-radio/onair/lease"
	"github.com/onair-radio/onair/notify"
	"github.com/onair-radio/onair/output/cloud"
)

// TestReplicas: two replicas on one lease and one bucket: one leads and
// writes, the other serves and writes nothing; when the leader stops, the
// standby leads within the retry, and uploads nothing the leader already
// had.
func TestReplicas(t *testing.T) {
	url := testpg.Start(t)
	bucketURL := "file://" + t.TempDir()
	path := oneShowStation(t, "Replica Radio")
	replica := func() (*harness, *cloud.Bucket) {
		b, err := cloud.Open(context.Background(), bucketURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		l := lease.New(url, lease.Key("Replica Radio"), clock.System(0), nil)
		return startWith(t, Options{ConfigPath: path, Clock: clock.NewFake(t0), Out: b, Lease: l}), b
	}
	a, ab := replica()
	waitForWithin(t, 30*time.Second, func() bool { return role(a) == "leader" })
	b, bb := replica()
	time.Sleep(lease.Retry + 500*time.Millisecond)
	if role(b) != "standby" || role(a) != "leader" {
		t.Fatalf("roles: a %s, b %s", role(a), role(b))
	}
	if ab.LastWrite().Uploaded == 0 || bb.LastWrite().Uploaded+bb.LastWrite().Unchanged != 0 {
		t.Fatalf("a wrote %+v, b (standing by) %+v", ab.LastWrite(), bb.LastWrite())
	}
	if m := b.metrics(); !containsAll(m, "onair_leader 0\n") {
		t.Errorf("b's metrics:\n%s", m)
	}
	a.stop()
	stopped := time.Now()
	waitForWithin(t, lease.Takeover+time.Second, func() bool { return role(b) == "leader" })
	t.Logf("b led %.2f s after a stopped", time.Since(stopped).Seconds())
	waitForWithin(t, 5*time.Second, func() bool { return bb.LastWrite().Unchanged > 0 })
	if bb.LastWrite().Uploaded != 0 {
		t.Errorf("the new leader uploaded %d objects the old one had written", bb.LastWrite().Uploaded)
	}
	if m := b.metrics(); !containsAll(m, "onair_leader 1\n", "onair_lease_changes_total 1\n") {
		t.Errorf("b's metrics:\n%s", m)
	}
}

// oneShowStation writes a station of one show, live at 13:00 UTC on
// 2026-11-27, and returns its path.
func oneShowStation(t *testing.T, name string) string {
	path := filepath.Join(t.TempDir(), "onair.yaml")
	os.WriteFile(path, []byte(`station: {name: `+name+`, timezone: UTC, base_url: "https://radio.example.org"}
shows:
  - id: t
    title: Test Hour
    slots: [{kind: live, once: 2026-11-27 13:00, duration: 1h}]
`), 0o644)
	return path
}

// role is a replica's role, from its /healthz.
func role(h *harness) string { r, _ := h.health()["role"].(string); return r }

func waitForWithin(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s", d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// TestLiveItemInBucket: on the real clock, with a bucket for --out, the
// feed in the bucket says live within 2 s of air time.
func TestLiveItemInBucket(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for air time")
	}
	t.Parallel()
	startAt := time.Now().UTC().Add(3 * time.Second).Truncate(time.Second)
	dir := t.TempDir()
	bucketDir := t.TempDir()
	b, err := cloud.Open(context.Background(), "file://"+bucketDir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	startWith(t, Options{ConfigPath: writeStation(t, dir, "Seconds Away", cronAt(startAt), "4s"), Out: b})
	feed := filepath.Join(bucketDir, "feeds", "t.xml")
	live := eventually(t, 8*time.Second, "the bucket's feed says live", func() bool {
		body, err := os.ReadFile(feed)
		return err == nil && strings.Contains(string(body), `status="live"`)
	})
	late := live.Sub(startAt)
	t.Logf("the bucket's feed said live %.3f s after air time", late.Seconds())
	if late < 0 || late > 2*time.Second {
		t.Errorf("live in the bucket %s after air time, want within 2 s", late)
	}
}

// TestBucketDown: a store that refuses writes (here, the credentials: a
// throttling store's 503s the S3 client first retries itself, for
// seconds) is retried, backing off;
// the failure is logged, counted and on /healthz; serving goes on; and
// once the store is back the write goes through.
func TestBucketDown(t *testing.T) {
	backend := s3mem.New()
	backend.CreateBucket("onair")
	s3 := gofakes3.New(backend).Server()
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() && r.Method == http.MethodPut {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			return
		}
		s3.ServeHTTP(w, r)
	}))
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	b, err := cloud.Open(context.Background(), "s3://onair?endpoint="+url.QueryEscape(srv.URL)+"&region=us-east-1&use_path_style=true")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	dir := t.TempDir()
	h := startWith(t, Options{ConfigPath: writeStation(t, dir, "Bucket Radio", cronAt(t0.Add(time.Hour)), "1h"), Out: b, Clock: clock.NewFake(t0)})
	if e := h.health()["last_write_error"]; e != nil {
		t.Fatalf("at start: %v", e)
	}
	down.Store(true)
	h.clk.AdvanceTo(t0.Add(time.Hour)) // air time: a publish, refused
	h.wait("air time")
	h.wait("written")
	if e, _ := h.health()["last_write_error"].(string); !strings.Contains(e, "upload") {
		t.Errorf("last_write_error %q", e)
	}
	if !strings.Contains(h.metrics(), "onair_write_failures_total 1\n") {
		t.Errorf("metrics:\n%s", h.metrics())
	}
	if resp, err := http.Get(h.srv.URL + "/feeds/t.xml"); err != nil || resp.StatusCode != 200 {
		t.Errorf("serving stopped: %v", err)
	}
	down.Store(false)
	h.clk.Advance(time.Second) // the first retry
	h.wait("write retry")
	h.wait("written")
	if e := h.health()["last_write_error"]; e != nil {
		t.Errorf("after the store came back: %v", e)
	}
}

// TestNotifyHandover: two replicas share the lease and the outbox (in
// PostgreSQL). The leader tells live; it stops; the standby leads and,
// planning from the shared state, tells liveEnd at the airing's end and
// nothing twice.
func TestNotifyHandover(t *testing.T) {
	url := testpg.Start(t)
	c := catcher.New(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "onair.yaml")
	os.WriteFile(path, []byte(c.Station(`  - id: t
    title: Test Hour
    slots:
      - {kind: live, once: 2026-11-27 13:00, duration: 1h}
`)), 0o644)
	replica := func() *harness {
		box, err := notify.OpenPostgres(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		l := lease.New(url, lease.Key("Notify Radio"), clock.System(0), nil)
		box.Guard = l.Guard
		h := startWith(t, Options{ConfigPath: path, Clock: clock.NewFake(t0), Outbox: box, Lease: l})
		t.Cleanup(func() { box.Close() })
		return h
	}
	a := replica()
	waitForWithin(t, 30*time.Second, func() bool { return role(a) == "leader" })
	b := replica()
	start := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	a.clk.AdvanceTo(start)
	b.clk.AdvanceTo(start) // the standby publishes too (it serves), and tells nothing
	waitForWithin(t, 5*time.Second, func() bool { return podpings(c) == "live" })
	a.stop()
	b.clk.AdvanceTo(start.Add(10 * time.Minute))
	waitForWithin(t, lease.Takeover+time.Second, func() bool { return role(b) == "leader" })
	b.clk.AdvanceTo(start.Add(time.Hour))
	waitForWithin(t, 5*time.Second, func() bool { return podpings(c) == "live liveEnd" })
	time.Sleep(200 * time.Millisecond)
	if got := podpings(c); got != "live liveEnd" {
		t.Errorf("podping heard %q", got)
	}
	types := strings.Fields(c.Hooks())
	slices.Sort(types)
	if got := strings.Join(types, " "); got != "airing.ended airing.started feed.updated/live feed.updated/liveEnd" {
		t.Errorf("webhooks: %s", got)
	}
}

// TestLostLeaseCutsOffWrite: a leader whose write to --out is under way
// when it loses the lease (its session ended by the database) has that
// write cut off, not finished after another replica leads; it stands by.
func TestLostLeaseCutsOffWrite(t *testing.T) {
	url := testpg.Start(t)
	path := oneShowStation(t, "Cut Radio")
	out := &stuckOutput{release: make(chan struct{}), cut: make(chan error, 1)}
	t.Cleanup(func() { close(out.release) })
	l := lease.New(url, lease.Key("Cut Radio"), clock.System(0), nil)
	h := startWith(t, Options{ConfigPath: path, Clock: clock.NewFake(t0), Out: out, Lease: l})
	waitForWithin(t, 30*time.Second, func() bool { return role(h) == "leader" })
	out.hold.Store(true)
	h.clk.Advance(time.Minute)
	h.svc.Reload()
	h.wait("reload asked") // its write hangs

	admin, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	killed := time.Now()
	if _, err := admin.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'onair lease' AND datname = current_database()`); err != nil {
		t.Fatal(err)
	}
	select {
	case why := <-out.cut:
		if !errors.Is(why, lease.ErrLost) {
			t.Errorf("the write was cut off by %v", why)
		}
		t.Logf("the write was cut off %.2f s after the session ended", time.Since(killed).Seconds())
	case <-time.After(lease.Hold + 2*time.Second):
		t.Fatal("the write goes on after the lease was lost")
	}
	waitForWithin(t, 2*time.Second, func() bool { return role(h) == "standby" || l.State().Taking })
}
