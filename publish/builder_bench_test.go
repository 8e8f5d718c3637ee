package publish

import (
	"context"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/teststation"
)

// BenchmarkBuilderRepublish is a publish at an air time of a large station
// whose feeds, calendars and show pages mostly did not change: what a
// service does at every airing's start and end.
func BenchmarkBuilderRepublish(b *testing.B) {
	st, recs := teststation.Scale(b, 300)
	at := time.Date(2026, 11, 29, 18, 59, 58, 0, time.UTC)
	var bu Builder
	if _, err := bu.Build(context.Background(), st, recs, at); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := bu.Build(context.Background(), st, recs, at.Add(2*time.Second)); err != nil {
			b.Fatal(err)
		}
	}
}
