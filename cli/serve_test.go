package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/testlog"
	"github.com/onair-radio/onair/server"
)

// TestServeShutdownUnderLoad: a signal stops the listener, lets the requests
// in flight finish, stops the cron, and serve returns without error.
func TestServeShutdownUnderLoad(t *testing.T) {
	o := &rootOptions{env: Env{Getenv: func(string) string { return "" }, Now: func() time.Time { return fixedNow }}}
	svc, err := server.NewService(context.Background(), server.Options{ConfigPath: "config.example.yaml", Load: o.loader("config.example.yaml", ""), Clock: clock.NewFake(fixedNow)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, svc, ln, slog.New(slog.DiscardHandler), nil) }()

	// Eight clients in a loop, for a bounded number of requests each.
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	started := make(chan struct{})
	var once sync.Once
	for c := 0; c < 8; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 400; i++ {
				resp, err := client.Get(url + "/media/prn/prn-2026-11-22.mp3")
				if err != nil {
					return // the listener is closed: the shutdown has begun
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || n != 16128 {
					failed.Add(1) // a request that was served must be served whole
				} else {
					ok.Add(1)
				}
				once.Do(func() { close(started) })
			}
		}()
	}
	<-started
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(11 * time.Second):
		t.Fatal("serve did not return within the 10 s shutdown")
	}
	wg.Wait()
	if failed.Load() > 0 || ok.Load() == 0 {
		t.Errorf("%d requests served whole, %d cut short", ok.Load(), failed.Load())
	}
	if _, err := client.Get(url + "/healthz"); err == nil {
		t.Error("still accepting after the shutdown")
	}
}

// TestServeHangupAndCut: SIGHUP reloads; a stop with a request still
// running past the grace time cuts it and is still a clean stop (exit 0).
func TestServeHangupAndCut(t *testing.T) {
	grace := shutdownGrace
	shutdownGrace = 300 * time.Millisecond
	t.Cleanup(func() { shutdownGrace = grace })
	var logs testlog.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	o := &rootOptions{env: Env{Getenv: func(string) string { return "" }, Now: func() time.Time { return fixedNow }}}
	svc, err := server.NewService(context.Background(), server.Options{ConfigPath: "config.example.yaml", Load: o.loader("config.example.yaml", ""), Clock: clock.NewFake(fixedNow), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hangup := make(chan os.Signal, 1)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, svc, ln, log, hangup) }()
	hangup <- syscall.SIGHUP
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), `reason="reload asked"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no publish after SIGHUP:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A request whose headers never finish holds the shutdown.
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("GET /feeds/prn.xml HTTP/1.1\r\nHost: x\r\n"))
	time.Sleep(50 * time.Millisecond) // the server has the connection
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v, want a clean stop", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop after its grace time")
	}
	if !strings.Contains(logs.String(), "requests still running were cut") {
		t.Errorf("the cut is not logged:\n%s", logs.String())
	}
}

// TestSecondServiceRefused: a second service on the same --out, the same
// address or the same --state fails before it writes anything, naming the
// service that holds it.
func TestSecondServiceRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	state := filepath.Join(t.TempDir(), "state")
	first := startServeCmd(t, "--out", out, "--state", state)
	written, _ := os.ReadFile(filepath.Join(out, "schedule.json"))
	info, _ := os.Stat(filepath.Join(out, "schedule.json"))
	for _, args := range [][]string{
		{"--out", out},
		{"--listen", first, "--out", filepath.Join(t.TempDir(), "other")},
		{"--state", state, "--out", filepath.Join(t.TempDir(), "other")},
	} {
		var stderr bytes.Buffer
		all := append([]string{"serve", "--config", "config.example.yaml", "--no-cache", "--listen", "127.0.0.1:0", "--at", "2026-11-29T13:30:00-06:00"}, args...)
		code := Run(context.Background(), all, Env{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }, Now: time.Now})
		if code != ExitFailure {
			t.Errorf("%v: exit %d, want %d", args, code, ExitFailure)
		}
		held := "the state directory is in use: " + state + ": held by another process: onair serve (pid "
		if msg := stderr.String(); !strings.Contains(msg, "another onair is publishing to "+out) && !strings.Contains(msg, "address already in use") && !strings.Contains(msg, held) {
			t.Errorf("%v: %s", args, msg)
		}
	}
	if again, _ := os.Stat(filepath.Join(out, "schedule.json")); !os.SameFile(info, again) {
		t.Error("the second service rewrote the first one's --out")
	}
	if now, _ := os.ReadFile(filepath.Join(out, "schedule.json")); !bytes.Equal(now, written) {
		t.Error("schedule.json changed")
	}
}

// startServeCmd runs onair serve on the example with args until the test
// ends, and returns the address it listens on.
func startServeCmd(t *testing.T, args ...string) string {
	t.Helper()
	var logs testlog.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	all := append([]string{"serve", "--config", "config.example.yaml", "--no-cache", "--listen", "127.0.0.1:0", "--at", "2026-11-29T13:30:00-06:00"}, args...)
	go func() {
		done <- Run(ctx, all, Env{Stdout: io.Discard, Stderr: &logs, Getenv: func(string) string { return "" }, Now: time.Now})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d:\n%s", code, logs.String())
		}
	})
	re := regexp.MustCompile(`listening url=http://(\S+)`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("serve did not listen:\n%s", logs.String())
	return ""
}

func TestBaseURLAgainstListen(t *testing.T) {
	addr := func(s string) net.Addr { a, _ := net.ResolveTCPAddr("tcp", s); return a }
	tests := []struct {
		base, listen string
		warn         bool
	}{
		{"http://localhost:8080", "127.0.0.1:8080", false},
		{"http://localhost:8080", "127.0.0.1:9000", true},
		{"http://127.0.0.1", "127.0.0.1:8080", true},
		{"https://radio.example.org", "127.0.0.1:8080", false}, // behind a proxy
		{"http://[::1]:9000", "[::1]:9000", false},
	}
	for _, tc := range tests {
		var logs testlog.Buffer
		warnBaseURL(slog.New(slog.NewTextHandler(&logs, nil)), tc.base, addr(tc.listen))
		if got := strings.Contains(logs.String(), "base_url names this machine but another port"); got != tc.warn {
			t.Errorf("base_url %s, listening on %s: warned %v, want %v", tc.base, tc.listen, got, tc.warn)
		}
	}
	for in, want := range map[string]string{"127.0.0.1:8080": "http://127.0.0.1:8080", "0.0.0.0:8080": "http://localhost:8080", "[::]:9000": "http://localhost:9000", "[::1]:9000": "http://[::1]:9000"} {
		if got := listenURL(addr(in)); got != want {
			t.Errorf("listenURL(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestConnectionBudget(t *testing.T) {
	for fds, want := range map[int]int{0: 4096, 1024: 896, 100: 16, 1 << 20: 65536} {
		if got := connectionBudget(fds); got != want {
			t.Errorf("connectionBudget(%d) = %d, want %d", fds, got, want)
		}
	}
}

// TestServeNeedsBaseURL: publishing to a bucket, or as a replica, without
// station.base_url is refused before anything is written: every replica
// would link to its own listen address.
func TestServeNeedsBaseURL(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "onair.yaml")
	os.WriteFile(cfg, []byte("station: {name: T, timezone: UTC}\nshows: [{id: a, title: A, slots: [{kind: live, cron: \"0 1 * * *\", duration: 1h}]}]\n"), 0o644)
	for _, args := range [][]string{
		{"--out", "s3://bucket?endpoint=http://127.0.0.1:1&region=us-east-1"},
		{"--lease", "postgres://127.0.0.1:1/onair"},
	} {
		var stderr bytes.Buffer
		all := append([]string{"serve", "--config", cfg, "--no-cache", "--listen", "127.0.0.1:0"}, args...)
		code := Run(context.Background(), all, Env{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }, Now: time.Now})
		if code != ExitFailure || !strings.Contains(stderr.String(), "station.base_url must be set (in "+cfg+", or $ONAIR_STATION_BASE_URL)") {
			t.Errorf("%v: exit %d: %s", args, code, stderr.String())
		}
	}
}

// TestMemoryLimit: the service's soft memory limit is its floor for a
// small heap, and one and a half times the live heap for a large one (under it, the
// collector would run all the time); stop ends its goroutine.
func TestMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	runtime.GC()
	stop := memoryLimit(1<<40, time.Hour)
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("limit %d, want the floor", got)
	}
	stop()
	live := make([]byte, 64<<20)
	runtime.GC()
	stop = memoryLimit(16<<20, time.Hour)
	defer stop()
	if got := debug.SetMemoryLimit(-1); got < 3*int64(len(live))/2 {
		t.Errorf("limit %d MiB with %d MiB live, want at least one and a half times", got>>20, len(live)>>20)
	}
	runtime.KeepAlive(live)
}
