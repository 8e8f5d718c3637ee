package publish

import (
	"context"
	"os"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/onair-radio/onair/config"
)

func TestZZProf(t *testing.T) {
	p := os.Getenv("ZZ")
	if p == "" {
		t.Skip()
	}
	cfg, err := config.Load(p, config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	t0 := time.Now()
	var b Builder
	if _, err := b.Build(context.Background(), cfg.Station, nil, at); err != nil {
		t.Fatal(err)
	}
	t.Log("first", time.Since(t0))
	if f := os.Getenv("ZZCPU"); f != "" {
		w, _ := os.Create(f)
		pprof.StartCPUProfile(w)
		defer pprof.StopCPUProfile()
	}
	t0 = time.Now()
	if _, err := b.Build(context.Background(), cfg.Station, nil, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	t.Log("boundary", time.Since(t0))
}
