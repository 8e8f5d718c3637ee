package server

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onair-radio/onair/notify"
	"github.com/onair-radio/onair/playout"
)

// Metrics is what /metrics reports, in Prometheus' text exposition format.
//
// It is written here rather than with a metrics library: the command line
// shares the binary, and the libraries tried cost every `onair next` at
// start-up (client_golang's registry and protobuf descriptors) or write to
// the process's log when they load (VictoriaMetrics/metrics, on hosts
// without cgroup pressure files). A handful of metrics need none of that.
type Metrics struct {
	// requests counts by route and status code: atomics, no lock and no
	// allocation on the request path.
	requests [len(routes)][600]atomic.Uint64

	mu           sync.Mutex
	publishes    uint64
	reloadFailed uint64
	writeFailed  uint64
	playoutFail  uint64
	recordings   [3]uint64 // complete, partial, failed
	publishTime  histogram
	nextAiring   time.Time
	air          airGauges
	leading      bool
	leaseChanges uint64
	// notify reads the outbox's status (nil: no outbox). It is set before
	// the service serves.
	notify func() []notify.EndpointStats
}

// airGauges are what the air chain is doing, as of the service's last event.
type airGauges struct {
	playout               bool // a playout block: the rest but recordings mean something
	liquidsoapUp, live    bool
	playing               bool
	recording, unfinished int
}

func (m *Metrics) setLeading(leading bool) {
	m.mu.Lock()
	m.leading = leading
	m.mu.Unlock()
}

func (m *Metrics) leaseChanged() {
	m.mu.Lock()
	m.leaseChanges++
	m.mu.Unlock()
}

func (m *Metrics) setAir(g airGauges) {
	m.mu.Lock()
	m.air = g
	m.mu.Unlock()
}

func b01(b bool) int {
	if b {
		return 1
	}
	return 0
}

// publishBuckets are the publish-duration histogram's upper bounds, in seconds.
var publishBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type histogram struct {
	counts []uint64 // per bucket, then +Inf
	sum    float64
	n      uint64
}

// NewMetrics makes onair's metrics, all zero.
func NewMetrics() *Metrics {
	return &Metrics{publishTime: histogram{counts: make([]uint64, len(publishBuckets)+1)}}
}

func (m *Metrics) published(d time.Duration, next time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.publishes++
	secs := d.Seconds()
	i, _ := slices.BinarySearch(publishBuckets, secs)
	m.publishTime.counts[i]++
	m.publishTime.sum += secs
	m.publishTime.n++
	m.nextAiring = next
}

func (m *Metrics) reloadFailure() {
	m.mu.Lock()
	m.reloadFailed++
	m.mu.Unlock()
}

func (m *Metrics) writeFailure() {
	m.mu.Lock()
	m.writeFailed++
	m.mu.Unlock()
}

func (m *Metrics) playoutFailure() {
	m.mu.Lock()
	m.playoutFail++
	m.mu.Unlock()
}

// recordingResults are onair_recordings_total's results, as
// m.recordings counts them.
var recordingResults = [3]string{playout.Complete, playout.Partial, playout.Failed}

func (m *Metrics) recorded(verdict string) {
	m.mu.Lock()
	for i, r := range recordingResults {
		if r == verdict {
			m.recordings[i]++
		}
	}
	m.mu.Unlock()
}

func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	m.WriteTo(w)
}

// WriteTo writes the metrics in the text exposition format.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	b.WriteString("# HELP onair_http_requests_total HTTP requests, by route and status.\n# TYPE onair_http_requests_total counter\n")
	for i, r := range routes {
		for code := range m.requests[i] {
			if n := m.requests[i][code].Load(); n > 0 {
				fmt.Fprintf(&b, "onair_http_requests_total{route=%q,code=\"%d\"} %d\n", r, code, n)
			}
		}
	}
	fmt.Fprintf(&b, "# HELP onair_publishes_total Publishes of the site.\n# TYPE onair_publishes_total counter\nonair_publishes_total %d\n", m.publishes)
	b.WriteString("# HELP onair_publish_duration_seconds How long a publish took.\n# TYPE onair_publish_duration_seconds histogram\n")
	var cum uint64
	for i, le := range publishBuckets {
		cum += m.publishTime.counts[i]
		fmt.Fprintf(&b, "onair_publish_duration_seconds_bucket{le=%q} %d\n", strconv.FormatFloat(le, 'g', -1, 64), cum)
	}
	cum += m.publishTime.counts[len(publishBuckets)]
	fmt.Fprintf(&b, "onair_publish_duration_seconds_bucket{le=\"+Inf\"} %d\nonair_publish_duration_seconds_sum %g\nonair_publish_duration_seconds_count %d\n", cum, m.publishTime.sum, m.publishTime.n)
	fmt.Fprintf(&b, "# HELP onair_reload_failures_total Edits of the configuration that were refused.\n# TYPE onair_reload_failures_total counter\nonair_reload_failures_total %d\n", m.reloadFailed)
	fmt.Fprintf(&b, "# HELP onair_write_failures_total Writes of the site to --out that failed (each is tried again).\n# TYPE onair_write_failures_total counter\nonair_write_failures_total %d\n", m.writeFailed)
	fmt.Fprintf(&b, "# HELP onair_playout_failures_total Commands to Liquidsoap that failed (each is tried again).\n# TYPE onair_playout_failures_total counter\nonair_playout_failures_total %d\n", m.playoutFail)
	b.WriteString("# HELP onair_recordings_total Recordings of live airings, by verdict: complete, partial (published, with seconds missing), failed (not published).\n# TYPE onair_recordings_total counter\n")
	for i, r := range recordingResults {
		fmt.Fprintf(&b, "onair_recordings_total{result=%q} %d\n", r, m.recordings[i])
	}
	fmt.Fprintf(&b, "# HELP onair_leader 1 while this replica acts (always, without --lease).\n# TYPE onair_leader gauge\nonair_leader %d\n", b01(m.leading))
	fmt.Fprintf(&b, "# HELP onair_lease_changes_total Changes of this replica's role.\n# TYPE onair_lease_changes_total counter\nonair_lease_changes_total %d\n", m.leaseChanges)
	fmt.Fprintf(&b, "# HELP onair_recordings_in_progress Live airings being recorded now.\n# TYPE onair_recordings_in_progress gauge\nonair_recordings_in_progress %d\n", m.air.recording)
	fmt.Fprintf(&b, "# HELP onair_unfinished_recordings .part files of recordings whose airing ended while the service was down (not published).\n# TYPE onair_unfinished_recordings gauge\nonair_unfinished_recordings %d\n", m.air.unfinished)
	if m.air.playout {
		fmt.Fprintf(&b, "# HELP onair_liquidsoap_up 1 when Liquidsoap answered the last command or check.\n# TYPE onair_liquidsoap_up gauge\nonair_liquidsoap_up %d\n", b01(m.air.liquidsoapUp))
		fmt.Fprintf(&b, "# HELP onair_live 1 while the studio (the harbor) is on air.\n# TYPE onair_live gauge\nonair_live %d\n", b01(m.air.live))
		fmt.Fprintf(&b, "# HELP onair_rebroadcast_playing 1 while a rebroadcast's episode is on air.\n# TYPE onair_rebroadcast_playing gauge\nonair_rebroadcast_playing %d\n", b01(m.air.playing))
	}
	if m.notify != nil {
		stats := m.notify()
		for _, g := range []struct {
			name, help string
			value      func(notify.EndpointStats) float64
		}{
			{"onair_notify_pending", "Notifications waiting to be delivered, by endpoint.", func(e notify.EndpointStats) float64 { return float64(e.Pending) }},
			{"onair_notify_failing", "Notifications waiting after a failed attempt, by endpoint.", func(e notify.EndpointStats) float64 { return float64(e.Failing) }},
			{"onair_notify_delivered", "Notifications delivered in the last 7 days, by endpoint.", func(e notify.EndpointStats) float64 { return float64(e.Delivered) }},
			{"onair_notify_given_up", "Notifications given up after a day of failures, in the last 7 days, by endpoint.", func(e notify.EndpointStats) float64 { return float64(e.GivenUp) }},
			{"onair_notify_oldest_pending_age_seconds", "How long the oldest waiting notification has waited, by endpoint.", func(e notify.EndpointStats) float64 { return e.OldestAgeSeconds }},
		} {
			fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", g.name, g.help, g.name)
			for _, e := range stats {
				fmt.Fprintf(&b, "%s{endpoint=%q} %s\n", g.name, e.Endpoint, strconv.FormatFloat(g.value(e), 'f', -1, 64))
			}
		}
	}
	next := "NaN"
	if !m.nextAiring.IsZero() {
		next = strconv.FormatInt(m.nextAiring.Unix(), 10)
	}
	fmt.Fprintf(&b, "# HELP onair_next_airing_timestamp_seconds When the next airing starts (Unix time).\n# TYPE onair_next_airing_timestamp_seconds gauge\nonair_next_airing_timestamp_seconds %s\n", next)
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// Instrument counts requests by route and status.
func (m *Metrics) Instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		if sw.status >= 100 && sw.status < 600 {
			m.requests[route(r.URL.Path)][sw.status].Add(1)
		}
	})
}

// routes are the route label's values: a path's first segment, so that
// labels stay few; the web pages are "pages".
var routes = [...]string{"other", "feeds", "calendar", "calendar.ics", "schedule.json", "media", "healthz", "metrics", "pages", "assets"}

func route(p string) int {
	seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	switch seg {
	case "", "index.html", "shows", "embed":
		seg = "pages"
	}
	for i, r := range routes {
		if r == seg {
			return i
		}
	}
	return 0
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// ReadFrom keeps the server's own ReadFrom, and with it sendfile for
// media, reachable through the wrapper: http.ServeContent copies with
// io.Copy, which uses it only when the writer it is given has one.
func (w *statusWriter) ReadFrom(src io.Reader) (int64, error) {
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(struct{ io.Writer }{w.ResponseWriter}, src)
}

// Unwrap lets http.ResponseController reach the connection (media
// downloads lift the write deadline).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
