package notify

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/station"
)

func testStation(t *testing.T) *station.Station {
	t.Helper()
	st, err := teststation.Load("../testdata/notify/station.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

func ids(es []Event) string {
	var out []string
	for _, e := range es {
		s := e.ID
		if e.Reason != "" {
			s += " (" + e.Reason + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func TestPlan(t *testing.T) {
	st := testStation(t)
	feeds := func(prn, jazz string) map[string]string { return map[string]string{"prn": prn, "jazz": jazz} }
	eps := func(prn ...string) map[string][]string { return map[string][]string{"prn": prn, "jazz": {}} }
	tests := []struct {
		name string
		prev State
		now  Published
		want string
	}{
		{"a first start learns, and tells nothing",
			State{}, Published{At: at("2026-11-29 13:00:00"), Feeds: feeds("a", "b"), Episodes: eps()}, ""},
		{"a live airing starts: the feed is live",
			State{At: at("2026-11-29 12:59:59"), Feeds: feeds("a", "b"), Episodes: eps()},
			Published{At: at("2026-11-29 13:00:00"), Feeds: feeds("a2", "b"), Episodes: eps()},
			"airing.started:prn-2026-11-29T1300, feed.updated:prn:live:prn-2026-11-29T1300 (live)"},
		{"it ends: liveEnd",
			State{At: at("2026-11-29 13:00:00"), Feeds: feeds("a2", "b"), Episodes: eps()},
			Published{At: at("2026-11-29 14:00:00"), Feeds: feeds("a3", "b"), Episodes: eps()},
			"airing.ended:prn-2026-11-29T1300, feed.updated:prn:liveEnd:prn-2026-11-29T1300 (liveEnd)"},
		{"its recording lands: an update and an episode",
			State{At: at("2026-11-29 14:00:00"), Feeds: feeds("a3", "b"), Episodes: eps()},
			Published{At: at("2026-11-29 14:00:02"), Feeds: feeds("a4", "b"), Episodes: eps("prn-2026-11-29")},
			"feed.updated:prn:1795960802000 (update), episode.published:prn-2026-11-29"},
		{"a rebroadcast: airing events only (its feed does not change)",
			State{At: at("2026-11-30 09:00:00"), Feeds: feeds("a4", "b"), Episodes: eps("prn-2026-11-29")},
			Published{At: at("2026-11-30 10:00:00"), Feeds: feeds("a4", "b"), Episodes: eps("prn-2026-11-29")},
			"airing.started:prn-2026-11-30T1000"},
		{"down when the airing started, back while it is on: started and live",
			State{At: at("2026-11-29 12:00:00"), Feeds: feeds("a", "b"), Episodes: eps()},
			Published{At: at("2026-11-29 13:20:00"), Feeds: feeds("a2", "b"), Episodes: eps()},
			"airing.started:prn-2026-11-29T1300, feed.updated:prn:live:prn-2026-11-29T1300 (live)"},
		{"down for the whole airing: nothing of it, but the feed's change",
			State{At: at("2026-11-29 12:00:00"), Feeds: feeds("a", "b"), Episodes: eps()},
			Published{At: at("2026-11-29 15:00:00"), Feeds: feeds("a3", "b"), Episodes: eps()},
			"feed.updated:prn:1795964400000 (update)"},
		{"down when it ended: ended and liveEnd, late",
			State{At: at("2026-11-29 13:30:00"), Feeds: feeds("a2", "b"), Episodes: eps()},
			Published{At: at("2026-11-29 15:00:00"), Feeds: feeds("a3", "b"), Episodes: eps()},
			"airing.ended:prn-2026-11-29T1300, feed.updated:prn:liveEnd:prn-2026-11-29T1300 (liveEnd)"},
		{"the clock went back: nothing",
			State{At: at("2026-11-29 13:30:00"), Feeds: feeds("a2", "b"), Episodes: eps()},
			Published{At: at("2026-11-29 13:00:00"), Feeds: feeds("a9", "b"), Episodes: eps()}, ""},
		{"a show new to the state tells nothing of its archive",
			State{At: at("2026-11-28 13:30:00"), Feeds: map[string]string{"jazz": "b"}, Episodes: map[string][]string{"jazz": {}}},
			Published{At: at("2026-11-28 13:31:00"), Feeds: feeds("new", "b"), Episodes: eps("prn-2026-11-22")}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, next := Plan(st, tc.prev, tc.now)
			if ids(got) != tc.want {
				t.Errorf("events:\n got %s\nwant %s", ids(got), tc.want)
			}
			if tc.now.At.After(tc.prev.At) && !next.At.Equal(tc.now.At) {
				t.Errorf("state at %v", next.At)
			}
			for _, e := range got {
				if e.Station != "Notify Radio" || e.Show == "" || e.At.IsZero() || (e.Type == FeedUpdated && e.Feed != "https://radio.example.org/feeds/"+e.Show+".xml") {
					t.Errorf("event %+v", e)
				}
			}
		})
	}
}

// TestPlanOnce: planned again from the state a plan returns, the same
// publish tells nothing more; and event ids are unique.
func TestPlanOnce(t *testing.T) {
	st := testStation(t)
	prev := State{At: at("2026-11-29 12:00:00"), Feeds: map[string]string{"prn": "a", "jazz": "b"}, Episodes: map[string][]string{"prn": {}, "jazz": {}}}
	seen := make(map[string]bool)
	for i, step := range []string{"2026-11-29 13:00:00", "2026-11-29 14:00:00", "2026-11-29 20:00:00", "2026-11-29 22:00:00", "2026-11-30 10:00:00", "2026-11-30 11:00:00"} {
		now := Published{At: at(step), Feeds: map[string]string{"prn": fmt.Sprint("a", i), "jazz": fmt.Sprint("b", i)}, Episodes: prev.Episodes}
		got, next := Plan(st, prev, now)
		for _, e := range got {
			if seen[e.ID] {
				t.Errorf("%s told twice", e.ID)
			}
			seen[e.ID] = true
		}
		if again, _ := Plan(st, next, now); len(again) != 0 {
			t.Errorf("at %s, planned again: %s", step, ids(again))
		}
		prev = next
	}
	var types []string
	for id := range seen {
		types = append(types, id[:strings.IndexByte(id, ':')])
	}
	slices.Sort(types)
	if got := strings.Join(slices.Compact(types), " "); got != "airing.ended airing.started feed.updated" {
		t.Errorf("types %s", got)
	}
}
