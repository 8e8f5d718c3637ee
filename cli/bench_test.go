package cli

import (
	"context"
	"io"
	"testing"
	"time"
)

// BenchmarkNextInProcess is `onair next` on the example without starting a
// process: what is left of the whole-process time once start-up is taken out.
func BenchmarkNextInProcess(b *testing.B) {
	env := Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, Now: time.Now}
	for b.Loop() {
		if code := Run(context.Background(), []string{"next", "--config", "config.example.yaml", "--at", "2026-11-27T12:00:00-06:00"}, env); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
