package notify

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/clock"
)

// catcher stands in for Podping, a hub, the Podcast Index and a webhook
// receiver: it records what it is told, and fails the first attempts at
// each path as the test asks.
type catcher struct {
	*httptest.Server
	mu    sync.Mutex
	got   []caught
	fails map[string]int // by path: how many attempts to refuse
	hang  map[string]bool
	tries map[string]int
}

type caught struct {
	Method, Path, Query, Auth, Type, Sig, Body string
}

func newCatcher(t *testing.T) *catcher {
	c := &catcher{fails: make(map[string]int), hang: make(map[string]bool), tries: make(map[string]int)}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.tries[r.URL.Path]++
		if c.hang[r.URL.Path] {
			c.mu.Unlock()
			<-r.Context().Done()
			return
		}
		if c.fails[r.URL.Path] > 0 {
			c.fails[r.URL.Path]--
			c.mu.Unlock()
			http.Error(w, "not now", http.StatusServiceUnavailable)
			return
		}
		c.got = append(c.got, caught{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), r.Header.Get("X-Onair-Signature"), string(body)})
		c.mu.Unlock()
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *catcher) caught(path string) []caught {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []caught
	for _, g := range c.got {
		if g.Path == path {
			out = append(out, g)
		}
	}
	return out
}

func (c *catcher) endpoints() []Endpoint {
	return []Endpoint{
		{ID: "podping", Kind: Podping, URL: c.URL + "/podping", Secret: "pp-token"},
		{ID: "websub", Kind: WebSub, URL: c.URL + "/hub"},
		{ID: "pubnotify", Kind: PubNotify, URL: c.URL + "/pubnotify"},
		{ID: "webhook", Kind: Webhook, URL: c.URL + "/hook?key=k", Secret: "hook-secret"},
	}
}

// eventually waits for cond, which the workers make true in real time.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 5 s: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

type harness struct {
	t      *testing.T
	clk    *clock.Fake
	box    *Outbox
	sender *Sender
	eps    []Endpoint
}

func newHarness(t *testing.T, eps []Endpoint) *harness {
	t0 := at("2026-11-29 12:59:00")
	box, err := OpenFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, clk: clock.NewFake(t0), box: box, eps: eps}
	h.sender = &Sender{Outbox: box, Clock: h.clk}
	ctx, cancel := context.WithCancel(context.Background())
	h.sender.SetEndpoints(ctx, eps)
	t.Cleanup(func() {
		cancel()
		h.sender.Stop()
		box.Close()
	})
	return h
}

func (h *harness) commit(events ...Event) int {
	h.t.Helper()
	n, err := h.box.Commit(context.Background(), h.clk.Now(), events, h.eps, State{}, State{At: h.clk.Now()})
	if err != nil {
		h.t.Fatal(err)
	}
	h.sender.Wake()
	return n
}

func (h *harness) stats(ep string) EndpointStats {
	st, err := h.box.Stats(context.Background(), h.clk.Now(), nil)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, s := range st {
		if s.Endpoint == ep {
			return s
		}
	}
	return EndpointStats{}
}

var live = Event{ID: "feed.updated:prn:live:prn-2026-11-29T1300", Type: FeedUpdated, At: at("2026-11-29 13:00:00"), Station: "Notify Radio", Show: "prn",
	Airing: "prn-2026-11-29T1300", Episode: "prn-2026-11-29", Feed: "https://radio.example.org/feeds/prn.xml", Reason: ReasonLive}

// TestDeliverEach: each endpoint gets its request, in its form; a refused
// delivery is tried again after 1 s, then 2 s, and once made is made once.
func TestDeliverEach(t *testing.T) {
	c := newCatcher(t)
	c.fails["/podping"] = 2
	h := newHarness(t, c.endpoints())
	h.clk.AdvanceTo(live.At)
	if n := h.commit(live); n != 4 {
		t.Fatalf("%d deliveries, want 4", n)
	}
	eventually(t, "the hub, the index and the webhook are told", func() bool {
		return len(c.caught("/hub")) == 1 && len(c.caught("/pubnotify")) == 1 && len(c.caught("/hook")) == 1
	})
	eventually(t, "podping's first refusal", func() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.tries["/podping"] == 1 && h.clk.Timers() > 0 })
	h.clk.Advance(time.Second)
	eventually(t, "podping's second refusal", func() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.tries["/podping"] == 2 })
	if s := h.stats("podping"); s.Failing != 1 || !strings.Contains(s.LastError, "503") {
		t.Errorf("podping failing: %+v", s)
	}
	h.clk.Advance(2 * time.Second)
	eventually(t, "podping told", func() bool { return len(c.caught("/podping")) == 1 })

	pp := c.caught("/podping")[0]
	if pp.Method != "GET" || pp.Auth != "pp-token" || pp.Query != "medium=podcast&reason=live&url=https%3A%2F%2Fradio.example.org%2Ffeeds%2Fprn.xml" {
		t.Errorf("podping: %+v", pp)
	}
	hub := c.caught("/hub")[0]
	if hub.Method != "POST" || hub.Type != "application/x-www-form-urlencoded" || hub.Body != "hub.mode=publish&hub.url=https%3A%2F%2Fradio.example.org%2Ffeeds%2Fprn.xml" {
		t.Errorf("websub: %+v", hub)
	}
	if pn := c.caught("/pubnotify")[0]; pn.Method != "GET" || pn.Query != "url=https%3A%2F%2Fradio.example.org%2Ffeeds%2Fprn.xml" {
		t.Errorf("pubnotify: %+v", pn)
	}
	hook := c.caught("/hook")[0]
	var body map[string]any
	if err := json.Unmarshal([]byte(hook.Body), &body); err != nil || body["id"] != live.ID || body["type"] != "feed.updated" || body["airing"] != live.Airing ||
		body["episode"] != live.Episode || body["show"] != "prn" || body["at"] != "2026-11-29T13:00:00Z" {
		t.Errorf("webhook body %s (%v)", hook.Body, err)
	}
	if want := Sign("hook-secret", []byte(hook.Body)); !hmac.Equal([]byte(hook.Sig), []byte(want)) || !strings.HasPrefix(hook.Sig, "sha256=") {
		t.Errorf("webhook signature %q, want %q", hook.Sig, want)
	}
	// Nothing more: each was told once, and the outbox says so.
	h.clk.Advance(time.Hour)
	time.Sleep(50 * time.Millisecond)
	for _, p := range []string{"/podping", "/hub", "/pubnotify", "/hook"} {
		if n := len(c.caught(p)); n != 1 {
			t.Errorf("%s told %d times", p, n)
		}
	}
	eventually(t, "the stats", func() bool {
		s := h.stats("podping")
		return s.Delivered == 1 && s.Pending == 0 && s.Failing == 0
	})
	// The same event, planned again, is no news.
	if n := h.commit(live); n != 0 {
		t.Errorf("committed again: %d deliveries", n)
	}
}

// TestCoalesce: updates of a feed close together are told once; live is
// not delayed by them.
func TestCoalesce(t *testing.T) {
	c := newCatcher(t)
	h := newHarness(t, c.endpoints()[1:2]) // the hub
	update := func(id string) Event {
		return Event{ID: id, Type: FeedUpdated, At: h.clk.Now(), Show: "prn", Feed: live.Feed, Reason: ReasonUpdate}
	}
	h.commit(update("u1"))
	h.clk.Advance(time.Second)
	if n := h.commit(update("u2")); n != 0 {
		t.Errorf("a second update within the window added %d deliveries", n)
	}
	time.Sleep(20 * time.Millisecond)
	if n := len(c.caught("/hub")); n != 0 {
		t.Fatalf("an update went out before its window ended")
	}
	h.commit(live) // never waits
	eventually(t, "live, at once", func() bool { return len(c.caught("/hub")) == 1 })
	h.clk.Advance(Coalesce)
	eventually(t, "the update, once", func() bool { return len(c.caught("/hub")) == 2 })
	time.Sleep(20 * time.Millisecond)
	if n := len(c.caught("/hub")); n != 2 {
		t.Errorf("the hub was told %d times, want 2", n)
	}
}

// TestSlowEndpoint: an endpoint that does not answer delays only itself.
func TestSlowEndpoint(t *testing.T) {
	c := newCatcher(t)
	c.hang["/podping"] = true
	h := newHarness(t, c.endpoints())
	h.commit(live)
	eventually(t, "the others told while podping hangs", func() bool {
		return len(c.caught("/hub")) == 1 && len(c.caught("/pubnotify")) == 1 && len(c.caught("/hook")) == 1
	})
}

// TestGiveUp: an endpoint that always fails is tried, further and further
// apart, for a day, and then given up.
func TestGiveUp(t *testing.T) {
	c := newCatcher(t)
	c.fails["/hub"] = 1 << 30
	h := newHarness(t, c.endpoints()[1:2])
	h.commit(live)
	start := h.clk.Now()
	for h.clk.Now().Sub(start) < GiveUp+2*time.Hour {
		before := func() int { c.mu.Lock(); defer c.mu.Unlock(); return c.tries["/hub"] }()
		next, ok := h.clk.Next()
		if !ok {
			if h.stats("websub").GivenUp == 1 {
				break
			}
			time.Sleep(time.Millisecond)
			continue
		}
		h.clk.AdvanceTo(next)
		eventually(t, "a try", func() bool {
			c.mu.Lock()
			defer c.mu.Unlock()
			return c.tries["/hub"] > before
		})
		eventually(t, "its record", func() bool { s := h.stats("websub"); return s.Failing == 1 || s.GivenUp == 1 })
	}
	s := h.stats("websub")
	c.mu.Lock()
	tries := c.tries["/hub"]
	c.mu.Unlock()
	if s.GivenUp != 1 || s.Pending != 0 || tries < 30 || tries > 45 {
		t.Errorf("after a day: %+v, %d tries", s, tries)
	}
	t.Logf("given up after %d tries over %s", tries, h.clk.Now().Sub(start))
}
