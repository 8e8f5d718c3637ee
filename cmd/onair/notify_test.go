package main

import (
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/catcher"
	"github.com/onair-radio/onair/notify"
)

// TestNotifyExactlyOnce runs onair serve on the real clock around a live
// airing and kills it with SIGKILL twice: once while a refused live
// notification waits for its retry, once right after its deliveries are
// recorded. Restarted on the same --state each time, it delivers each
// event to each endpoint exactly once, live and liveEnd included, signed.
func TestNotifyExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs onair")
	}
	c := catcher.New(t)
	c.Fail("/podping", 1)
	c.Fail("/hook", 1)
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	t0 := time.Now().UTC().Truncate(time.Second).Add(4 * time.Second)
	cfg := filepath.Join(dir, "onair.yaml")
	os.WriteFile(cfg, []byte(c.Station(fmt.Sprintf(`  - id: t
    title: Test Hour
    slots:
      - {kind: live, once: "%s", duration: 6s}
`, t0.Format("2006-01-02 15:04:05")))), 0o644)
	args := "--config " + cfg + " --state " + state + " --listen 127.0.0.1:0 --no-cache"
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("not within 15 s: %s (podping %d tries, %v; hooks %s)", what, c.Tries("/podping"), c.Caught("/podping"), c.Hooks())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	kill := func(cmd *exec.Cmd) {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}

	// 1. Up before the airing; killed once Podping and the webhook have
	// refused (their retries wait a second) and the rest is delivered and
	// recorded. (A kill between an endpoint's answer and the commit that
	// records it would tell that endpoint again: the webhook's id lets a
	// receiver see it.)
	cmd, addr, _ := serveArgs(t, args)
	waitFor("podping's and the webhook's refusals, the rest recorded", func() bool {
		p, f := outbox(addr)
		return c.Tries("/podping") == 1 && c.Tries("/hook") == 2 && p == 2 && f == 2
	})
	kill(cmd)
	if len(c.Caught("/podping")) != 0 {
		t.Fatal("podping accepted before the kill")
	}

	// 2. Back: it delivers what waited; killed once that is recorded.
	cmd, addr, _ = serveArgs(t, args)
	waitFor("live delivered everywhere, and recorded", func() bool {
		p, _ := outbox(addr)
		return p == 0 && len(c.Caught("/podping")) == 1 && len(c.Caught("/hook")) == 2
	})
	kill(cmd)

	// 3. Back again, through the airing's end.
	cmd, addr, _ = serveArgs(t, args)
	waitFor("liveEnd delivered everywhere, and recorded", func() bool {
		p, _ := outbox(addr)
		return time.Now().After(t0.Add(6*time.Second)) && p == 0 && len(c.Caught("/podping")) == 2
	})
	time.Sleep(500 * time.Millisecond) // anything more would go out now
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()

	var reasons []string
	for _, r := range c.Caught("/podping") {
		reasons = append(reasons, r.Query)
	}
	if len(reasons) != 2 || !strings.Contains(reasons[0], "reason=live&") || !strings.Contains(reasons[1], "reason=liveEnd&") {
		t.Fatalf("podping heard %q, want live then liveEnd, once each", reasons)
	}
	// liveEnd came from a service that was up at the airing's end.
	late := c.Caught("/podping")[1].At.Sub(t0.Add(6 * time.Second))
	t.Logf("podping heard liveEnd %.3f s after the airing's end", late.Seconds())
	if late < 0 || late > 2*time.Second {
		t.Errorf("liveEnd %.3f s after the airing's end, want within 2 s", late.Seconds())
	}
	// A refused delivery is retried after the ones behind it: the order
	// may differ, the set may not.
	types := strings.Fields(c.Hooks())
	slices.Sort(types)
	if got := strings.Join(types, " "); got != "airing.ended airing.started feed.updated/live feed.updated/liveEnd" {
		t.Errorf("webhooks: %s", got)
	}
	ids := make(map[string]bool)
	for _, r := range c.Caught("/hook") {
		var e notify.Event
		json.Unmarshal([]byte(r.Body), &e)
		if ids[e.ID] {
			t.Errorf("event %s delivered twice", e.ID)
		}
		ids[e.ID] = true
		if !hmac.Equal([]byte(r.Sig), []byte(notify.Sign("hook-secret", []byte(r.Body)))) {
			t.Errorf("event %s: bad signature %q", e.ID, r.Sig)
		}
	}
	if n, m := len(c.Caught("/hub")), len(c.Caught("/pubnotify")); n != 2 || m != 2 {
		t.Errorf("the hub heard %d times, the index %d: want 2 each", n, m)
	}

	// The outbox says the same.
	status := exec.Command(os.Args[0])
	status.Env = append(os.Environ(), "ONAIR_MAIN_ARGS=notify status --state "+state)
	b, err := status.Output()
	if err != nil || !strings.Contains(string(b), "podping "+c.URL+"/podping") || strings.Count(string(b), "\n") != 5 {
		t.Errorf("notify status: %v\n%s", err, b)
	}
	t.Logf("onair notify status:\n%s", b)
}

// outbox is how many notifications the service at addr has waiting, and
// how many of those were refused; -1s when it does not say.
func outbox(addr string) (pending, failing int) {
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		return -1, -1
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var h struct {
		Notify struct {
			Endpoints []notify.EndpointStats `json:"endpoints"`
		} `json:"notify"`
	}
	if json.Unmarshal(b, &h) != nil || len(h.Notify.Endpoints) != 4 {
		return -1, -1
	}
	for _, e := range h.Notify.Endpoints {
		pending += e.Pending
		failing += e.Failing
	}
	return pending, failing
}
