package web_test

import (
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/web"
)

// BenchmarkWeek renders the week at a glance of a station on the air around
// the clock (168 airings a week).
func BenchmarkWeek(b *testing.B) {
	st, err := teststation.Load("../testdata/config/around-the-clock.yaml")
	if err != nil {
		b.Fatal(err)
	}
	at, _ := time.Parse(time.RFC3339, "2026-11-29T13:30:00+01:00")
	for b.Loop() {
		if _, err := web.NewRenderer(web.Input{Station: st, At: at}).Week(); err != nil {
			b.Fatal(err)
		}
	}
}
