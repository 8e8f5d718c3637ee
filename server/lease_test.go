package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/testpg"
	"github.com/onair-radio/onair/lease"
	"github.com/onair-radio/onair/output"
)

// TestReplicas: two replicas on one lease and one bucket: one leads and
// writes, the other serves and writes nothing; when the leader stops, the
// standby leads within the retry, and uploads nothing the leader already
// had.
func TestReplicas(t *testing.T) {
	url := testpg.Start(t)
	bucketURL := "file://" + t.TempDir()
	path := filepath.Join(t.TempDir(), "onair.yaml")
	os.WriteFile(path, []byte(`station: {name: Replica Radio, timezone: UTC, base_url: "https://radio.example.org"}
shows:
  - id: t
    title: Test Hour
    slots: [{kind: live, once: 2026-11-27 13:00, duration: 1h}]
`), 0o644)
	replica := func() (*harness, *output.Bucket) {
		b, err := output.OpenBucket(context.Background(), bucketURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		l := lease.New(url, lease.Key("Replica Radio"), clock.System(0), nil)
		return startWith(t, Options{ConfigPath: path, Clock: clock.NewFake(t0), Out: b, Lease: l}), b
	}
	role := func(h *harness) string { r, _ := h.health()["role"].(string); return r }
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
	waitForWithin(t, lease.Retry+3*time.Second, func() bool { return role(b) == "leader" })
	t.Logf("b led %.2f s after a stopped", time.Since(stopped).Seconds())
	waitForWithin(t, 5*time.Second, func() bool { return bb.LastWrite().Unchanged > 0 })
	if bb.LastWrite().Uploaded != 0 {
		t.Errorf("the new leader uploaded %d objects the old one had written", bb.LastWrite().Uploaded)
	}
	if m := b.metrics(); !containsAll(m, "onair_leader 1\n", "onair_lease_changes_total 1\n") {
		t.Errorf("b's metrics:\n%s", m)
	}
}

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
