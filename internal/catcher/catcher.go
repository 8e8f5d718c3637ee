// Package catcher stands in, in tests, for the endpoints onair notifies:
// Podping, WebSub hubs, the Podcast Index and webhook receivers. It
// records each request it accepts, and refuses (503) or holds the first
// attempts at a path as a test asks.
package catcher

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Catcher is an HTTP server on loopback.
type Catcher struct {
	*httptest.Server
	mu    sync.Mutex
	got   []Request
	fails map[string]int
	hang  map[string]bool
	tries map[string]int
	// abandoned counts held requests their client gave up on.
	abandoned map[string]int
	// released ends every held request (Release).
	released chan struct{}
	once     sync.Once
}

// Request is one request the catcher accepted.
type Request struct {
	Method, Path, Query string
	Auth                string // Authorization
	Type                string // Content-Type
	Sig                 string // X-Onair-Signature
	Body                string
	At                  time.Time // when it came
}

// New starts a catcher, closed when the test ends.
func New(t testing.TB) *Catcher {
	c := &Catcher{fails: make(map[string]int), hang: make(map[string]bool), tries: make(map[string]int), abandoned: make(map[string]int), released: make(chan struct{})}
	c.Server = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.Close)
	return c
}

func (c *Catcher) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.tries[r.URL.Path]++
	if c.hang[r.URL.Path] {
		c.mu.Unlock()
		select {
		case <-r.Context().Done():
			c.mu.Lock()
			c.abandoned[r.URL.Path]++
			c.mu.Unlock()
		case <-c.released:
			http.Error(w, "held, then let go", http.StatusServiceUnavailable)
		}
		return
	}
	if c.fails[r.URL.Path] > 0 {
		c.fails[r.URL.Path]--
		c.mu.Unlock()
		http.Error(w, "not now", http.StatusServiceUnavailable)
		return
	}
	c.got = append(c.got, Request{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), r.Header.Get("X-Onair-Signature"), string(body), time.Now()})
	c.mu.Unlock()
}

// Fail refuses the next n attempts at path.
func (c *Catcher) Fail(path string, n int) {
	c.mu.Lock()
	c.fails[path] = n
	c.mu.Unlock()
}

// Hang holds every attempt at path until its client gives up.
func (c *Catcher) Hang(path string) {
	c.mu.Lock()
	c.hang[path] = true
	c.mu.Unlock()
}

// Release lets every held request go (refused), now and from now on.
func (c *Catcher) Release() {
	c.once.Do(func() { close(c.released) })
}

// Tries is how many attempts path has had, accepted or not.
func (c *Catcher) Tries(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tries[path]
}

// Abandoned is how many held attempts at path their client gave up on.
func (c *Catcher) Abandoned(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.abandoned[path]
}

// Caught is what path accepted, in order.
func (c *Catcher) Caught(path string) []Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Request
	for _, g := range c.got {
		if g.Path == path {
			out = append(out, g)
		}
	}
	return out
}

// Station is a station's YAML whose notifications all go to the catcher:
// Podping (token pp-token), a hub, the Podcast Index and a webhook
// (secret hook-secret). shows is the YAML of its shows list.
func (c *Catcher) Station(shows string) string {
	return fmt.Sprintf(`station:
  name: Notify Radio
  timezone: UTC
  base_url: https://radio.example.org
  stream_url: https://radio.example.org/live.mp3
  notify:
    podping: {url: "%[1]s/podping", token: pp-token}
    websub: ["%[1]s/hub"]
    pubnotify: "%[1]s/pubnotify"
    webhooks: ["%[1]s/hook"]
    secret: hook-secret
shows:
%[2]s`, c.URL, shows)
}

// Hooks lists the webhook events /hook accepted, in order: each its type,
// and for a feed's update its reason (feed.updated/live).
func (c *Catcher) Hooks() string {
	var out []string
	for _, r := range c.Caught("/hook") {
		var e struct{ Type, Reason string }
		json.Unmarshal([]byte(r.Body), &e)
		s := e.Type
		if e.Reason != "" {
			s += "/" + e.Reason
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}
