package scheduler

import (
	"testing"
	"time"
)

func TestParseEpisodeID(t *testing.T) {
	tests := []struct {
		id   string
		show string
		date string
		n    int
		ok   bool
	}{
		{"prn-2026-11-29", "prn", "2026-11-29", 1, true},
		{"prn-2026-11-29-2", "prn", "2026-11-29", 2, true},
		{"late-jazz-2026-11-29-12", "late-jazz", "2026-11-29", 12, true},
		{"2026-2026-11-29", "2026", "2026-11-29", 1, true},
		{"a-2026-11-29-2026-11-30", "a-2026-11-29", "2026-11-30", 1, true},
		{"prn-2026-11-29-1", "", "", 0, false},  // the first has no number
		{"prn-2026-11-29-02", "", "", 0, false}, // no leading zero
		{"prn-2026-11-31", "", "", 0, false},    // no such date
		{"prn-2026-11-29-", "", "", 0, false},
		{"-2026-11-29", "", "", 0, false}, // no show
		{"2026-11-29", "", "", 0, false},
		{"prn", "", "", 0, false},
		{"", "", "", 0, false},
	}
	for _, tc := range tests {
		show, d, n, err := ParseEpisodeID(tc.id)
		if (err == nil) != tc.ok || tc.ok && (show != tc.show || d.String() != tc.date || n != tc.n) {
			t.Errorf("ParseEpisodeID(%q) = %q %s %d %v, want %q %s %d ok=%v", tc.id, show, d, n, err, tc.show, tc.date, tc.n, tc.ok)
		}
	}
}

// FuzzParseEpisodeID: what parses is what EpisodeID makes of its parts.
func FuzzParseEpisodeID(f *testing.F) {
	for _, s := range []string{"prn-2026-11-29", "prn-2026-11-29-2", "a-b-2027-02-28-10", "x-2026-02-29", "9-9999-12-31-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		show, d, n, err := ParseEpisodeID(id)
		if err != nil {
			return
		}
		if back := EpisodeID(show, d, n); back != id {
			t.Fatalf("ParseEpisodeID(%q) = %q %s %d, which EpisodeID makes %q", id, show, d, n, back)
		}
	})
}

// TestAiringIDForms: an airing's id is decided by its slot, whatever the
// window asked about holds.
func TestAiringIDForms(t *testing.T) {
	chicago := mustLoc(t, "America/Chicago")
	berlinRule, berlin, err := ParseCron("CRON_TZ=Europe/Berlin 0 13 * * SUN")
	if err != nil {
		t.Fatal(err)
	}
	show := &Show{ID: "s", Title: "S", Location: chicago, AllowOverlap: true, Slots: []Slot{
		{Kind: Live, Rule: mustCron(t, "0 13 * * SUN"), Duration: time.Hour},
		{Kind: Live, Rule: berlinRule, Location: berlin, Duration: time.Hour}, // the same local time, in Berlin
		{Kind: Live, Rule: mustCron(t, "0 13 * * MON"), Duration: time.Hour},  // 13:00, but never on a Sunday
		{Kind: Live, Rule: mustCron(t, "0,30 0 18 * * WED"), Duration: time.Minute},
		{Kind: Rebroadcast, Rule: mustCron(t, "0 13 * * SUN"), Duration: time.Hour, From: MustDate("2027-01-01")},
	}}
	s := station(t, show)
	sunday := instant(t, "2026-11-29T00:00:00-06:00")
	week := s.Airings(sunday, sunday.Add(7*24*time.Hour))
	want := map[string]bool{
		"s-2026-11-29T1300":    true, // Chicago 13:00
		"s-2026-11-29T1300-s1": true, // Berlin 13:00, which is 06:00 in Chicago
		"s-2026-11-30T1300":    true,
		"s-2026-12-02T180000":  true,
		"s-2026-12-02T180030":  true,
	}
	got := map[string]bool{}
	for _, a := range week {
		if got[a.ID] {
			t.Errorf("two airings are %s", a.ID)
		}
		got[a.ID] = true
	}
	for id := range want {
		if !got[id] {
			t.Errorf("no airing %s in %s", id, lines(week))
		}
	}
	// A window that holds only the Berlin airing names it the same.
	for _, from := range []time.Time{sunday, instant(t, "2026-11-29T05:30:00-06:00")} {
		as := s.Airings(from, instant(t, "2026-11-29T07:00:00-06:00"))
		if len(as) != 1 || as[0].ID != "s-2026-11-29T1300-s1" {
			t.Errorf("from %s: %s", from, lines(as))
		}
	}
	// The rebroadcast's season begins in 2027: it takes the suffix as
	// soon as it can meet slot 0.
	as := s.Airings(instant(t, "2027-01-03T12:00:00-06:00"), instant(t, "2027-01-03T14:00:00-06:00"))
	if lines(as) != "s-2027-01-03T1300 live Sun 13:00 CST ep=s-2027-01-03-2\ns-2027-01-03T1300-s4 rebroadcast Sun 13:00 CST ep=s-2027-01-03" {
		t.Errorf("got\n%s", lines(as))
	}
}
