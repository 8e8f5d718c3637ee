package playout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/testlog"
	"github.com/onair-radio/onair/internal/testmedia"
)

// stream is a fake Icecast mount: each listener gets the chunks the test
// sends, until the test drops it.
type stream struct {
	mu     sync.Mutex
	chunks chan []byte
	drop   chan struct{}
	down   bool // answer 503
	joins  chan struct{}
	ctype  string
}

func newStream() *stream {
	return &stream{chunks: make(chan []byte), drop: make(chan struct{}), joins: make(chan struct{}, 10), ctype: "audio/mpeg"}
}

func (s *stream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", s.ctype)
	w.WriteHeader(200)
	w.(http.Flusher).Flush()
	s.joins <- struct{}{}
	for {
		select {
		case c := <-s.chunks:
			w.Write(c)
			w.(http.Flusher).Flush()
		case <-s.drop:
			return // the source went away
		case <-r.Context().Done():
			return
		}
	}
}

// waitSize waits until path holds n bytes (the recorder writes what the
// stream sends in real time: this waits for a write, not for time to pass).
func waitSize(t *testing.T, path string, n int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if info, err := os.Stat(path); err == nil && info.Size() == n {
			return
		}
		if time.Now().After(deadline) {
			info, _ := os.Stat(path)
			t.Fatalf("%s never held %d bytes (%v)", path, n, info)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// at names a recording's file for any format.
func at(path string) func(string) string {
	return func(ext string) string { return strings.TrimSuffix(path, filepath.Ext(path)) + "." + ext }
}

var oneFrame = testmedia.MP3(1, "")

// frames is n MP3 frames.
func frames(n int) []byte { return testmedia.MP3(n, "") }

func TestRecordDropAndRejoin(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	src := newStream()
	srv := httptest.NewServer(src)
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "prn-2026-11-29.mp3")
	// A .part left by a run that stopped mid-airing, in the middle of
	// writing a frame, is continued from its last whole frame.
	os.WriteFile(path+".part", append(frames(3), oneFrame[:50]...), 0o644)
	done := recordAsync(context.Background(), &Recorder{Clock: clk}, Recording{URL: srv.URL + "/air", Path: at(path), Until: t0.Add(time.Hour)})
	<-src.joins
	// Joined mid-frame: the bytes before the first frame are dropped.
	src.chunks <- append(oneFrame[100:], frames(3)...)
	waitSize(t, path+".part", int64(len(frames(5)))) // the third waits for the fourth's header
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("the file bears its name before the airing ended")
	}
	// The source drops mid-frame; the recorder joins again after a second.
	src.chunks <- oneFrame[:70]
	src.drop <- struct{}{}
	for clk.Timers() < 2 { // the end, and the backoff
		time.Sleep(time.Millisecond)
	}
	waitSize(t, path+".part", int64(len(frames(6))))
	clk.Advance(time.Second)
	<-src.joins
	src.chunks <- append(oneFrame[10:], frames(4)...)
	waitSize(t, path+".part", int64(len(frames(9))))
	clk.AdvanceTo(t0.Add(time.Hour))
	o := <-done
	if o.err != nil || o.res.Drops != 1 || o.res.Path != path || o.res.Size != int64(len(frames(10))) || o.res.Audio != 10*testmedia.FrameDuration {
		t.Fatalf("%+v %v", o.res, o.err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(b, frames(10)) {
		t.Errorf("recorded %d bytes, not 10 whole frames (%v)", len(b), err)
	}
	if _, err := os.Stat(path + ".part"); !os.IsNotExist(err) {
		t.Error("the .part is left")
	}
}

func TestRecordNothing(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	src := newStream()
	src.down = true
	srv := httptest.NewServer(src)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "prn-2026-11-29.mp3")
	done := recordAsync(context.Background(), &Recorder{Clock: clk}, Recording{URL: srv.URL, Path: at(path), Until: t0.Add(time.Minute)})
	// It keeps trying, a second, two, four... apart, until the end.
	for i := 0; i < 6; i++ {
		for clk.Timers() < 2 {
			time.Sleep(time.Millisecond)
		}
		clk.Advance(10 * time.Second)
	}
	err := (<-done).err
	if err == nil || !strings.Contains(err.Error(), "nothing was recorded") || !strings.Contains(err.Error(), "503") {
		t.Errorf("err = %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
		t.Errorf("left %v", entries)
	}
}

func TestRecordStopped(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	src := newStream()
	srv := httptest.NewServer(src)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "prn-2026-11-29.mp3")
	ctx, cancel := context.WithCancel(context.Background())
	done := recordAsync(ctx, &Recorder{Clock: clock.NewFake(t0)}, Recording{URL: srv.URL, Path: at(path), Until: t0.Add(time.Hour)})
	<-src.joins
	src.chunks <- frames(3)
	waitSize(t, path+".part", int64(len(frames(2))))
	cancel() // the service stops mid-airing
	if err := (<-done).err; err != context.Canceled {
		t.Errorf("err = %v", err)
	}
	if b, _ := os.ReadFile(path + ".part"); !bytes.Equal(b, frames(3)) {
		t.Errorf(".part kept %d bytes", len(b))
	}
}

// TestRecordEndMoves: an airing lengthened, then cut short, during its
// recording ends the recording at its new end.
func TestRecordEndMoves(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	src := newStream()
	srv := httptest.NewServer(src)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "prn-2026-11-29.mp3")
	ends := make(chan time.Time, 1)
	done := recordAsync(context.Background(), &Recorder{Clock: clk}, Recording{URL: srv.URL, Path: at(path), Until: t0.Add(time.Hour), Ends: ends})
	<-src.joins
	src.chunks <- frames(3)
	ends <- t0.Add(2 * time.Hour)
	for len(ends) > 0 {
		time.Sleep(time.Millisecond)
	}
	clk.AdvanceTo(t0.Add(time.Hour))
	select {
	case o := <-done:
		t.Fatalf("ended at the old end: %v", o.err)
	case <-time.After(50 * time.Millisecond):
	}
	ends <- t0.Add(90 * time.Minute) // now past: at once
	clk.AdvanceTo(t0.Add(100 * time.Minute))
	if err := (<-done).err; err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, frames(3)) {
		t.Errorf("recorded %d bytes", len(b))
	}
}

// needFFmpeg is ffmpeg's path, or skips the test.
func needFFmpeg(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: this test runs ffmpeg")
	}
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		if os.Getenv("ONAIR_REQUIRE_AIR") != "" {
			t.Fatal("ffmpeg is not installed (apt-get install ffmpeg)")
		}
		t.Skip("ffmpeg is not installed (apt-get install ffmpeg)")
	}
	return ffmpeg
}

// makeAudio has ffmpeg make a file of lavfi source src, encoded by args.
func makeAudio(t *testing.T, ffmpeg, path, src string, args ...string) []byte {
	t.Helper()
	cmd := append([]string{"-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", src}, args...)
	if out, err := exec.Command(ffmpeg, append(cmd, path)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type outcome struct {
	res Result
	err error
}

// recordAsync records in the background.
func recordAsync(ctx context.Context, rc *Recorder, r Recording) <-chan outcome {
	done := make(chan outcome, 1)
	go func() {
		res, err := rc.Record(ctx, r)
		done <- outcome{res, err}
	}()
	return done
}

// endAfterWrites lets the stream's bytes reach the file, then moves the
// clock to the recording's end.
func endAfterWrites(clk *clock.Fake, until time.Time) {
	for clk.Timers() < 1 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	clk.AdvanceTo(until)
}

// TestRecordAAC: an AAC stream's frames become an M4A file, tagged, by
// ffmpeg; its duration is the frames'.
func TestRecordAAC(t *testing.T) {
	ffmpeg := needFFmpeg(t)
	// 5 s of a real AAC stream, as Icecast serves one.
	aac := makeAudio(t, ffmpeg, filepath.Join(t.TempDir(), "tone.aac"), "sine=frequency=440:duration=5:sample_rate=44100", "-c:a", "aac", "-b:a", "96k", "-f", "adts")
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	src := newStream()
	src.ctype = "audio/aac"
	srv := httptest.NewServer(src)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "prn-2026-11-29.mp3")
	done := recordAsync(context.Background(), &Recorder{Clock: clk, FFmpeg: ffmpeg}, Recording{URL: srv.URL, Path: at(path), Until: t0.Add(time.Hour),
		Tags: Tags{Title: "Progressive Radio News Hour, Nov 29, 2026", Artist: "PRN", Date: "2026-11-29"}})
	<-src.joins
	src.chunks <- aac
	endAfterWrites(clk, t0.Add(time.Hour))
	o := <-done
	m4a := at(path)("m4a")
	if o.err != nil || o.res.Path != m4a || o.res.Format != "AAC" || o.res.Finished != "tagged" {
		t.Fatalf("%+v %v", o.res, o.err)
	}
	p, err := archive.ProbeFile(m4a)
	if err != nil || p.Type != "audio/x-m4a" || p.Duration.Round(10*time.Millisecond) != o.res.Audio.Round(10*time.Millisecond) || p.Title != "Progressive Radio News Hour, Nov 29, 2026" {
		t.Errorf("the M4A file: %+v %v (recorded %v of audio)", p, err, o.res.Audio)
	}
}

// TestRecordAACWithoutFFmpeg: without ffmpeg, an AAC recording is not
// published bare: it is kept as .aac, and the recording fails saying how
// to publish it.
func TestRecordAACWithoutFFmpeg(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	src := newStream()
	src.ctype = "audio/aacp"
	srv := httptest.NewServer(src)
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "prn-2026-11-29.mp3")
	done := recordAsync(context.Background(), &Recorder{Clock: clk}, Recording{URL: srv.URL, Path: at(path), Until: t0.Add(time.Hour)})
	<-src.joins
	src.chunks <- testmedia.ADTS(10)
	waitSize(t, at(path)("m4a")+".part", int64(9*testmedia.ADTSFrameBytes))
	clk.AdvanceTo(t0.Add(time.Hour))
	err := (<-done).err
	if err == nil || !strings.Contains(err.Error(), "install ffmpeg") {
		t.Errorf("err = %v", err)
	}
	if b, _ := os.ReadFile(at(path)("aac")); !bytes.Equal(b, testmedia.ADTS(10)) {
		t.Errorf("kept %d bytes as .aac", len(b))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left %v", entries)
	}
}

// TestRecordTagsAndLoudness: with ffmpeg, an MP3 recording gets its tags
// without its audio being touched, or, asked to, is brought to -16 LUFS.
func TestRecordTagsAndLoudness(t *testing.T) {
	ffmpeg := needFFmpeg(t)
	dir := t.TempDir()
	// A real tone, quiet: about -49 LUFS.
	audio := makeAudio(t, ffmpeg, filepath.Join(dir, "tone.mp3"), "sine=frequency=440:duration=6:sample_rate=44100",
		"-af", "volume=-27dB", "-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0", "-id3v2_version", "0")
	for _, normalize := range []bool{false, true} {
		path := filepath.Join(dir, fmt.Sprintf("prn-%v.mp3", normalize))
		o, _ := recordWhole(t, ffmpeg, audio, path, Tags{Title: "A Title", Album: "The Show"}, normalize)
		p, err := archive.ProbeFile(path)
		if err != nil || p.Title != "A Title" {
			t.Errorf("normalize=%v: %+v %v", normalize, p, err)
		}
		loud := loudness(t, ffmpeg, path)
		switch {
		case !normalize && (loud > -28 || o.res.Finished != "tagged"):
			t.Errorf("tagged only: %.1f LUFS, %q", loud, o.res.Finished)
		case normalize && (loud < -17.5 || loud > -14.5 || o.res.Finished != "tagged, normalized"):
			t.Errorf("normalized: %.1f LUFS, %q", loud, o.res.Finished)
		}
		t.Logf("normalize=%v: %.1f LUFS, %d bytes, %v", normalize, loud, o.res.Size, p.Duration)
	}
}

// recordWhole records audio, sent at once, finished by ffmpeg, and says
// how long finishing took.
func recordWhole(t testing.TB, ffmpeg string, audio []byte, path string, tags Tags, normalize bool) (outcome, time.Duration) {
	t.Helper()
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	src := newStream()
	srv := httptest.NewServer(src)
	defer srv.Close()
	done := recordAsync(context.Background(), &Recorder{Clock: clk, FFmpeg: ffmpeg}, Recording{URL: srv.URL, Path: at(path), Until: t0.Add(time.Hour), Tags: tags, Normalize: normalize})
	<-src.joins
	src.chunks <- audio
	for { // all but the last frame, which waits for the end
		if info, err := os.Stat(path + ".part"); err == nil && info.Size() >= int64(len(audio)-1441) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	endAfterWrites(clk, t0.Add(time.Hour))
	o := <-done
	if o.err != nil {
		t.Fatal(o.err)
	}
	return o, time.Since(start)
}

// loudness is a file's integrated loudness, as ffmpeg's ebur128 measures it.
func loudness(t *testing.T, ffmpeg, path string) float64 {
	out, _ := exec.Command(ffmpeg, "-hide_banner", "-nostats", "-i", path, "-af", "ebur128", "-f", "null", "-").CombinedOutput()
	s := string(out)
	i := strings.LastIndex(s, "I:")
	if i < 0 {
		t.Fatalf("no loudness in %s", s)
	}
	var v float64
	fmt.Sscanf(strings.TrimSpace(s[i+2:]), "%f", &v)
	return v
}

// BenchmarkFinishHour measures how long ffmpeg takes to finish an hour's
// recording, tagged, and tagged and normalized: the wait between an
// airing's end and its episode. It makes an hour of 128 kbit/s audio
// first (not timed):
//
//	go test ./playout -run XXX -bench FinishHour -benchtime 1x
func BenchmarkFinishHour(b *testing.B) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		b.Skip("no ffmpeg")
	}
	dir := b.TempDir()
	hour := filepath.Join(dir, "hour.mp3")
	if out, err := exec.Command(ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i", "anoisesrc=d=3600:c=pink:r=44100:a=0.05",
		"-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0", "-id3v2_version", "0", hour).CombinedOutput(); err != nil {
		b.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	audio, err := os.ReadFile(hour)
	if err != nil {
		b.Fatal(err)
	}
	for _, normalize := range []bool{false, true} {
		b.Run(fmt.Sprintf("normalize=%v", normalize), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				o, took := recordWhole(b, ffmpeg, audio, filepath.Join(dir, fmt.Sprintf("prn-%v-%d.mp3", normalize, i)), Tags{Title: "An Hour"}, normalize)
				if o.err != nil || o.res.Finished == "" {
					b.Fatalf("%+v %v", o.res, o.err)
				}
				b.ReportMetric(took.Seconds(), "s/hour")
			}
		})
	}
}

// TestRecordPartWhenStreamDown: a service restarted mid-airing finds the
// stream gone for the rest of it: the .part its earlier run made is the
// recording, finished at the airing's end, not left unfinished.
func TestRecordPartWhenStreamDown(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	src := newStream()
	src.down = true
	srv := httptest.NewServer(src)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "prn-2026-11-29.mp3")
	os.WriteFile(path+".part", append(frames(5), oneFrame[:30]...), 0o644)
	done := recordAsync(context.Background(), &Recorder{Clock: clk}, Recording{URL: srv.URL, Path: at(path), Until: t0.Add(time.Minute)})
	for clk.Timers() < 2 { // the end, and the backoff
		time.Sleep(time.Millisecond)
	}
	clk.AdvanceTo(t0.Add(time.Minute))
	o := <-done
	if o.err != nil || o.res.Size != int64(len(frames(5))) {
		t.Fatalf("%+v %v", o.res, o.err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, frames(5)) {
		t.Errorf("recorded %d bytes", len(b))
	}
}

// tmpfs mounts a filesystem of size bytes for the test (root only; on CI,
// where ONAIR_REQUIRE_AIR is set, it must work).
func tmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		if os.Getenv("ONAIR_REQUIRE_AIR") != "" {
			t.Fatalf("mount a tmpfs: %v: %s", err, out)
		}
		t.Skipf("mount a tmpfs (as root): %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

// TestRecordDiskFull: a disk that fills mid-airing is a write error, not
// a drop: the recording is cut back to its last whole frame, the stream
// is left (not joined again and again), joined again once there is room,
// and the recording is partial, with its missing seconds.
func TestRecordDiskFull(t *testing.T) {
	dir := tmpfs(t, 4<<20)
	free, err := FreeSpace(dir)
	if err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(dir, "filler")
	// Room for some 200 frames (tmpfs counts whole pages).
	if err := os.WriteFile(filler, make([]byte, free-32<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	src := newStream()
	srv := httptest.NewServer(src)
	defer srv.Close()
	path := filepath.Join(dir, "prn-2026-11-29.mp3")
	var logs testlog.Buffer
	rc := &Recorder{Clock: clk, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // before the stream closes: a failing test leaves a recording running
	done := recordAsync(ctx, rc, Recording{URL: srv.URL, Path: at(path), Start: t0, Until: t0.Add(time.Minute)})
	<-src.joins
	src.chunks <- frames(1000) // more than there is room for
	waitTimers(t, clk, 2)      // the end, and the wait for room
	info, _ := os.Stat(path + ".part")
	if info.Size()%int64(testmedia.FrameBytes) != 0 || info.Size() == 0 {
		t.Errorf("the .part holds %d bytes: not whole frames", info.Size())
	}
	// Still full: the stream is not joined again.
	clk.Advance(spaceCheck)
	select {
	case <-src.joins:
		t.Fatal("the stream was joined again while the disk was full")
	case <-time.After(100 * time.Millisecond):
	}
	// Room again: joined, and written.
	os.Remove(filler)
	waitTimers(t, clk, 2)
	clk.Advance(spaceCheck)
	select {
	case <-src.joins:
	case <-time.After(5 * time.Second):
		t.Fatal("not joined again once there was room")
	}
	src.chunks <- frames(11)
	waitSize(t, path+".part", info.Size()+int64(10*testmedia.FrameBytes))
	clk.AdvanceTo(t0.Add(time.Minute))
	o := <-done
	if o.err != nil || o.res.Drops != 0 || o.res.WriteErr == "" || o.res.Verdict != Partial {
		t.Fatalf("%+v %v", o.res, o.err)
	}
	if want := time.Minute - o.res.Audio; o.res.Missing != want || o.res.Audio != time.Duration(o.res.Size/int64(testmedia.FrameBytes))*testmedia.FrameDuration {
		t.Errorf("missing %v of a minute, with %v of audio in %d bytes", o.res.Missing, o.res.Audio, o.res.Size)
	}
	if n := strings.Count(logs.String(), "could not write the recording"); n != 1 {
		t.Errorf("the write error logged %d times, want once:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "dropped") {
		t.Errorf("a full disk was taken for a drop:\n%s", logs.String())
	}
	b, _ := os.ReadFile(path)
	if _, end, err := wholeFrames(path, MP3); err != nil || end != int64(len(b)) {
		t.Errorf("the recording does not end in a whole frame: %d of %d bytes (%v)", end, len(b), err)
	}
}

// TestRecordVerdicts: a recording that holds its airing is complete; one
// that lacks more than Tolerance is partial; one Keep refuses is removed.
func TestRecordVerdicts(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	n := 100
	long := time.Duration(n) * testmedia.FrameDuration
	for _, tc := range []struct {
		name    string
		airing  time.Duration
		keep    error
		verdict string
	}{
		{"whole", long + time.Second, nil, Complete},
		{"short by a minute", long + time.Minute, nil, Partial},
		{"no studio", long, ErrNoStudio, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := clock.NewFake(t0)
			src := newStream()
			srv := httptest.NewServer(src)
			defer srv.Close()
			path := filepath.Join(t.TempDir(), "prn-2026-11-29.mp3")
			done := recordAsync(context.Background(), &Recorder{Clock: clk}, Recording{URL: srv.URL, Path: at(path), Start: t0, Until: t0.Add(tc.airing),
				Keep: func() error { return tc.keep }})
			<-src.joins
			src.chunks <- frames(n + 1)
			waitSize(t, path+".part", int64(n*testmedia.FrameBytes))
			clk.AdvanceTo(t0.Add(tc.airing))
			o := <-done
			if tc.keep != nil {
				if !errors.Is(o.err, tc.keep) {
					t.Errorf("err %v, want %v", o.err, tc.keep)
				}
				if _, err := os.Stat(path); err == nil {
					t.Error("a refused recording bears its name")
				}
				if _, err := os.Stat(path + ".part"); err == nil {
					t.Error("a refused recording's .part is left")
				}
				return
			}
			if o.err != nil || o.res.Verdict != tc.verdict || o.res.Missing != max(tc.airing-o.res.Audio, 0) {
				t.Errorf("%+v %v, want %s", o.res, o.err, tc.verdict)
			}
		})
	}
}

// waitTimers waits (in real time, bounded) until the code under test has
// set n timers on clk.
func waitTimers(t *testing.T, clk *clock.Fake, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for clk.Timers() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d timers set, want %d", clk.Timers(), n)
		}
		time.Sleep(time.Millisecond)
	}
}
