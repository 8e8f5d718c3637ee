package server

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/catcher"
	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/testmedia"
	"github.com/onair-radio/onair/notify"
)

// notifyStation writes a station whose notifications go to c: a live
// hour at 13:00 UTC on 2026-11-27 (t0 is noon).
func notifyStation(t *testing.T, c *catcher.Catcher) string {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	path := filepath.Join(dir, "onair.yaml")
	os.WriteFile(path, []byte(c.Station(`  - id: t
    title: Test Hour
    recordings: {dir: archive}
    slots:
      - {kind: live, once: 2026-11-27 13:00, duration: 1h}
`)), 0o644)
	return path
}

// notified runs a service at at on the outbox in dir.
func notified(t *testing.T, path, dir string, at time.Time) *harness {
	box, err := notify.OpenFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := startWith(t, Options{ConfigPath: path, Clock: clock.NewFake(at), Outbox: box})
	t.Cleanup(func() { box.Close() }) // after the service stops
	return h
}

func podpings(c *catcher.Catcher) string {
	var out []string
	for _, r := range c.Caught("/podping") {
		out = append(out, strings.Split(strings.Split(r.Query, "reason=")[1], "&")[0])
	}
	return strings.Join(out, " ")
}

// TestNotifyAirTime: at a live airing's start Podping hears live, and at
// its end liveEnd; the hub and the index hear of each change; the
// webhooks hear of the airing; /healthz, /metrics and the feed's Link
// header say so.
func TestNotifyAirTime(t *testing.T) {
	t.Parallel()
	c := catcher.New(t)
	path := notifyStation(t, c)
	h := notified(t, path, t.TempDir(), t0)
	if got := h.svc.notify.sender.Stats(); len(got) != 4 {
		t.Fatalf("endpoints %+v", got)
	}
	start := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	h.clk.AdvanceTo(start)
	waitFor(t, func() bool { return podpings(c) == "live" && c.Hooks() == "airing.started feed.updated/live" })
	waitFor(t, func() bool { return len(c.Caught("/hub")) == 1 && len(c.Caught("/pubnotify")) == 1 })
	h.clk.AdvanceTo(start.Add(time.Hour))
	waitFor(t, func() bool {
		return podpings(c) == "live liveEnd" && c.Hooks() == "airing.started feed.updated/live airing.ended feed.updated/liveEnd"
	})
	waitFor(t, func() bool { return len(c.Caught("/hub")) == 2 && len(c.Caught("/pubnotify")) == 2 })
	// Its recording lands: an episode, and the feed's update.
	os.WriteFile(filepath.Join(filepath.Dir(path), "archive", "t-2026-11-27.mp3"), testmedia.MP3(100, ""), 0o644)
	h.settle("recordings")
	waitFor(t, func() bool {
		h.clk.Advance(100 * time.Millisecond) // an update waits to be coalesced
		hooks := c.Hooks()
		return podpings(c) == "live liveEnd update" &&
			(strings.HasSuffix(hooks, "feed.updated/liveEnd episode.published feed.updated/update") || strings.HasSuffix(hooks, "feed.updated/liveEnd feed.updated/update episode.published"))
	})
	if pp := c.Caught("/podping")[0]; pp.Auth != "pp-token" || !strings.Contains(pp.Query, "url=https%3A%2F%2Fradio.example.org%2Ffeeds%2Ft.xml") {
		t.Errorf("podping %+v", pp)
	}
	waitFor(t, func() bool {
		m := h.metrics()
		return strings.Contains(m, `onair_notify_delivered{endpoint="podping `+c.URL+`/podping"} 3`) && strings.Contains(m, `onair_notify_pending{endpoint="webhook `+c.URL+`/hook"} 0`)
	})
	hz, _ := json.Marshal(h.health()["notify"])
	if !strings.Contains(string(hz), `"delivered":6`) || strings.Contains(string(hz), "hook-secret") || strings.Contains(string(hz), "pp-token") {
		t.Errorf("/healthz notify: %s", hz)
	}
	resp, err := http.Get(h.srv.URL + "/feeds/t.xml")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("Link"), `<https://radio.example.org/feeds/t.xml>; rel="self", <`+c.URL+`/hub>; rel="hub"`; got != want {
		t.Errorf("Link: %q, want %q", got, want)
	}
	if strings.Contains(h.logs.String(), "hook-secret") || strings.Contains(h.logs.String(), "pp-token") {
		t.Errorf("a secret in the log")
	}
}

// TestNotifyAcrossRestarts: a service that was down when an airing
// started tells live when it comes back, once; one that comes back again
// tells nothing more; one that comes back after the end tells liveEnd; one
// that was down for a whole airing tells nothing of it.
func TestNotifyAcrossRestarts(t *testing.T) {
	t.Parallel()
	c := catcher.New(t)
	path := notifyStation(t, c)
	dir := t.TempDir()
	run := func(at time.Time) {
		h := notified(t, path, dir, at)
		time.Sleep(100 * time.Millisecond) // its workers deliver what is due
		h.stop()
	}
	run(t0) // noon: learns
	run(time.Date(2026, 11, 27, 13, 10, 0, 0, time.UTC))
	waitFor(t, func() bool { return podpings(c) == "live" })
	run(time.Date(2026, 11, 27, 13, 20, 0, 0, time.UTC))
	run(time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC))
	waitFor(t, func() bool { return podpings(c) == "live liveEnd" })
	if got := c.Hooks(); got != "airing.started feed.updated/live airing.ended feed.updated/liveEnd" {
		t.Errorf("webhooks: %s", got)
	}
	if n := len(c.Caught("/hub")); n != 2 {
		t.Errorf("the hub heard %d times, want 2", n)
	}

	// Down for the whole airing: nothing of the airing; the feed changed
	// (its live item ended), and that is an update.
	c2 := catcher.New(t)
	path2, dir2 := notifyStation(t, c2), t.TempDir()
	h := notified(t, path2, dir2, t0)
	h.stop()
	h = notified(t, path2, dir2, time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC))
	waitFor(t, func() bool {
		h.clk.Advance(100 * time.Millisecond) // an update waits to be coalesced
		return podpings(c2) == "update" && c2.Hooks() == "feed.updated/update"
	})
	h.stop()
}
