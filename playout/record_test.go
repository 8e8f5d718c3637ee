package playout

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/clock"
)

// stream is a fake Icecast mount: each listener gets the chunks the test
// sends, until the test drops it.
type stream struct {
	mu     sync.Mutex
	chunks chan string
	drop   chan struct{}
	down   bool // answer 503
	joins  chan struct{}
}

func newStream() *stream {
	return &stream{chunks: make(chan string), drop: make(chan struct{}), joins: make(chan struct{}, 10)}
}

func (s *stream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "audio/mpeg")
	w.WriteHeader(200)
	w.(http.Flusher).Flush()
	s.joins <- struct{}{}
	for {
		select {
		case c := <-s.chunks:
			w.Write([]byte(c))
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

func TestRecordDropAndRejoin(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	src := newStream()
	srv := httptest.NewServer(src)
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "prn-2026-11-29.mp3")
	// A .part left by a run that stopped mid-airing is continued.
	os.WriteFile(path+".part", []byte("before-restart|"), 0o644)
	rc := &Recorder{Clock: clk}
	type out struct {
		res Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := rc.Record(context.Background(), Recording{URL: srv.URL + "/air", Path: path, Until: t0.Add(time.Hour)})
		done <- out{res, err}
	}()
	<-src.joins
	src.chunks <- "first|"
	waitSize(t, path+".part", int64(len("before-restart|first|")))
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("the file bears its name before the airing ended")
	}
	// The source drops; the recorder joins again after a second.
	src.drop <- struct{}{}
	for clk.Timers() < 2 { // the end, and the backoff
		time.Sleep(time.Millisecond)
	}
	clk.Advance(time.Second)
	<-src.joins
	src.chunks <- "second|"
	waitSize(t, path+".part", int64(len("before-restart|first|second|")))
	clk.AdvanceTo(t0.Add(time.Hour))
	o := <-done
	if o.err != nil || o.res.Drops != 1 {
		t.Fatalf("%+v %v", o.res, o.err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "before-restart|first|second|" {
		t.Errorf("recorded %q (%v)", b, err)
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
	done := make(chan error, 1)
	go func() {
		_, err := (&Recorder{Clock: clk}).Record(context.Background(), Recording{URL: srv.URL, Path: path, Until: t0.Add(time.Minute)})
		done <- err
	}()
	// It keeps trying, a second, two, four... apart, until the end.
	for i := 0; i < 6; i++ {
		for clk.Timers() < 2 {
			time.Sleep(time.Millisecond)
		}
		clk.Advance(10 * time.Second)
	}
	err := <-done
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
	done := make(chan error, 1)
	go func() {
		_, err := (&Recorder{Clock: clock.NewFake(t0)}).Record(ctx, Recording{URL: srv.URL, Path: path, Until: t0.Add(time.Hour)})
		done <- err
	}()
	<-src.joins
	src.chunks <- "some|"
	waitSize(t, path+".part", 5)
	cancel() // the service stops mid-airing
	if err := <-done; err != context.Canceled {
		t.Errorf("err = %v", err)
	}
	if b, _ := os.ReadFile(path + ".part"); string(b) != "some|" {
		t.Errorf(".part kept %q", b)
	}
}
