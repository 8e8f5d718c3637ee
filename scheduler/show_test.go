package scheduler

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// prn is the model case: live Sundays 13:00 Central, rebroadcasts Tuesdays
// 10:00 and Thursdays 19:00.
func prn(t testing.TB) *Show {
	return &Show{
		ID: "prn", Title: "Progressive Radio News Hour", Location: mustLoc(t, "America/Chicago"),
		Slots: []Slot{
			{Kind: Live, Rule: mustCron(t, "0 13 * * SUN"), Duration: time.Hour},
			{Kind: Rebroadcast, Rule: mustCron(t, "0 10 * * TUE"), Duration: time.Hour},
			{Kind: Rebroadcast, Rule: mustCron(t, "0 19 * * THU"), Duration: time.Hour},
		},
	}
}

func station(t testing.TB, shows ...*Show) *Schedule {
	return New(&Station{Shows: shows})
}

// line renders an airing compactly for comparisons.
func line(a Airing) string {
	s := a.ID + " " + string(a.Kind) + " " + a.Start.Format("Mon 15:04 MST")
	if a.Episode != "" {
		s += " ep=" + a.Episode
	}
	if a.Moved {
		s += " moved"
	}
	return s
}

func lines(as []Airing) string {
	var out []string
	for _, a := range as {
		out = append(out, line(a))
	}
	return strings.Join(out, "\n")
}

func TestModelCase(t *testing.T) {
	s := station(t, prn(t))
	got := lines(s.Next(instant(t, "2026-11-27T12:00:00Z"), 5))
	want := strings.Join([]string{
		"prn-2026-11-29T1300 live Sun 13:00 CST ep=prn-2026-11-29",
		"prn-2026-12-01T1000 rebroadcast Tue 10:00 CST ep=prn-2026-11-29",
		"prn-2026-12-03T1900 rebroadcast Thu 19:00 CST ep=prn-2026-11-29",
		"prn-2026-12-06T1300 live Sun 13:00 CST ep=prn-2026-12-06",
		"prn-2026-12-08T1000 rebroadcast Tue 10:00 CST ep=prn-2026-12-06",
	}, "\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestNextStartsAtOrAfter(t *testing.T) {
	s := station(t, prn(t))
	at := instant(t, "2026-11-29T19:00:00Z") // Sunday 13:00 CST exactly
	got := s.Next(at, 1)
	if len(got) != 1 || !got[0].Start.Equal(at) {
		t.Fatalf("Next at the start = %s, want the airing starting then", lines(got))
	}
	got = s.Next(at.Add(time.Second), 1)
	if len(got) != 1 || got[0].ID != "prn-2026-12-01T1000" {
		t.Fatalf("Next a second later = %s, want the Tuesday rebroadcast", lines(got))
	}
}

func TestRebroadcastAcrossSkippedLive(t *testing.T) {
	sh := prn(t)
	sh.Skip = []Date{MustDate("2026-12-27")}
	s := station(t, sh)
	got := lines(s.Airings(instant(t, "2026-12-26T00:00:00Z"), instant(t, "2027-01-02T00:00:00Z")))
	// No live airing on the 27th: Tuesday and Thursday replay the 20th.
	want := strings.Join([]string{
		"prn-2026-12-29T1000 rebroadcast Tue 10:00 CST ep=prn-2026-12-20",
		"prn-2026-12-31T1900 rebroadcast Thu 19:00 CST ep=prn-2026-12-20",
	}, "\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestSkipRemovesEveryAiringThatDay(t *testing.T) {
	sh := prn(t)
	sh.Skip = []Date{MustDate("2026-12-01")}
	got := station(t, sh).Airings(instant(t, "2026-12-01T00:00:00Z"), instant(t, "2026-12-02T12:00:00Z"))
	if len(got) != 0 {
		t.Errorf("airings on a skip date: %s", lines(got))
	}
}

func TestExceptions(t *testing.T) {
	sh := prn(t)
	moveTo := mustDateTime(t, "2026-12-07 18:00")
	sh.Exceptions = []Exception{
		{Airing: mustDateTime(t, "2026-12-06 13:00"), MoveTo: &moveTo, Duration: 2 * time.Hour, Title: "Special"},
		{Airing: mustDateTime(t, "2026-12-08 10:00"), Cancel: true},
		{Airing: mustDateTime(t, "2026-12-10 19:00"), Replay: "prn-2026-11-15"},
		{Airing: mustDateTime(t, "2026-12-09 10:00"), Cancel: true},             // a Wednesday: nothing scheduled
		{Airing: mustDateTime(t, "2026-12-13 13:00"), Replay: "prn-2026-12-06"}, // a live airing
		{Airing: mustDateTime(t, "2026-12-15 10:00"), Replay: "prn-2026-12-20"}, // the future
	}
	s := station(t, sh)
	got := s.Airings(instant(t, "2026-12-05T00:00:00Z"), instant(t, "2026-12-12T00:00:00Z"))
	want := strings.Join([]string{
		"prn-2026-12-06T1300 live Mon 18:00 CST ep=prn-2026-12-07 moved",
		"prn-2026-12-10T1900 rebroadcast Thu 19:00 CST ep=prn-2026-11-15",
	}, "\n")
	if lines(got) != want {
		t.Errorf("got\n%s\nwant\n%s", lines(got), want)
	}
	if got[0].Title != "Special" || got[0].Duration() != 2*time.Hour {
		t.Errorf("moved airing: title %q, duration %s", got[0].Title, got[0].Duration())
	}
	// The moved episode is what the next rebroadcast replays.
	next := s.Next(instant(t, "2026-12-14T00:00:00Z"), 2)
	if lines(next) != "prn-2026-12-15T1000 rebroadcast Tue 10:00 CST ep=prn-2026-12-13\nprn-2026-12-17T1900 rebroadcast Thu 19:00 CST ep=prn-2026-12-13" {
		t.Errorf("after the move: %s", lines(next))
	}
	probs := s.Check(instant(t, "2026-12-01T00:00:00Z"), instant(t, "2027-01-01T00:00:00Z"))
	wantProblems := map[int]string{
		3: "no airing of prn is scheduled at 2026-12-09 10:00 America/Chicago",
		4: "replay is set on the airing at 2026-12-13 13:00, which is live; replay applies to rebroadcasts",
		5: "the airing at 2026-12-15 10:00 cannot replay prn-2026-12-20, which airs later",
	}
	if len(probs) != len(wantProblems) {
		t.Errorf("got %d problems, want %d: %+v", len(probs), len(wantProblems), probs)
	}
	for _, p := range probs {
		if p.Message != wantProblems[p.Exception] || p.Severity != Error {
			t.Errorf("exception %d: got %q (%s), want %q", p.Exception, p.Message, p.Severity, wantProblems[p.Exception])
		}
	}
}

func TestMovedAiringSeenFromFarAway(t *testing.T) {
	// A move across weeks: the airing appears at its new time in a window that
	// does not hold its scheduled time, and not at the old one.
	sh := prn(t)
	to := mustDateTime(t, "2027-01-20 12:00")
	sh.Exceptions = []Exception{{Airing: mustDateTime(t, "2026-12-06 13:00"), MoveTo: &to}}
	s := station(t, sh)
	if got := s.Airings(instant(t, "2027-01-20T00:00:00Z"), instant(t, "2027-01-21T00:00:00Z")); lines(got) != "prn-2026-12-06T1300 live Wed 12:00 CST ep=prn-2027-01-20 moved" {
		t.Errorf("at the new time: %s", lines(got))
	}
	for _, a := range s.Airings(instant(t, "2026-12-06T00:00:00Z"), instant(t, "2026-12-07T00:00:00Z")) {
		t.Errorf("still at the old time: %s", line(a))
	}
}

func TestSecondLiveAiringOfADay(t *testing.T) {
	sh := &Show{ID: "news", Title: "News", Location: time.UTC, Slots: []Slot{
		{Kind: Live, Rule: mustCron(t, "0 8,18 * * *"), Duration: 30 * time.Minute},
	}}
	got := station(t, sh).Airings(instant(t, "2026-11-27T12:00:00Z"), instant(t, "2026-11-28T12:00:00Z"))
	want := "news-2026-11-27T1800 live Fri 18:00 UTC ep=news-2026-11-27-2\nnews-2026-11-28T0800 live Sat 08:00 UTC ep=news-2026-11-28"
	if lines(got) != want {
		t.Errorf("got\n%s\nwant\n%s", lines(got), want)
	}
}

func TestRebroadcastOfALongEndedSeason(t *testing.T) {
	sh := prn(t)
	sh.Slots[0].Until = MustDate("2025-06-29") // the live season ended long ago
	got := station(t, sh).Next(instant(t, "2026-11-27T12:00:00Z"), 1)
	if len(got) != 1 || got[0].Episode != "prn-2025-06-29" {
		t.Errorf("got %s, want a rebroadcast of prn-2025-06-29", lines(got))
	}
}

func TestOnAir(t *testing.T) {
	s := station(t, prn(t))
	tests := []struct{ at, want string }{
		{"2026-11-29T19:00:00Z", "prn-2026-11-29T1300"},
		{"2026-11-29T19:59:59Z", "prn-2026-11-29T1300"},
		{"2026-11-29T20:00:00Z", ""},
		{"2026-11-29T18:59:59Z", ""},
	}
	for _, tc := range tests {
		var ids []string
		for _, a := range s.OnAir(instant(t, tc.at)) {
			ids = append(ids, a.ID)
		}
		if got := strings.Join(ids, " "); got != tc.want {
			t.Errorf("OnAir(%s) = %q, want %q", tc.at, got, tc.want)
		}
	}
}

func TestOverlaps(t *testing.T) {
	jazz := &Show{ID: "jazz", Title: "Jazz", Location: mustLoc(t, "America/Chicago"), Slots: []Slot{
		{Kind: Live, Rule: mustCron(t, "30 13 * * SUN"), Duration: time.Hour},
	}}
	s := station(t, prn(t), jazz)
	probs := s.Check(instant(t, "2026-11-27T00:00:00Z"), instant(t, "2026-12-31T00:00:00Z"))
	if len(probs) != 1 {
		t.Fatalf("problems = %+v, want one overlap", probs)
	}
	want := "prn live (slot 0) Sun 2026-11-29 13:00 CST-14:00 CST overlaps jazz live (slot 0) Sun 2026-11-29 13:30 CST-14:30 CST (and 4 more times through 2026-12-27)"
	if probs[0].Message != want || probs[0].Show != "jazz" {
		t.Errorf("got  %q\nwant %q", probs[0].Message, want)
	}
	jazz.AllowOverlap = true
	if probs := station(t, prn(t), jazz).Check(instant(t, "2026-11-27T00:00:00Z"), instant(t, "2026-12-31T00:00:00Z")); len(probs) != 0 {
		t.Errorf("allowed overlap still reported: %+v", probs)
	}
	// Back to back is not an overlap.
	jazz.AllowOverlap = false
	jazz.Slots[0].Rule = mustCron(t, "0 14 * * SUN")
	if probs := station(t, prn(t), jazz).Check(instant(t, "2026-11-27T00:00:00Z"), instant(t, "2026-12-31T00:00:00Z")); len(probs) != 0 {
		t.Errorf("back-to-back airings reported: %+v", probs)
	}
}

func TestRebroadcastWithNothingToReplay(t *testing.T) {
	sh := prn(t)
	sh.Slots[0].From = MustDate("2027-01-03")
	probs := station(t, sh).Check(instant(t, "2026-11-27T00:00:00Z"), instant(t, "2026-12-31T00:00:00Z"))
	if len(probs) != 2 || probs[0].Severity != Warning || !strings.Contains(probs[0].Message, "no earlier live episode") {
		t.Errorf("problems = %+v, want a warning for each rebroadcast slot", probs)
	}
}

// TestReplayOfNestedLiveAirings: a rebroadcast replays the live episode
// that ended last, not the one that started last.
func TestReplayOfNestedLiveAirings(t *testing.T) {
	utc := time.UTC
	at := func(s string) Rule { return Once(mustDateTime(t, s)) }
	tests := []struct {
		name  string
		slots []Slot
		want  string
	}{
		{"nested", []Slot{
			{Kind: Live, Rule: at("2027-01-04 10:00"), Duration: 2 * time.Hour},
			{Kind: Live, Rule: at("2027-01-04 10:30"), Duration: 30 * time.Minute},
			{Kind: Rebroadcast, Rule: at("2027-01-04 13:00"), Duration: time.Hour},
		}, "a-2027-01-04"},
		{"nested, the rebroadcast months later", []Slot{
			{Kind: Live, Rule: at("2027-01-04 10:00"), Duration: 2 * time.Hour},
			{Kind: Live, Rule: at("2027-01-04 10:30"), Duration: 30 * time.Minute},
			{Kind: Rebroadcast, Rule: at("2027-06-04 13:00"), Duration: time.Hour},
		}, "a-2027-01-04"},
		{"the inner one ended, the outer not yet", []Slot{
			{Kind: Live, Rule: at("2027-01-04 10:00"), Duration: 2 * time.Hour},
			{Kind: Live, Rule: at("2027-01-04 10:30"), Duration: 30 * time.Minute},
			{Kind: Rebroadcast, Rule: at("2027-01-04 11:30"), Duration: time.Hour},
		}, "a-2027-01-04-2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := station(t, &Show{ID: "a", Title: "A", Location: utc, AllowOverlap: true, Slots: tc.slots})
			as := s.Next(instant(t, "2027-01-01T00:00:00Z"), 3)
			if len(as) != 3 || as[2].Kind != Rebroadcast || as[2].Episode != tc.want {
				t.Errorf("got\n%s\nwant the rebroadcast to replay %s", lines(as), tc.want)
			}
		})
	}
}

// TestMoveOntoAnotherAiringOfTheSlot: an airing moved to the time of
// another airing of its slot airs beside it; neither is lost.
func TestMoveOntoAnotherAiringOfTheSlot(t *testing.T) {
	moveTo := mustDateTime(t, "2027-01-02 10:00")
	s := station(t, &Show{ID: "d", Title: "D", Location: time.UTC,
		Slots:      []Slot{{Kind: Live, Rule: mustCron(t, "0 10 * * *"), Duration: 5 * time.Minute}},
		Exceptions: []Exception{{Airing: mustDateTime(t, "2027-01-01 10:00"), MoveTo: &moveTo}},
	})
	got := lines(s.Airings(instant(t, "2027-01-01T00:00:00Z"), instant(t, "2027-01-03T00:00:00Z")))
	want := "d-2027-01-01T1000 live Sat 10:00 UTC ep=d-2027-01-02 moved\nd-2027-01-02T1000 live Sat 10:00 UTC ep=d-2027-01-02-2"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestReplayOfAMovedRebroadcast: a rebroadcast moved to after the episode
// it names may replay it; one that would still air before it is refused
// whole, its move included.
func TestReplayOfAMovedRebroadcast(t *testing.T) {
	later := mustDateTime(t, "2026-12-23 10:00")
	early := mustDateTime(t, "2026-12-16 10:00")
	sh := prn(t)
	sh.Exceptions = []Exception{
		{Airing: mustDateTime(t, "2026-12-15 10:00"), MoveTo: &later, Replay: "prn-2026-12-20"},
		{Airing: mustDateTime(t, "2026-12-17 19:00"), MoveTo: &early, Replay: "prn-2026-12-20"},
	}
	s := station(t, sh)
	got := lines(s.Airings(instant(t, "2026-12-14T00:00:00Z"), instant(t, "2026-12-24T00:00:00Z")))
	want := strings.Join([]string{
		"prn-2026-12-17T1900 rebroadcast Thu 19:00 CST ep=prn-2026-12-13", // the refused exception: not moved
		"prn-2026-12-20T1300 live Sun 13:00 CST ep=prn-2026-12-20",
		"prn-2026-12-22T1000 rebroadcast Tue 10:00 CST ep=prn-2026-12-20",
		"prn-2026-12-15T1000 rebroadcast Wed 10:00 CST ep=prn-2026-12-20 moved",
	}, "\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	probs := s.Check(instant(t, "2026-12-01T00:00:00Z"), instant(t, "2027-01-01T00:00:00Z"))
	if len(probs) != 1 || probs[0].Exception != 1 || probs[0].Message != "the airing at 2026-12-17 19:00, moved to 2026-12-16 10:00, cannot replay prn-2026-12-20, which airs later" {
		t.Errorf("problems: %+v", probs)
	}
}

// TestCheckCost: checking a year of a busy station holds about a week of
// it at a time, whatever the year holds: what it allocates in all is a
// small fraction of what listing the year would take.
func TestCheckCost(t *testing.T) {
	var shows []*Show
	for i := 0; i < 20; i++ {
		shows = append(shows, &Show{ID: fmt.Sprintf("s%d", i), Title: "S", Location: mustLoc(t, "America/Chicago"), AllowOverlap: i > 0, Slots: []Slot{
			{Kind: Live, Rule: mustCron(t, fmt.Sprintf("%d * * * *", i%15)), Duration: 10 * time.Minute},
			{Kind: Rebroadcast, Rule: mustCron(t, fmt.Sprintf("%d,%d,%d * * * *", 15+i%15, 30+i%15, 45+i%15)), Duration: 10 * time.Minute},
		}})
	}
	s := station(t, shows...)
	from := instant(t, "2026-11-27T12:00:00Z")
	to := from.Add(120 * 24 * time.Hour)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	probs, n := s.CheckWindow(from, to)
	runtime.ReadMemStats(&after)
	if n != 20*96*120 || len(probs) != 0 {
		t.Fatalf("%d airings, %d problems", n, len(probs))
	}
	// Checking week by week allocates about 11 MB for these 230,400
	// airings, whatever the window: it holds a week at a time.
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("checking %d airings allocated %.1f MB", n, float64(alloc)/(1<<20))
	if alloc > 24<<20 {
		t.Errorf("checking %d airings allocated %d MB", n, alloc>>20)
	}
}

// TestReplayOfAnotherShow: a "best of" show's rebroadcasts replay the
// latest episode of the show they name.
func TestReplayOfAnotherShow(t *testing.T) {
	best := &Show{ID: "best", Title: "Best of PRN", Location: mustLoc(t, "America/Chicago"),
		Slots: []Slot{{Kind: Rebroadcast, Of: "prn", Rule: mustCron(t, "0 8 * * SAT"), Duration: time.Hour}}}
	s := station(t, prn(t), best)
	got := lines(s.Next(instant(t, "2026-12-01T00:00:00Z"), 2, "best"))
	want := "best-2026-12-05T0800 rebroadcast Sat 08:00 CST ep=prn-2026-11-29\nbest-2026-12-12T0800 rebroadcast Sat 08:00 CST ep=prn-2026-12-06"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestOverlapOfAMovedAiring: an airing an exception moved onto another is
// told as moved (from where, by which exception), at the exception.
func TestOverlapOfAMovedAiring(t *testing.T) {
	jazz := &Show{ID: "jazz", Title: "Jazz", Location: mustLoc(t, "America/Chicago"), Slots: []Slot{
		{Kind: Live, Rule: mustCron(t, "0 20 * * SAT"), Duration: time.Hour},
	}}
	news := prn(t)
	to := mustDateTime(t, "2026-12-05 20:30")
	news.Exceptions = []Exception{{Airing: mustDateTime(t, "2026-12-06 13:00"), MoveTo: &to}}
	probs := station(t, news, jazz).Check(instant(t, "2026-11-27T00:00:00Z"), instant(t, "2026-12-31T00:00:00Z"))
	if len(probs) != 1 {
		t.Fatalf("problems = %+v, want one overlap", probs)
	}
	want := "jazz live (slot 0) Sat 2026-12-05 20:00 CST-21:00 CST overlaps prn live moved by exceptions[0] from Sun 2026-12-06 13:00 to Sat 2026-12-05 20:30 CST-21:30 CST"
	if p := probs[0]; p.Message != want || p.Show != "prn" || p.Exception != 0 || p.Slot != -1 {
		t.Errorf("got  %+v\nwant %q at prn's exceptions[0]", p, want)
	}
}
