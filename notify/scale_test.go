package notify

import (
	"slices"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/teststation"
)

// BenchmarkPlanScale is a publish's planning for a 1,000-show station
// with ten years of episodes each, when nothing changed.
func BenchmarkPlanScale(b *testing.B) {
	st, recs := teststation.Scale(b, 1000)
	eps := make(map[string][]string)
	feeds := make(map[string]string)
	for show, rs := range recs {
		for _, r := range rs {
			eps[show] = append(eps[show], r.Episode)
		}
		slices.Sort(eps[show])
		feeds[show] = "etag"
	}
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	prev := State{At: at, Feeds: feeds, Episodes: eps}
	for b.Loop() {
		Plan(st, prev, Published{At: at.Add(time.Minute), Feeds: feeds, Episodes: eps})
	}
}
