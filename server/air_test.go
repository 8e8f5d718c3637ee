package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/catcher"
	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/fakels"
	"github.com/onair-radio/onair/internal/testlog"
	"github.com/onair-radio/onair/internal/testmedia"
	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/notify"
	"github.com/onair-radio/onair/playout"
	"github.com/onair-radio/onair/publish"
)

// TestOnTheAir drives a fake Liquidsoap and records a fake stream, on the
// fake clock: the studio goes on air at the live airing's start and off at
// its end, the stream is recorded into the archive for exactly that
// airing, and the rebroadcast plays that recording from its start and
// stops at its end.
func TestOnTheAir(t *testing.T) {
	t.Parallel()
	ls := fakels.Start(t)
	audio := testmedia.MP3(100, "")
	joined := make(chan struct{}, 10)
	stream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Write(audio)
		w.(http.Flusher).Flush()
		joined <- struct{}{}
		<-r.Context().Done() // a stream does not end
	}))
	t.Cleanup(stream.Close) // after the service's own cleanup: it holds a recording's connection
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	path := playoutStation(t, dir, stream.URL, ls.Addr(), `  - id: t
    title: Test Hour
    recordings: {dir: archive}
    slots:
      - {kind: live, once: 2026-11-27 13:30, duration: 1h}
      - {kind: rebroadcast, once: 2026-11-27 15:00, duration: 1h}
  - id: best
    title: Best Of
    slots:
      - {kind: rebroadcast, of: t, once: 2026-11-27 17:00, duration: 1h}
`)
	h := start(t, path)
	ls.SetClock(h.clk.Now)
	ls.SetStudio(true)
	state := func() string {
		live, playing := ls.State()
		return fmt.Sprintf("live=%v playing=%q", live, playing)
	}
	if got := state(); got != `live=false playing=""` {
		t.Fatalf("at start: %s", got)
	}

	liveAt := time.Date(2026, 11, 27, 13, 30, 0, 0, time.UTC)
	// Each instant's event may be a publish for air time or one for files
	// that settled at the same instant: what matters is what is on air.
	onAir := func(want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for state() != want {
			if time.Now().After(deadline) {
				t.Fatalf("at %s: %s, want %s", h.clk.Now().Format(time.TimeOnly), state(), want)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	h.clk.AdvanceTo(liveAt)
	onAir(`live=true playing=""`)
	// Liquidsoap was told the airing's end: it takes the studio off then
	// by itself.
	if got, want := ls.LiveUntil(), liveAt.Add(time.Hour); !got.Equal(want) {
		t.Errorf("the studio is on air until %s, want the airing's end %s", got, want)
	}
	// Liquidsoap restarts mid-airing, forgetting: at the next check (every
	// second) it is told again.
	h.clk.Advance(10 * time.Second)
	ls.Restart()
	h.clk.Advance(time.Second)
	onAir(`live=true playing=""`)
	<-joined
	recorded := filepath.Join(dir, "archive", "t-2026-11-27.mp3")
	waitFor(t, func() bool {
		// The last frame waits for the next's header, or the end.
		info, err := os.Stat(recorded + ".part")
		return err == nil && info.Size() == int64(len(audio)-testmedia.FrameBytes)
	})
	waitFor(t, func() bool { return strings.Contains(fmt.Sprint(h.health()["air"]), "recording:["+recorded+"]") })
	for _, m := range []string{"onair_live 1\n", "onair_rebroadcast_playing 0\n", "onair_liquidsoap_up 1\n", "onair_recordings_in_progress 1\n", "onair_unfinished_recordings 0\n"} {
		if !strings.Contains(h.metrics(), m) {
			t.Errorf("during the live airing, /metrics lacks %q", m)
		}
	}

	h.clk.AdvanceTo(liveAt.Add(time.Hour))
	h.wait("recorded")
	onAir(`live=false playing=""`)
	b, err := os.ReadFile(recorded)
	if err != nil || len(b) != len(audio) {
		t.Fatalf("the recording: %d bytes, %v", len(b), err)
	}
	h.settle("recordings")
	if items := h.feed().Items; len(items) != 1 || items[0].Enclosures[0].Length != fmt.Sprint(len(audio)) {
		t.Fatalf("the feed's items: %v", items)
	}

	abs, _ := filepath.Abs(recorded)
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC))
	onAir(fmt.Sprintf(`live=false playing="annotate:title=\"Test Hour\",onair_airing=\"t-2026-11-27T1500\",liq_cue_out=\"3600.000\":%s"`, abs))
	waitFor(t, func() bool {
		m := h.metrics()
		return strings.Contains(m, "onair_rebroadcast_playing 1\n") && strings.Contains(m, "onair_live 0\n") && strings.Contains(m, "onair_recordings_in_progress 0\n")
	})
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC))
	onAir(`live=false playing=""`)
	// Another show's rebroadcast of the episode plays the same recording.
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC))
	onAir(fmt.Sprintf(`live=false playing="annotate:title=\"Best Of\",onair_airing=\"best-2026-11-27T1700\",liq_cue_out=\"3600.000\":%s"`, abs))
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC))
	onAir(`live=false playing=""`)
}

// playoutStation writes dir/onair.yaml: a station whose air chain is the
// (fake) Liquidsoap at lsAddr, whose stream is streamURL/air, with shows
// (the YAML of its shows list).
func playoutStation(t *testing.T, dir, streamURL, lsAddr, shows string) string {
	path := filepath.Join(dir, "onair.yaml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(`station:
  name: Air Test
  timezone: UTC
  stream_url: %s/air
  playout:
    liquidsoap: %s
    icecast: {host: 127.0.0.1, password: hackme}
    harbor: {password: studio}
shows:
%s`, streamURL, lsAddr, shows)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// recordingStation writes dir/onair.yaml: a station with one show, t,
// recorded into dir/archive from streamURL, with slots (YAML lines).
func recordingStation(t *testing.T, dir, streamURL, slots string) string {
	path := filepath.Join(dir, "onair.yaml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(`station:
  name: Air Test
  timezone: UTC
  stream_url: %s/air
shows:
  - id: t
    title: Test Hour
    recordings: {dir: archive, record: true}
    slots:
%s`, streamURL, slots)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// mp3Stream is a fake Icecast mount: each listener gets audio, and then
// nothing more, until it goes. It counts its listeners.
func mp3Stream(t *testing.T, audio []byte) (*httptest.Server, *atomic.Int32) {
	var joins atomic.Int32
	stream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		joins.Add(1)
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Write(audio)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // a stream does not end
	}))
	// After the service's own cleanup: it holds a recording's connection.
	t.Cleanup(stream.Close)
	return stream, &joins
}

// waitFor waits for cond, which a goroutine of the service makes true in
// real time (a write), not for time to pass.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("not within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestUnfinishedRecording: a .part whose airing ended while the service
// was down is reported (once in the log, and on /healthz until it goes),
// never published; the .part of the airing on air now is continued, not
// reported.
func TestUnfinishedRecording(t *testing.T) {
	t.Parallel()
	audio := testmedia.MP3(20, "")
	stream, _ := mp3Stream(t, audio)
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	os.MkdirAll(archive, 0o755)
	ended := filepath.Join(archive, "t-2026-11-26.mp3.part")
	onNow := filepath.Join(archive, "t-2026-11-27.mp3.part")
	os.WriteFile(ended, audio, 0o644)
	os.WriteFile(onNow, audio, 0o644)
	path := recordingStation(t, dir, stream.URL, "      - {kind: live, once: 2026-11-26 11:00, duration: 2h}\n      - {kind: live, once: 2026-11-27 11:00, duration: 2h}\n")
	h := start(t, path)
	unfinished := func() string { return fmt.Sprint(h.health()["air"].(map[string]any)["unfinished_recordings"]) }
	if got := unfinished(); got != "["+ended+"]" {
		t.Fatalf("unfinished_recordings: %s, want [%s]", got, ended)
	}
	if m := h.metrics(); !strings.Contains(m, "onair_unfinished_recordings 1\n") || strings.Contains(m, "onair_live") {
		t.Errorf("/metrics: %s", m)
	}
	if n := strings.Count(h.logs.String(), "an unfinished recording"); n != 1 || !strings.Contains(h.logs.String(), "rename_to=t-2026-11-26.mp3") {
		t.Errorf("logged %d times:\n%s", n, h.logs)
	}
	if items := h.feed().Items; len(items) != 0 {
		t.Errorf("published: %v", items)
	}
	// The station deletes it (or renames it): it is no longer reported.
	os.Remove(ended)
	h.settle("recordings")
	if got := unfinished(); got != "[]" {
		t.Errorf("after its removal, unfinished_recordings: %s", got)
	}
}

// TestRecordingFollowsEdits: an airing lengthened while it is recorded is
// recorded to its new end; one removed ends its recording at once, kept.
func TestRecordingFollowsEdits(t *testing.T) {
	t.Parallel()
	audio := testmedia.MP3(20, "")
	stream, _ := mp3Stream(t, audio)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	config := func(slots string) string { return recordingStation(t, dir, stream.URL, slots) }
	path := config("      - {kind: live, once: 2026-11-27 11:30, duration: 1h}\n      - {kind: live, once: 2026-11-28 11:30, duration: 1h}\n")
	h := start(t, path)
	recorded := filepath.Join(dir, "archive", "t-2026-11-27.mp3")
	waitFor(t, func() bool { return strings.Contains(fmt.Sprint(h.health()["air"]), "recording:["+recorded+"]") })
	// Lengthened by an hour at 12:00: at 12:30, the old end, it goes on.
	config("      - {kind: live, once: 2026-11-27 11:30, duration: 2h}\n      - {kind: live, once: 2026-11-28 11:30, duration: 1h}\n")
	h.settle("reload")
	if !strings.Contains(h.logs.String(), "the recording ends at its new end") {
		t.Fatalf("the recording was not told:\n%s", h.logs)
	}
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 12, 30, 0, 0, time.UTC))
	h.noEvent("recorded")
	if _, err := os.Stat(recorded); err == nil {
		t.Fatal("the recording ended at the airing's old end")
	}
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 13, 30, 0, 0, time.UTC))
	h.wait("recorded")
	if _, err := os.Stat(recorded); err != nil {
		t.Fatal(err)
	}

	// The next day's airing is removed while it is recorded: the
	// recording ends then, with what aired.
	h.clk.AdvanceTo(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	second := filepath.Join(dir, "archive", "t-2026-11-28.mp3")
	waitFor(t, func() bool { return strings.Contains(fmt.Sprint(h.health()["air"]), "recording:["+second+"]") })
	config("      - {kind: live, once: 2026-11-27 11:30, duration: 2h}\n")
	h.settle("reload")
	h.wait("recorded")
	if _, err := os.Stat(second); err != nil {
		t.Fatal(err)
	}
}

// TestBackToBackRecordings: two live airings back to back, each its own
// show, are two recordings: the first ends at its end, the second starts
// then.
func TestBackToBackRecordings(t *testing.T) {
	t.Parallel()
	audio := testmedia.MP3(20, "")
	stream, joins := mp3Stream(t, audio)
	dir := t.TempDir()
	path := filepath.Join(dir, "onair.yaml")
	os.WriteFile(path, []byte(fmt.Sprintf(`station:
  name: Air Test
  timezone: UTC
  stream_url: %s/air
shows:
  - id: a
    title: A
    recordings: {dir: archive/a, record: true}
    slots: [{kind: live, once: 2026-11-27 13:00, duration: 1h}]
  - id: b
    title: B
    recordings: {dir: archive/b, record: true}
    slots: [{kind: live, once: 2026-11-27 14:00, duration: 1h}]
`, stream.URL)), 0o644)
	h := start(t, path)
	a := filepath.Join(dir, "archive", "a", "a-2026-11-27.mp3")
	b := filepath.Join(dir, "archive", "b", "b-2026-11-27.mp3")
	recording := func() string { return fmt.Sprint(h.health()["air"].(map[string]any)["recording"]) }
	// The recorder has the stream's bytes (in real time) before the
	// airing's end comes (on the fake clock).
	received := func(f string) func() bool {
		return func() bool { fi, err := os.Stat(f + ".part"); return err == nil && fi.Size() > 0 }
	}
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))
	waitFor(t, func() bool { return recording() == "["+a+"]" && joins.Load() == 1 })
	waitFor(t, received(a))
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC))
	h.wait("recorded")
	waitFor(t, func() bool { return recording() == "["+b+"]" && joins.Load() == 2 })
	waitFor(t, received(b))
	if got, err := os.ReadFile(a); err != nil || len(got) != len(audio) {
		t.Fatalf("the first recording: %d bytes, %v", len(got), err)
	}
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC))
	h.wait("recorded")
	if got, err := os.ReadFile(b); err != nil || len(got) != len(audio) {
		t.Fatalf("the second recording: %d bytes, %v", len(got), err)
	}
}

// stuckOutput is a store whose writes, once held, finish only when the
// test lets them, or when their context ends (then cut, if set, hears
// why).
type stuckOutput struct {
	hold    atomic.Bool
	release chan struct{}
	cut     chan error
}

func (o *stuckOutput) String() string { return "stuck" }
func (o *stuckOutput) Close() error   { return nil }
func (o *stuckOutput) Write(ctx context.Context, _ *publish.Site) error {
	if !o.hold.Load() {
		return nil
	}
	select {
	case <-o.release:
		return nil
	case <-ctx.Done():
		if o.cut != nil {
			o.cut <- context.Cause(ctx)
		}
		return ctx.Err()
	}
}

// TestSlowOutputDoesNotHoldTheAir: a write to --out that takes minutes
// (a bucket uploading a recording) does not delay what goes on air.
func TestSlowOutputDoesNotHoldTheAir(t *testing.T) {
	t.Parallel()
	ls := fakels.Start(t)
	dir := t.TempDir()
	path := playoutStation(t, dir, "http://127.0.0.1:1", ls.Addr(), `  - id: t
    title: Test Hour
    slots: [{kind: live, once: 2026-11-27 13:30, duration: 1h}]
`)
	out := &stuckOutput{release: make(chan struct{})}
	h := startWith(t, Options{ConfigPath: path, Clock: clock.NewFake(t0), Out: out})
	ls.SetClock(h.clk.Now)
	t.Cleanup(func() { close(out.release) }) // before the service stops: its writer is stuck
	out.hold.Store(true)
	// A publish whose write hangs...
	h.clk.Advance(time.Minute)
	h.svc.reloads <- struct{}{}
	h.wait("reload asked")
	// ...and air time all the same.
	h.clk.AdvanceTo(time.Date(2026, 11, 27, 13, 30, 0, 0, time.UTC))
	h.wait("air time")
	if live, _ := ls.State(); !live {
		t.Error("the studio is not on air at the live airing's start: the loop waited for the write")
	}
}

// TestAirFailSafe: what the service tells Liquidsoap carries its own end,
// so that the air is right when the service is gone; a service that comes
// back (or reloads an edit that leaves the airing as it is) pushes
// nothing that is on air again; a second service is refused; a Liquidsoap
// that died is noticed within 2 s and told what is on air once it is back.
func TestAirFailSafe(t *testing.T) {
	t.Parallel()
	ls := fakels.Start(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	episode := filepath.Join(dir, "archive", "t-2026-11-27.mp3")
	os.WriteFile(episode, testmedia.MP3(40, ""), 0o644)
	abs, _ := filepath.Abs(episode)
	shows := `  - id: t
    title: Test Hour
    recordings: {dir: archive, record: false}
    slots:
      - {kind: live, once: 2026-11-27 13:00, duration: 30m}
      - {kind: rebroadcast, once: 2026-11-27 15:00, duration: 1h}
  - id: u
    title: Next Hour
    slots: [{kind: live, once: 2026-11-27 13:30, duration: 30m}]
`
	path := playoutStation(t, dir, "http://127.0.0.1:1", ls.Addr(), shows)
	clk := clock.NewFake(t0)
	ls.SetClock(clk.Now)
	h := startWith(t, Options{ConfigPath: path, Clock: clk})

	// Two live airings back to back: the studio is on air until the
	// second's end, told at the first's start.
	clk.AdvanceTo(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))
	waitFor(t, func() bool { return ls.LiveUntil().Equal(time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)) })

	// The rebroadcast: pushed once, cut by Liquidsoap at its end.
	clk.AdvanceTo(time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC))
	waitFor(t, func() bool { _, p := ls.State(); return p != "" })
	_, playing := ls.State()
	if want := `annotate:title="Test Hour",onair_airing="t-2026-11-27T1500",liq_cue_out="3600.000":` + abs; playing != want {
		t.Fatalf("pushed %s\nwant   %s", playing, want)
	}
	if n := ls.Pushes(); n != 1 {
		t.Fatalf("%d pushes", n)
	}
	// An edit that leaves the airing as it is (another show's title).
	os.WriteFile(path, []byte(strings.Replace(readFile(t, path), "name: Air Test", "name: Air Test, edited", 1)), 0o644)
	h.settle("reload")
	clk.Advance(time.Second)
	h.wait("air check")
	if n := ls.Pushes(); n != 1 {
		t.Errorf("an edit that left the airing as it was pushed its episode again (%d pushes)", n)
	}

	// An orderly stop: nothing is taken off the air; the claim is let go.
	before := len(ls.Commands())
	h.stop()
	for _, c := range ls.Commands()[before:] {
		if !strings.HasPrefix(c, "onair.release ") && !strings.HasPrefix(c, "onair.claim ") {
			t.Errorf("a stop sent %q: the airing must go on to its end", c)
		}
	}
	// A second service, another group, is refused while the first runs,
	// with a message naming the holder.
	clk.Advance(20 * time.Minute)
	h2 := startWith(t, Options{ConfigPath: path, Clock: clk, AirGroup: "first", AirHolder: "the first service"})
	_, err := NewService(context.Background(), Options{ConfigPath: path, Load: teststation.Loader(path), Clock: clk, AirGroup: "second", AirHolder: "the second"})
	if err == nil || !strings.Contains(err.Error(), "driven by another service: the first service") {
		t.Errorf("a second service: %v", err)
	}
	// The restarted service found the rebroadcast on air: no push.
	if n := ls.Pushes(); n != 1 {
		t.Errorf("a service restarted during the rebroadcast pushed its episode again (%d pushes)", n)
	}

	// Liquidsoap dies: noticed within 2 s; back, restarted (forgetting),
	// it is told at once, joining the episode where it is.
	ls.SetDown(true)
	clk.Advance(time.Second)
	h2.wait("air check")
	if e := fmt.Sprint(h2.health()["air"].(map[string]any)["liquidsoap_error"]); e == "<nil>" {
		t.Errorf("a Liquidsoap down for 1 s is not noticed: %s", e)
	}
	ls.Restart()
	ls.SetDown(false)
	clk.Advance(time.Second)
	h2.wait("air check")
	joinAt := fmt.Sprintf(`liq_cue_in="%.3f",liq_cue_out="3600.000"`, clk.Now().Sub(time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)).Seconds())
	waitFor(t, func() bool { _, p := ls.State(); return strings.Contains(p, joinAt) })
	if n := ls.Pushes(); n != 2 {
		t.Errorf("%d pushes after Liquidsoap came back, want 2", n)
	}
	// At the end, off.
	clk.AdvanceTo(time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC))
	waitFor(t, func() bool { _, p := ls.State(); return p == "" })
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRecordingVerdicts: a live airing during which no studio was on air
// is not published (its recording holds the fallback); one that lacks
// part of its airing is published, partial; each says so in the log,
// /healthz, /metrics, the verdict log and a webhook.
func TestRecordingVerdicts(t *testing.T) {
	t.Parallel()
	c := catcher.New(t)
	ls := fakels.Start(t)
	stream, _ := mp3Stream(t, testmedia.MP3(100, "")) // 3.6 s, then nothing
	dir := t.TempDir()
	archiveDir := filepath.Join(dir, "archive")
	os.MkdirAll(archiveDir, 0o755)
	yaml := c.Station(`  - id: t
    title: Test Hour
    recordings: {dir: archive}
    slots:
      - {kind: live, once: 2026-11-27 13:00, duration: 1h}
      - {kind: live, once: 2026-11-27 15:00, duration: 1h}
`)
	yaml = strings.Replace(yaml, "  stream_url: https://radio.example.org/live.mp3\n", fmt.Sprintf("  stream_url: %s/air\n  playout:\n    liquidsoap: %s\n    icecast: {host: 127.0.0.1, password: hackme}\n    harbor: {password: studio}\n", stream.URL, ls.Addr()), 1)
	path := filepath.Join(dir, "onair.yaml")
	os.WriteFile(path, []byte(yaml), 0o644)
	h := notified(t, path, t.TempDir(), t0)
	ls.SetClock(h.clk.Now)
	airing := func(start time.Time) {
		h.clk.AdvanceTo(start)
		// The recording starts (at a publish for air time, or for files
		// that settled at the same instant).
		waitFor(t, func() bool {
			return h.svc.Status().Air["recording"].([]string) != nil && len(h.svc.Status().Air["recording"].([]string)) == 1
		})
		for range 3 { // Liquidsoap is asked every second
			h.clk.Advance(time.Second)
			h.wait("air check")
		}
		h.clk.AdvanceTo(start.Add(time.Hour))
		h.wait("recorded")
	}

	// No studio connected all through the first airing.
	airing(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC))
	if _, err := os.Stat(filepath.Join(archiveDir, "t-2026-11-27.mp3")); err == nil {
		t.Error("an airing with no studio on air was published")
	}
	health := h.health()
	last, _ := health["air"].(map[string]any)["last_recording"].(map[string]any)
	if health["status"] != "degraded" || last["verdict"] != "failed" || !strings.Contains(fmt.Sprint(last["error"]), "no studio") {
		t.Errorf("/healthz after a recording with no studio: %v, %v", health["status"], last)
	}
	waitFor(t, func() bool { return strings.Contains(c.Hooks(), "recording.failed") })

	// A studio, but a stream that gave 3.6 s of the hour.
	ls.SetStudio(true)
	airing(time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC))
	if _, err := os.Stat(filepath.Join(archiveDir, "t-2026-11-27-2.mp3")); err != nil {
		t.Errorf("a partial recording was not kept: %v", err)
	}
	last, _ = h.health()["air"].(map[string]any)["last_recording"].(map[string]any)
	if last["verdict"] != "partial" || last["missing"].(float64) < 3596 {
		t.Errorf("/healthz after a partial recording: %v", last)
	}
	for _, m := range []string{`onair_recordings_total{result="complete"} 0`, `onair_recordings_total{result="partial"} 1`, `onair_recordings_total{result="failed"} 1`} {
		if !strings.Contains(h.metrics(), m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
	waitFor(t, func() bool { return strings.Contains(c.Hooks(), "recording.partial") })
	for _, r := range c.Caught("/hook") {
		var e notify.Event
		json.Unmarshal([]byte(r.Body), &e)
		if e.Type == notify.RecordingPartial && (e.Recording == nil || e.Recording.File != "t-2026-11-27-2.mp3" || e.Recording.Missing < 3596) {
			t.Errorf("the webhook's recording: %+v", e.Recording)
		}
	}
	vs, err := playout.Verdicts(archiveDir)
	if err != nil || len(vs) != 2 || vs[0].Verdict != "failed" || vs[1].Verdict != "partial" {
		t.Errorf("the verdict log: %+v %v", vs, err)
	}
	if strings.Contains(h.logs.String(), "its airing was edited") {
		t.Error("an airing that was not edited is logged as edited")
	}
	if log := h.logs.String(); !strings.Contains(log, "recording failed: nothing is published") || !strings.Contains(log, "recording partial: published") {
		t.Errorf("the log does not say:\n%s", log)
	}
}

// TestRecordingNotEditedAtItsEnd: a publish just after an airing's end
// (the real clock's air timer fires late, and its recording is finishing)
// is no edit of it: its end stays, and the log says nothing of an edit.
func TestRecordingNotEditedAtItsEnd(t *testing.T) {
	dir := t.TempDir()
	path := recordingStation(t, dir, "http://127.0.0.1:1", "      - {kind: live, once: 2026-11-27 13:00, duration: 1h}\n")
	st, err := teststation.Loader(path)(readFileBytes(t, path))
	if err != nil {
		t.Fatal(err)
	}
	var logs testlog.Buffer
	s := &Service{st: st, log: slog.New(slog.NewTextHandler(&logs, nil))}
	a := st.Schedule.OnAir(time.Date(2026, 11, 27, 13, 30, 0, 0, time.UTC))[0]
	j := &recJob{airing: a, until: a.End, ends: make(chan time.Time, 1)}
	s.air.recording = map[string]*recJob{a.ID: j}
	for _, at := range []time.Time{a.End, a.End.Add(300 * time.Millisecond), a.End.Add(time.Second)} {
		s.moveRecordings(at)
		if !j.until.Equal(a.End) || len(j.ends) != 0 || strings.Contains(logs.String(), "edited") {
			t.Errorf("at %s: the recording ends at %s; the log says\n%s", at.Format(time.TimeOnly), j.until.Format(time.TimeOnly), logs.String())
		}
	}
	// An edit that shortens it, after all, is one.
	s.st, _ = teststation.Loader(path)([]byte(strings.Replace(readFile(t, path), "duration: 1h", "duration: 30m", 1)))
	s.moveRecordings(a.Start.Add(10 * time.Minute))
	if want := a.Start.Add(30 * time.Minute); !j.until.Equal(want) || !strings.Contains(logs.String(), "edited") {
		t.Errorf("after an edit: ends at %s, want %s", j.until, want)
	}
}

func readFileBytes(t *testing.T, path string) []byte { return []byte(readFile(t, path)) }

// TestMissingEpisodeSaidOnce: rebroadcasts on the air at once whose
// episodes have no recording are each warned of once, not at every
// publish while they air (a busy station's log had hundreds a minute), and
// again for a later airing.
func TestMissingEpisodeSaidOnce(t *testing.T) {
	dir := t.TempDir()
	path := playoutStation(t, dir, "http://127.0.0.1:1", "127.0.0.1:1", `  - id: a
    title: A
    slots:
      - {kind: live, cron: "50 * * * *", duration: 5m}
      - {kind: rebroadcast, cron: "0 * * * *", duration: 30m}
  - id: b
    title: B
    allow_overlap: true
    slots:
      - {kind: live, cron: "50 * * * *", duration: 5m}
      - {kind: rebroadcast, cron: "10 * * * *", duration: 30m}
`)
	st, err := teststation.Loader(path)(readFileBytes(t, path))
	if err != nil {
		t.Fatal(err)
	}
	var logs testlog.Buffer
	s := &Service{st: st, log: slog.New(slog.NewTextHandler(&logs, nil))}
	hour := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	for _, m := range []int{0, 5, 15, 20, 25, 29, 60, 75} {
		s.airChange(hour.Add(time.Duration(m) * time.Minute))
	}
	if n := strings.Count(logs.String(), "has no recording"); n != 4 {
		t.Errorf("%d warnings, want one for each of the 4 airings:\n%s", n, logs.String())
	}
}
