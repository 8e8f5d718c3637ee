package server

import (
	"context"
	"encoding/json"
	"errors"
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

	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/stopctx"
	"github.com/onair-radio/onair/internal/testlog"
	"github.com/onair-radio/onair/internal/testmedia"
	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/output"
	"github.com/onair-radio/onair/publish"
)

// t0 is the fake clock's start in the tests that move time: Friday
// 2026-11-27 12:00 UTC.
var t0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// writeStation writes a one-show station into dir: a live slot at the
// given cron expression and duration, recordings in dir/archive.
func writeStation(t *testing.T, dir, title, cron, duration string) string {
	t.Helper()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	path := filepath.Join(dir, "onair.yaml")
	writeConfig(t, path, title, cron, duration)
	return path
}

func configText(title, cron, duration string) string {
	return fmt.Sprintf(`station: {name: Test Radio, timezone: UTC, stream_url: "http://localhost:8000/live.mp3"}
shows:
  - id: t
    title: %q
    recordings: {dir: archive}
    slots:
      - {kind: live, cron: %q, duration: %s}
`, title, cron, duration)
}

func writeConfig(t *testing.T, path, title, cron, duration string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(configText(title, cron, duration)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// harness is a service under test: its HTTP server, and, on a fake clock,
// the events its loop has handled.
type harness struct {
	t      *testing.T
	svc    *Service
	srv    *httptest.Server
	clk    *clock.Fake // nil on the real clock
	events chan string
	logs   *testlog.Buffer
	stop   func() // stops the service (once); the test's end does too
}

// start runs a service on path on a fake clock that reads t0.
func start(t *testing.T, path string) *harness {
	return startWith(t, Options{ConfigPath: path, Clock: clock.NewFake(t0)})
}

// startWith runs a service with opts (Load and Logger filled in when
// unset) until the test ends, and checks then that Run returns and leaves
// no timer behind.
func startWith(t *testing.T, opts Options) *harness {
	t.Helper()
	h := &harness{t: t, events: make(chan string, 1000), logs: &testlog.Buffer{}}
	if opts.Load == nil {
		opts.Load = teststation.Loader(opts.ConfigPath)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(h.logs, nil))
	}
	if opts.Settle == 0 {
		opts.Settle = 150 * time.Millisecond
	}
	h.clk, _ = opts.Clock.(*clock.Fake)
	svc, err := NewService(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	svc.handled = func(ev string) {
		if h.clk != nil { // in the log a failing test prints
			fmt.Fprintf(h.logs, "handled %q at %s\n", ev, h.clk.Now().Format(time.TimeOnly))
		}
		h.events <- ev
	}
	h.srv = httptest.NewServer(svc.HTTPHandler())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	h.wait("started")
	h.stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		h.srv.Close()
		if h.clk != nil && h.clk.Timers() != 0 {
			t.Errorf("%d timers outlive Run", h.clk.Timers())
		}
	})
	t.Cleanup(func() {
		h.stop()
		if t.Failed() {
			t.Log(h.logs.String())
		}
	})
	return h
}

// wait waits until the service's loop has handled the event named (a
// guard of real time against a hang, not a wait for time to pass).
func (h *harness) wait(event string) {
	h.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-h.events:
			if ev == event {
				return
			}
		case <-deadline:
			h.t.Fatalf("the service did not handle %q", event)
		}
	}
}

// settle moves the fake clock on by the settle time, again as often as
// file events keep coming, until the loop handles the event named: the
// file system delivers one save as several events, in real time.
func (h *harness) settle(event string) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		h.clk.Advance(h.svc.opts.Settle)
		select {
		case ev := <-h.events:
			if ev == event {
				return
			}
		case <-time.After(50 * time.Millisecond):
		}
	}
	h.t.Fatalf("the service did not handle %q", event)
}

// noEvent says that the loop handles nothing (but file events) for a
// moment of real time.
func (h *harness) noEvent(not string) {
	h.t.Helper()
	for {
		select {
		case ev := <-h.events:
			if ev == not {
				h.t.Fatalf("the service handled %q too early", not)
			}
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}

func (h *harness) feed() *gofeed.Feed {
	h.t.Helper()
	resp, err := http.Get(h.srv.URL + "/feeds/t.xml")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	f, err := gofeed.NewParser().Parse(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return f
}

func (h *harness) health() map[string]any {
	h.t.Helper()
	resp, err := http.Get(h.srv.URL + "/healthz")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return m
}

func (h *harness) metrics() string {
	h.t.Helper()
	resp, err := http.Get(h.srv.URL + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func liveStatus(f *gofeed.Feed) string {
	for _, li := range f.Extensions["podcast"]["liveItem"] {
		return li.Attrs["status"] + " " + li.Attrs["start"]
	}
	return ""
}

// cronAt is a cron expression (with seconds) for the instant t only.
func cronAt(t time.Time) string {
	return fmt.Sprintf("%d %d %d %d %d *", t.Second(), t.Minute(), t.Hour(), t.Day(), int(t.Month()))
}

// TestLiveItemEndToEnd runs the real service on the real clock, on a
// loopback port, with a live slot seconds away, and watches its liveItem
// go pending, live, ended, each within a second of air time. It is the one
// test of the service that waits for time to pass.
func TestLiveItemEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for air time")
	}
	t.Parallel()
	startAt := time.Now().UTC().Add(3 * time.Second).Truncate(time.Second)
	endAt := startAt.Add(2 * time.Second)
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	h := startWith(t, Options{ConfigPath: writeStation(t, dir, "Seconds Away", cronAt(startAt), "2s"), Out: openOut(t, out)})
	stamp := startAt.Format(time.RFC3339)
	if got := liveStatus(h.feed()); got != "pending "+stamp {
		t.Fatalf("before air time: liveItem %q, want pending at %s", got, stamp)
	}
	live := eventually(t, 6*time.Second, "liveItem live", func() bool { return liveStatus(h.feed()) == "live "+stamp })
	if late := live.Sub(startAt); late > time.Second || late < 0 {
		t.Errorf("live %s after air time, want within 1s", late)
	}
	ended := eventually(t, 6*time.Second, "liveItem ended", func() bool { return liveStatus(h.feed()) == "ended "+stamp })
	if late := ended.Sub(endAt); late > time.Second || late < 0 {
		t.Errorf("ended %s after the end, want within 1s", late)
	}
	// --out holds the same feed (written just after the swap in memory);
	// the log says when the airing started and ended, once each, with the
	// show and the airing.
	eventually(t, time.Second, "--out has the ended item", func() bool {
		written, err := os.ReadFile(filepath.Join(out, "feeds", "t.xml"))
		return err == nil && strings.Contains(string(written), `status="ended"`)
	})
	// The slot's seconds field is one value: its ids have seconds unless
	// that value is 0.
	id := fmt.Sprintf("t-%sT%02d%02d", startAt.Format("2006-01-02"), startAt.Hour(), startAt.Minute())
	if startAt.Second() != 0 {
		id += fmt.Sprintf("%02d", startAt.Second())
	}
	log := h.logs.String()
	if strings.Count(log, `msg="airing started" show=t airing=`+id) != 1 || strings.Count(log, `msg="airing ended" show=t airing=`+id) != 1 {
		t.Errorf("log lacks one start and one end of %s:\n%s", id, log)
	}
}

// eventually polls cond every 25ms until it holds or the deadline passes:
// on the real clock, a test can only watch.
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

// TestLiveItemOnTheFakeClock: the liveItem turns live at the airing's
// start and ended at its end, to the instant, with time moved by the test;
// each airing's start and end is logged once.
func TestLiveItemOnTheFakeClock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	startAt := t0.Add(90 * time.Minute)
	h := start(t, writeStation(t, dir, "Later", cronAt(startAt), "1h"))
	stamp := startAt.Format(time.RFC3339)
	if got := liveStatus(h.feed()); got != "pending "+stamp {
		t.Fatalf("liveItem %q, want pending at %s", got, stamp)
	}
	h.clk.AdvanceTo(startAt.Add(-time.Millisecond))
	h.noEvent("air time")
	if got := liveStatus(h.feed()); got != "pending "+stamp {
		t.Fatalf("a millisecond before: liveItem %q", got)
	}
	h.clk.Advance(time.Millisecond)
	h.wait("air time")
	if got := liveStatus(h.feed()); got != "live "+stamp {
		t.Fatalf("at air time: liveItem %q", got)
	}
	h.clk.AdvanceTo(startAt.Add(time.Hour))
	h.wait("air time")
	if got := liveStatus(h.feed()); got != "ended "+stamp {
		t.Fatalf("at the end: liveItem %q", got)
	}
	log := h.logs.String()
	id := "t-2026-11-27T1330"
	if strings.Count(log, `msg="airing started" show=t airing=`+id) != 1 || strings.Count(log, `msg="airing ended" show=t airing=`+id) != 1 {
		t.Errorf("log lacks one start and one end of %s", id)
	}
	if next, _ := h.clk.Next(); next.IsZero() {
		t.Error("no timer for the next change")
	}
}

func TestReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeStation(t, dir, "First", "0 13 * * SUN", "1h")
	h := start(t, path)

	// A valid edit applies.
	writeConfig(t, path, "Second", "0 13 * * SUN", "1h")
	h.settle("reload")
	if got := h.feed().Title; got != "Second" {
		t.Fatalf("after an edit the feed says %q", got)
	}

	// An invalid edit changes nothing, and says why on /healthz.
	os.WriteFile(path, []byte("station: {name: X, timezone: UTC}\nshows:\n  - id: t\n    title: Third\n    slots: [{kind: live, cron: \"0 25 * * *\", duration: 1h}]\n"), 0o644)
	h.settle("reload")
	hz := h.health()
	if hz["status"] != "degraded" {
		t.Fatalf("health after a bad edit: %v", hz)
	}
	if e, _ := hz["last_reload_error"].(string); !strings.Contains(e, "onair.yaml:5:") || !strings.Contains(e, `shows[t].slots[0].cron "0 25 * * *"`) {
		t.Errorf("last_reload_error = %q", e)
	}
	if f := h.feed(); f.Title != "Second" {
		t.Errorf("after a bad edit the feed says %q", f.Title)
	}

	// A save by rename (vim, most editors) applies, and clears the error.
	tmp := path + ".swp"
	writeConfig(t, tmp, "Renamed", "0 13 * * SUN", "1h")
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	h.settle("reload")
	if got := h.feed().Title; got != "Renamed" {
		t.Fatalf("after a save by rename the feed says %q", got)
	}
	if hz := h.health(); hz["status"] != "ok" || hz["last_reload_error"] != nil {
		t.Errorf("health after a good edit: %v", hz)
	}
	if m := h.metrics(); !strings.Contains(m, "onair_reload_failures_total 1\n") {
		t.Errorf("metrics:\n%s", m)
	}
}

// TestHealthDescribesTheFileOnDisk: whatever the order of edits, /healthz
// says whether the file on disk now is the one in use.
func TestHealthDescribesTheFileOnDisk(t *testing.T) {
	good := configText("Good", "0 13 * * SUN", "1h")
	other := configText("Other", "0 13 * * SUN", "1h")
	bad := strings.Replace(good, "0 13 * * SUN", "0 25 * * *", 1)
	const del = "" // a step that deletes the file
	tests := []struct {
		name  string
		steps []string
		want  string
	}{
		{"the good file restored in place", []string{bad, good}, "ok"},
		{"the good file restored by rename", []string{bad, "rename:" + good}, "ok"},
		{"bad, good, the same bad again", []string{bad, other, bad}, "degraded"},
		{"deleted, then the running file restored", []string{del, good}, "ok"},
		{"deleted, then an empty file", []string{del, "\n"}, "degraded"},
		{"deleted", []string{del}, "degraded"},
		{"an edit, then the first file again", []string{other, good}, "ok"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "onair.yaml")
			os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
			os.WriteFile(path, []byte(good), 0o644)
			h := start(t, path)
			for _, step := range tc.steps {
				switch {
				case step == del:
					os.Remove(path)
				case strings.HasPrefix(step, "rename:"):
					os.WriteFile(path+".tmp", []byte(strings.TrimPrefix(step, "rename:")), 0o644)
					os.Rename(path+".tmp", path)
				default:
					os.WriteFile(path, []byte(step), 0o644)
				}
				h.settle("reload")
			}
			if got := h.health()["status"]; got != tc.want {
				t.Errorf("status %v, want %s: %v", got, tc.want, h.health())
			}
		})
	}
}

// TestReloadConfigMapSwap: Kubernetes mounts a ConfigMap as links
// (onair.yaml -> ..data/onair.yaml, ..data -> ..2026_11_27...) and updates it
// by swapping ..data.
func TestReloadConfigMapSwap(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	v1 := filepath.Join(dir, "..v1")
	os.Mkdir(v1, 0o755)
	writeConfig(t, filepath.Join(v1, "onair.yaml"), "Version One", "0 13 * * SUN", "1h")
	os.Symlink("..v1", filepath.Join(dir, "..data"))
	os.Symlink(filepath.Join("..data", "onair.yaml"), filepath.Join(dir, "onair.yaml"))
	// recordings resolve against the link's directory
	h := start(t, filepath.Join(dir, "onair.yaml"))
	if f := h.feed(); f.Title != "Version One" {
		t.Fatalf("title %q", f.Title)
	}
	v2 := filepath.Join(dir, "..v2")
	os.Mkdir(v2, 0o755)
	writeConfig(t, filepath.Join(v2, "onair.yaml"), "Version Two", "0 13 * * SUN", "1h")
	os.Symlink("..v2", filepath.Join(dir, "..data_tmp"))
	if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	h.settle("reload")
	if f := h.feed(); f.Title != "Version Two" {
		t.Errorf("after the swap the feed says %q", f.Title)
	}
}

// TestRecordingArrives: a recording copied in over time is published once
// it has been left alone for the settle time, never with a partial length,
// whatever its modification time says.
func TestRecordingArrives(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := start(t, writeStation(t, dir, "Show", "0 13 * * SUN", "1h"))
	settle := h.svc.opts.Settle
	data := testmedia.MP3(200, "")
	path := filepath.Join(dir, "archive", "t-2026-11-22.mp3")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// Four parts, each written less than the settle time after the last.
	for i := 0; i < 4; i++ {
		f.Write(data[i*len(data)/4 : (i+1)*len(data)/4])
		h.wait("archive changed")
		h.clk.Advance(settle * 2 / 3)
		h.noEvent("recordings")
		if n := len(h.feed().Items); n != 0 {
			t.Fatalf("published after part %d of 4", i+1)
		}
	}
	f.Close()
	// A modification time in the future (a recorder's clock ahead) does
	// not hold it back.
	os.Chtimes(path, time.Now().Add(24*time.Hour), time.Now().Add(24*time.Hour))
	h.settle("recordings")
	items := h.feed().Items
	if len(items) != 1 || items[0].Enclosures[0].Length != fmt.Sprint(len(data)) {
		t.Fatalf("feed items %v, want one of %d bytes", items, len(data))
	}
}

// TestReloadReschedules: an edit that brings an airing seconds away sets the
// air timer afresh, which was set from the old schedule (days away).
func TestReloadReschedules(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeStation(t, dir, "Weekly", "0 13 * * SUN", "1h")
	h := start(t, path)
	startAt := t0.Add(time.Minute)
	writeConfig(t, path, "Soon", cronAt(startAt), "2s")
	h.settle("reload")
	stamp := startAt.Format(time.RFC3339)
	if got := liveStatus(h.feed()); got != "pending "+stamp {
		t.Fatalf("after the edit: liveItem %q", got)
	}
	h.clk.AdvanceTo(startAt)
	h.wait("air time")
	if got := liveStatus(h.feed()); got != "live "+stamp {
		t.Errorf("at air time: liveItem %q: the timer kept the old schedule's next instant", got)
	}
}

// TestClockJump: when the wall clock jumps (NTP, a resumed VM), the service
// notices at its next check and publishes for the new now, without waiting
// for the air timer, which counts time that really passed.
func TestClockJump(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := start(t, writeStation(t, dir, "Jumpy", "0 0 13 * * SUN", "1h"))
	first := h.svc.handler.Snapshot().Site.At
	h.clk.Advance(clockCheck)
	h.wait("clock check")
	h.clk.Jump(6 * time.Hour)
	h.clk.Advance(clockCheck)
	h.wait("clock jump")
	if at := h.svc.handler.Snapshot().Site.At; at.Sub(first) < 6*time.Hour {
		t.Errorf("published as of %s, want 6h after %s", at, first)
	}
	if log := h.logs.String(); !strings.Contains(log, "clock jumped") || !strings.Contains(log, `reason="clock jump"`) {
		t.Errorf("the jump is not logged:\n%s", log)
	}
	// A small drift is no jump.
	h.clk.Jump(500 * time.Millisecond)
	h.clk.Advance(clockCheck)
	h.wait("clock check")
}

// flakyOutput fails its first writes, then writes to a directory.
type flakyOutput struct {
	dir   string
	fails atomic.Int32
	tries atomic.Int32
}

func (f *flakyOutput) String() string { return f.dir }
func (f *flakyOutput) Close() error   { return nil }
func (f *flakyOutput) Write(ctx context.Context, site *publish.Site) error {
	f.tries.Add(1)
	if f.fails.Add(-1) >= 0 {
		return errors.New("no space left on device")
	}
	d, err := output.OpenDir(f.dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Write(ctx, site)
}

// openOut opens dir for a service's publishes until the test ends.
func openOut(t *testing.T, dir string) *output.Dir {
	d, err := output.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestWriteFailureRetried: a write to --out that fails leaves the new site
// served from memory, says so on /healthz and /metrics, and is tried again,
// backing off, until it succeeds.
func TestWriteFailureRetried(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeStation(t, dir, "First", "0 13 * * SUN", "1h")
	out := &flakyOutput{dir: filepath.Join(dir, "public")}
	h := startWith(t, Options{ConfigPath: path, Clock: clock.NewFake(t0), Out: out})
	out.fails.Store(3)
	writeConfig(t, path, "Second", "0 13 * * SUN", "1h")
	h.settle("reload")
	h.wait("written") // the writer writes beside the loop
	if got := h.feed().Title; got != "Second" {
		t.Errorf("served %q from memory, want the new edit", got)
	}
	hz := h.health()
	if hz["status"] != "degraded" || !strings.Contains(fmt.Sprint(hz["last_write_error"]), "no space left") {
		t.Errorf("health after a failed write: %v", hz)
	}
	// Tried again after 1s, 2s, then 4s; the third retry succeeds.
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		h.clk.Advance(d)
		h.wait("write retry")
		h.wait("written")
	}
	if hz := h.health(); hz["status"] != "ok" || hz["last_write_error"] != nil {
		t.Errorf("health after the write succeeded: %v", hz)
	}
	if got := out.tries.Load(); got != 5 { // the start, the reload, three retries
		t.Errorf("%d writes, want 5", got)
	}
	if m := h.metrics(); !strings.Contains(m, "onair_write_failures_total 3\n") {
		t.Errorf("metrics:\n%s", m)
	}
	b, err := os.ReadFile(filepath.Join(out.dir, "feeds", "t.xml"))
	if err != nil || !strings.Contains(string(b), "<title>Second</title>") {
		t.Errorf("--out after the retry: %v", err)
	}
}

// TestArchiveMadeAfterStart: a recordings directory that does not exist at
// start is watched for, and what lands in it is published.
func TestArchiveMadeAfterStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "onair.yaml")
	os.WriteFile(path, []byte(strings.Replace(configText("Later", "0 13 * * SUN", "1h"), "dir: archive", "dir: recordings/t", 1)), 0o644)
	h := start(t, path)
	if n := len(h.feed().Items); n != 0 {
		t.Fatalf("%d items", n)
	}
	// The directory and its parent are made, and a recording is moved in
	// with them, before the service can watch the directory.
	staging := filepath.Join(t.TempDir(), "t")
	os.MkdirAll(staging, 0o755)
	os.WriteFile(filepath.Join(staging, "t-2026-11-22.mp3"), testmedia.MP3(50, ""), 0o644)
	os.Mkdir(filepath.Join(dir, "recordings"), 0o755)
	if err := os.Rename(staging, filepath.Join(dir, "recordings", "t")); err != nil {
		t.Fatal(err)
	}
	h.settle("recordings")
	if n := len(h.feed().Items); n != 1 {
		t.Fatalf("%d items after the directory was made, want 1", n)
	}
	// And it is watched from now on.
	os.WriteFile(filepath.Join(dir, "recordings", "t", "t-2026-11-15.mp3"), testmedia.MP3(50, ""), 0o644)
	h.settle("recordings")
	if n := len(h.feed().Items); n != 2 {
		t.Errorf("%d items after a second recording, want 2", n)
	}
}

// TestArchiveMadeDeepAfterStart: a recordings directory whose parent does
// not exist either, both made at once (mkdir -p) after the service
// started, is watched: a recording that lands in it later is published.
func TestArchiveMadeDeepAfterStart(t *testing.T) {
	t.Parallel()
	for i := range 5 { // the levels are made faster than a watch is set: try it more than once
		dir := t.TempDir()
		path := filepath.Join(dir, "onair.yaml")
		os.WriteFile(path, []byte(strings.Replace(configText("Later", "0 13 * * SUN", "1h"), "dir: archive", "dir: later/new-show", 1)), 0o644)
		h := start(t, path)
		if err := os.MkdirAll(filepath.Join(dir, "later", "new-show"), 0o755); err != nil {
			t.Fatal(err)
		}
		h.settle("archive appeared")
		h.settle("recordings") // the new directory read, empty
		os.WriteFile(filepath.Join(dir, "later", "new-show", "t-2026-11-22.mp3"), testmedia.MP3(50, ""), 0o644)
		h.settle("recordings")
		if n := len(h.feed().Items); n != 1 {
			t.Fatalf("try %d: %d items after a recording landed in a directory made with its parent, want 1", i, n)
		}
		h.stop()
	}
}

// TestNewServiceStopped: a stop that comes during the first build (on a
// busy station, seconds long) ends it: NewService returns the stop, and
// nothing is served or written.
func TestNewServiceStopped(t *testing.T) {
	path := writeStation(t, t.TempDir(), "Stopped", "0 13 * * 0", "1h")
	for _, looks := range []int{0, 3, 20} {
		out := filepath.Join(t.TempDir(), "public")
		d, err := output.OpenDir(out)
		if err != nil {
			t.Fatal(err)
		}
		svc, err := NewService(stopctx.After(looks), Options{ConfigPath: path, Load: teststation.Loader(path), Clock: clock.NewFake(t0), Out: d,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		d.Close()
		if !errors.Is(err, context.Canceled) || svc != nil {
			t.Errorf("stopped after %d looks: NewService = %v, %v; want the stop", looks, svc, err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("stopped after %d looks: %s was written", looks, out)
		}
	}
}
