package notify

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/catcher"
	"github.com/onair-radio/onair/internal/clock"
)

func endpointsOf(c *catcher.Catcher) []Endpoint {
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
	return newHarnessWith(t, eps, nil)
}

// newHarnessWith is newHarness, with set changing the sender before it
// starts.
func newHarnessWith(t *testing.T, eps []Endpoint, set func(*Sender)) *harness {
	t0 := at("2026-11-29 12:59:00")
	box, err := OpenFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, clk: clock.NewFake(t0), box: box, eps: eps}
	h.sender = &Sender{Outbox: box, Clock: h.clk}
	if set != nil {
		set(h.sender)
	}
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
	c := catcher.New(t)
	c.Fail("/podping", 2)
	h := newHarness(t, endpointsOf(c))
	h.clk.AdvanceTo(live.At)
	if n := h.commit(live); n != 4 {
		t.Fatalf("%d deliveries, want 4", n)
	}
	eventually(t, "the hub, the index and the webhook are told", func() bool {
		return len(c.Caught("/hub")) == 1 && len(c.Caught("/pubnotify")) == 1 && len(c.Caught("/hook")) == 1
	})
	eventually(t, "podping's first refusal", func() bool { return c.Tries("/podping") == 1 && h.clk.Timers() > 0 })
	h.clk.Advance(time.Second)
	// Its retry is armed before time moves on (on a busy machine, the
	// worker may not have set it yet when the refusal is seen).
	eventually(t, "podping's second refusal", func() bool { return c.Tries("/podping") == 2 && h.clk.Timers() > 0 })
	if s := h.stats("podping"); s.Failing != 1 || !strings.Contains(s.LastError, "503") {
		t.Errorf("podping failing: %+v", s)
	}
	h.clk.Advance(2 * time.Second)
	eventually(t, "podping told", func() bool { return len(c.Caught("/podping")) == 1 })

	pp := c.Caught("/podping")[0]
	if pp.Method != "GET" || pp.Auth != "pp-token" || pp.Query != "medium=podcast&reason=live&url=https%3A%2F%2Fradio.example.org%2Ffeeds%2Fprn.xml" {
		t.Errorf("podping: %+v", pp)
	}
	hub := c.Caught("/hub")[0]
	if hub.Method != "POST" || hub.Type != "application/x-www-form-urlencoded" || hub.Body != "hub.mode=publish&hub.url=https%3A%2F%2Fradio.example.org%2Ffeeds%2Fprn.xml" {
		t.Errorf("websub: %+v", hub)
	}
	if pn := c.Caught("/pubnotify")[0]; pn.Method != "GET" || pn.Query != "url=https%3A%2F%2Fradio.example.org%2Ffeeds%2Fprn.xml" {
		t.Errorf("pubnotify: %+v", pn)
	}
	hook := c.Caught("/hook")[0]
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
		if n := len(c.Caught(p)); n != 1 {
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
	c := catcher.New(t)
	h := newHarness(t, endpointsOf(c)[1:2]) // the hub
	update := func(id string) Event {
		return Event{ID: id, Type: FeedUpdated, At: h.clk.Now(), Show: "prn", Feed: live.Feed, Reason: ReasonUpdate}
	}
	h.commit(update("u1"))
	h.clk.Advance(time.Second)
	if n := h.commit(update("u2")); n != 0 {
		t.Errorf("a second update within the window added %d deliveries", n)
	}
	time.Sleep(20 * time.Millisecond)
	if n := len(c.Caught("/hub")); n != 0 {
		t.Fatalf("an update went out before its window ended")
	}
	h.commit(live) // never waits
	eventually(t, "live, at once", func() bool { return len(c.Caught("/hub")) == 1 })
	h.clk.Advance(Coalesce)
	eventually(t, "the update, once", func() bool { return len(c.Caught("/hub")) == 2 })
	time.Sleep(20 * time.Millisecond)
	if n := len(c.Caught("/hub")); n != 2 {
		t.Errorf("the hub was told %d times, want 2", n)
	}
}

// TestSlowEndpoint: an endpoint that does not answer delays only itself.
func TestSlowEndpoint(t *testing.T) {
	c := catcher.New(t)
	c.Hang("/podping")
	h := newHarness(t, endpointsOf(c))
	t.Cleanup(c.Release) // before the sender stops: it finishes the request it has under way
	h.commit(live)
	eventually(t, "the others told while podping hangs", func() bool {
		return len(c.Caught("/hub")) == 1 && len(c.Caught("/pubnotify")) == 1 && len(c.Caught("/hook")) == 1
	})
}

// TestCutOff: a request under way when the replica stops leading (Acting's
// context ends) is cut off, not finished, and not recorded: the delivery
// stays pending, untried, for the next leader; and this sender sends
// nothing more (its Fence fails).
func TestCutOff(t *testing.T) {
	c := catcher.New(t)
	c.Hang("/podping")
	t.Cleanup(c.Release)
	lead, lose := context.WithCancelCause(context.Background())
	errLost := errors.New("no longer the leader")
	h := newHarnessWith(t, endpointsOf(c)[:1], func(s *Sender) {
		s.Fence = func(context.Context) error { return context.Cause(lead) }
		s.Acting = func(parent context.Context) (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancelCause(parent)
			stop := context.AfterFunc(lead, func() { cancel(context.Cause(lead)) })
			return ctx, func() { stop(); cancel(context.Canceled) }
		}
	})
	h.commit(live)
	eventually(t, "podping is asked", func() bool { return c.Tries("/podping") == 1 })
	lose(errLost)
	eventually(t, "the request is cut off", func() bool { return c.Abandoned("/podping") == 1 })
	h.sender.Refresh(context.Background())
	if st := h.stats("podping"); st.Pending != 1 || st.Failing != 0 || st.Delivered != 0 || st.LastError != "" {
		t.Errorf("after the cut: %+v", st)
	}
	h.sender.Wake()
	time.Sleep(100 * time.Millisecond)
	if n := c.Tries("/podping"); n != 1 {
		t.Errorf("%d tries after the replica stopped leading", n)
	}
}

// TestGiveUp: an endpoint that always fails is tried, further and further
// apart, for a day, and then given up.
func TestGiveUp(t *testing.T) {
	c := catcher.New(t)
	c.Fail("/hub", 1<<30)
	h := newHarness(t, endpointsOf(c)[1:2])
	h.commit(live)
	start := h.clk.Now()
	for h.clk.Now().Sub(start) < GiveUp+2*time.Hour {
		before := c.Tries("/hub")
		next, ok := h.clk.Next()
		if !ok {
			if h.stats("websub").GivenUp == 1 {
				break
			}
			time.Sleep(time.Millisecond)
			continue
		}
		h.clk.AdvanceTo(next)
		eventually(t, "a try", func() bool { return c.Tries("/hub") > before })
		eventually(t, "its record", func() bool { s := h.stats("websub"); return s.Failing == 1 || s.GivenUp == 1 })
	}
	s := h.stats("websub")
	tries := c.Tries("/hub")
	if s.GivenUp != 1 || s.Pending != 0 || tries < 30 || tries > 45 {
		t.Errorf("after a day: %+v, %d tries", s, tries)
	}
	t.Logf("given up after %d tries over %s", tries, h.clk.Now().Sub(start))
}
