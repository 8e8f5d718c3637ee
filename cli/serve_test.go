package cli

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/server"
)

// TestServeShutdownUnderLoad: a signal stops the listener, lets the requests
// in flight finish, stops the cron, and serve returns without error.
func TestServeShutdownUnderLoad(t *testing.T) {
	o := &rootOptions{env: Env{Getenv: func(string) string { return "" }}}
	svc, err := server.NewService(server.Options{ConfigPath: "config.example.yaml", Load: o.loader("config.example.yaml"), Clock: clock.NewFake(fixedNow)})
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
	go func() { done <- serve(ctx, svc, ln, slog.New(slog.DiscardHandler)) }()

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
