package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/onair-radio/onair/internal/testmedia"
)

// station writes a one-show station into dir: a live slot at the given cron
// expression and duration, recordings in dir/archive.
func station(t *testing.T, dir, title, cron, duration string) string {
	t.Helper()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	path := filepath.Join(dir, "onair.yaml")
	writeConfig(t, path, title, cron, duration)
	return path
}

func writeConfig(t *testing.T, path, title, cron, duration string) {
	t.Helper()
	yaml := fmt.Sprintf(`station: {name: Test Radio, timezone: UTC, stream_url: "http://localhost:8000/live.mp3"}
shows:
  - id: t
    title: %q
    recordings: {dir: archive}
    slots:
      - {kind: live, cron: %q, duration: %s}
`, title, cron, duration)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
}

func start(t *testing.T, path string) (*Service, *httptest.Server) {
	return startWith(t, Options{ConfigPath: path, Settle: 150 * time.Millisecond})
}

func startSettle(t *testing.T, path string, settle time.Duration) (*Service, *httptest.Server) {
	return startWith(t, Options{ConfigPath: path, Settle: settle})
}

func startWith(t *testing.T, opts Options) (*Service, *httptest.Server) {
	t.Helper()
	svc, err := NewService(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.HTTPHandler())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		srv.Close()
	})
	return svc, srv
}

func fetchFeed(t *testing.T, srv *httptest.Server) *gofeed.Feed {
	t.Helper()
	resp, err := http.Get(srv.URL + "/feeds/t.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	f, err := gofeed.NewParser().Parse(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// eventually polls cond every 25ms until it holds or the deadline passes: the
// service reacts to air time and to files, which a test can only watch.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) time.Time {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if cond() {
			return time.Now()
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func liveStatus(f *gofeed.Feed) string {
	for _, li := range f.Extensions["podcast"]["liveItem"] {
		return li.Attrs["status"] + " " + li.Attrs["start"]
	}
	return ""
}

// TestLiveItemEndToEnd runs the real service on a loopback port with a live
// slot seconds away and watches its liveItem go pending, live, ended, each
// within a second of air time.
func TestLiveItemEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for air time")
	}
	startAt := time.Now().UTC().Add(3 * time.Second).Truncate(time.Second)
	endAt := startAt.Add(2 * time.Second)
	cron := fmt.Sprintf("%d %d %d %d %d *", startAt.Second(), startAt.Minute(), startAt.Hour(), startAt.Day(), int(startAt.Month()))
	dir := t.TempDir()
	var logs syncBuffer
	out := filepath.Join(dir, "public")
	_, srv := startWith(t, Options{ConfigPath: station(t, dir, "Seconds Away", cron, "2s"), Settle: 150 * time.Millisecond, Out: out,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	stamp := startAt.Format(time.RFC3339)
	if got := liveStatus(fetchFeed(t, srv)); got != "pending "+stamp {
		t.Fatalf("before air time: liveItem %q, want pending at %s", got, stamp)
	}
	live := eventually(t, 6*time.Second, "liveItem live", func() bool { return liveStatus(fetchFeed(t, srv)) == "live "+stamp })
	if late := live.Sub(startAt); late > time.Second || late < 0 {
		t.Errorf("live %s after air time, want within 1s", late)
	}
	ended := eventually(t, 6*time.Second, "liveItem ended", func() bool { return liveStatus(fetchFeed(t, srv)) == "ended "+stamp })
	if late := ended.Sub(endAt); late > time.Second || late < 0 {
		t.Errorf("ended %s after the end, want within 1s", late)
	}
	// --out holds the same feed; the log says when the airing started and
	// ended, once each, with the show and the airing.
	written, err := os.ReadFile(filepath.Join(out, "feeds", "t.xml"))
	if err != nil || !strings.Contains(string(written), `status="ended"`) {
		t.Errorf("--out: %v\n%s", err, written)
	}
	id := fmt.Sprintf("t-%sT%02d%02d", startAt.Format("2006-01-02"), startAt.Hour(), startAt.Minute())
	if startAt.Second() != 0 {
		id += fmt.Sprintf("%02d", startAt.Second())
	}
	log := logs.String()
	if strings.Count(log, `msg="airing started" show=t airing=`+id) != 1 || strings.Count(log, `msg="airing ended" show=t airing=`+id) != 1 {
		t.Errorf("log lacks one start and one end of %s:\n%s", id, log)
	}
}

// syncBuffer is a bytes.Buffer for a logger written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func health(t *testing.T, srv *httptest.Server) map[string]any {
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h map[string]any
	json.NewDecoder(resp.Body).Decode(&h)
	return h
}

func TestReload(t *testing.T) {
	dir := t.TempDir()
	path := station(t, dir, "First", "0 13 * * SUN", "1h")
	_, srv := start(t, path)

	// A valid edit applies.
	writeConfig(t, path, "Second", "0 13 * * SUN", "1h")
	eventually(t, 2*time.Second, "the edit applied", func() bool { return fetchFeed(t, srv).Title == "Second" })

	// An invalid edit changes nothing, and says why on /healthz.
	os.WriteFile(path, []byte("station: {name: X, timezone: UTC}\nshows:\n  - id: t\n    title: Third\n    slots: [{kind: live, cron: \"0 25 * * *\", duration: 1h}]\n"), 0o644)
	eventually(t, 2*time.Second, "the bad edit reported", func() bool { return health(t, srv)["status"] == "degraded" })
	h := health(t, srv)
	if e, _ := h["last_reload_error"].(string); !strings.Contains(e, "onair.yaml:5:") || !strings.Contains(e, `shows[t].slots[0].cron "0 25 * * *"`) {
		t.Errorf("last_reload_error = %q", e)
	}
	if f := fetchFeed(t, srv); f.Title != "Second" {
		t.Errorf("after a bad edit the feed says %q", f.Title)
	}

	// A save by rename (vim, most editors) applies, and clears the error.
	tmp := path + ".swp"
	writeConfig(t, tmp, "Renamed", "0 13 * * SUN", "1h")
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, "the renamed save applied", func() bool { return fetchFeed(t, srv).Title == "Renamed" })
	if h := health(t, srv); h["status"] != "ok" || h["last_reload_error"] != nil {
		t.Errorf("health after a good edit: %v", h)
	}
	resp, _ := http.Get(srv.URL + "/metrics")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "onair_reload_failures_total 1\n") {
		t.Errorf("metrics:\n%s", body)
	}
}

// TestReloadConfigMapSwap: Kubernetes mounts a ConfigMap as links
// (onair.yaml -> ..data/onair.yaml, ..data -> ..2026_11_27...) and updates it
// by swapping ..data.
func TestReloadConfigMapSwap(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	v1 := filepath.Join(dir, "..v1")
	os.Mkdir(v1, 0o755)
	writeConfig(t, filepath.Join(v1, "onair.yaml"), "Version One", "0 13 * * SUN", "1h")
	os.Symlink("..v1", filepath.Join(dir, "..data"))
	os.Symlink(filepath.Join("..data", "onair.yaml"), filepath.Join(dir, "onair.yaml"))
	// recordings resolve against the link's directory
	_, srv := start(t, filepath.Join(dir, "onair.yaml"))
	if f := fetchFeed(t, srv); f.Title != "Version One" {
		t.Fatalf("title %q", f.Title)
	}
	v2 := filepath.Join(dir, "..v2")
	os.Mkdir(v2, 0o755)
	writeConfig(t, filepath.Join(v2, "onair.yaml"), "Version Two", "0 13 * * SUN", "1h")
	os.Symlink("..v2", filepath.Join(dir, "..data_tmp"))
	if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, "the swapped ConfigMap applied", func() bool { return fetchFeed(t, srv).Title == "Version Two" })
}

// TestRecordingArrives: a recording copied in over time appears once it
// stops growing, never with a partial length.
func TestRecordingArrives(t *testing.T) {
	dir := t.TempDir()
	_, srv := startSettle(t, station(t, dir, "Show", "0 13 * * SUN", "1h"), 400*time.Millisecond)
	data := testmedia.MP3(200, "")
	f, err := os.Create(filepath.Join(dir, "archive", "t-2026-11-22.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	// Write it in four parts, 50ms apart: the service must not publish a part.
	stop := make(chan struct{})
	seen := make(chan string, 1)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, it := range fetchFeed(t, srv).Items {
				if it.Enclosures[0].Length != fmt.Sprint(len(data)) {
					select {
					case seen <- it.Enclosures[0].Length:
					default:
					}
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	for i := 0; i < 4; i++ {
		f.Write(data[i*len(data)/4 : (i+1)*len(data)/4])
		time.Sleep(50 * time.Millisecond)
	}
	f.Close()
	done := time.Now()
	appeared := eventually(t, 3*time.Second, "the recording in the feed", func() bool { return len(fetchFeed(t, srv).Items) == 1 })
	close(stop)
	if d := appeared.Sub(done); d > 2*time.Second {
		t.Errorf("appeared %s after the file stopped growing, want within 2s", d)
	}
	select {
	case l := <-seen:
		t.Errorf("published with a partial length %s (the file is %d bytes)", l, len(data))
	default:
	}
}

// TestReloadReschedules: an edit that brings an airing seconds away restarts
// the cron, whose next instant was computed from the old schedule (days away).
func TestReloadReschedules(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for air time")
	}
	dir := t.TempDir()
	path := station(t, dir, "Weekly", "0 13 * * SUN", "1h")
	_, srv := start(t, path)
	// Let the cron compute its next instant from the old schedule first (a
	// pause for the service to settle, not a wait for air time).
	time.Sleep(500 * time.Millisecond)
	startAt := time.Now().UTC().Add(3 * time.Second).Truncate(time.Second)
	cron := fmt.Sprintf("%d %d %d %d %d *", startAt.Second(), startAt.Minute(), startAt.Hour(), startAt.Day(), int(startAt.Month()))
	writeConfig(t, path, "Soon", cron, "2s")
	stamp := startAt.Format(time.RFC3339)
	eventually(t, 2*time.Second, "the edit applied", func() bool { return liveStatus(fetchFeed(t, srv)) == "pending "+stamp })
	live := eventually(t, 5*time.Second, "liveItem live", func() bool { return liveStatus(fetchFeed(t, srv)) == "live "+stamp })
	if late := live.Sub(startAt); late > time.Second || late < 0 {
		t.Errorf("live %s after air time, want within 1s: the cron kept the old schedule's next instant", late)
	}
}

// TestClockJump: when the wall clock jumps (NTP, a resumed VM), the service
// notices within its two-second check and publishes for the new now, without
// waiting for the cron's timer, which was set on the old clock.
func TestClockJump(t *testing.T) {
	dir := t.TempDir()
	path := station(t, dir, "Jumpy", "0 0 13 * * SUN", "1h")
	var jump atomic.Int64
	logs := &syncBuffer{}
	svc, _ := startWith(t, Options{ConfigPath: path, Settle: 150 * time.Millisecond,
		Clock:  func() time.Time { return time.Now().Add(time.Duration(jump.Load())) },
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	first := svc.handler.Snapshot().Site.At
	select {
	case <-svc.watching:
	case <-time.After(5 * time.Second):
		t.Fatal("the service did not start watching")
	}
	jump.Store(int64(6 * time.Hour))
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	eventually(t, 5*time.Second, "a publish for the jumped clock", func() bool {
		return svc.handler.Snapshot().Site.At.Sub(first) > 5*time.Hour
	})
	if !strings.Contains(logs.String(), "clock jumped") || !strings.Contains(logs.String(), "reason=\"clock jump\"") {
		t.Errorf("the jump is not logged:\n%s", logs.String())
	}
}
