package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/scheduler"
)

func TestLayWeek(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	at := time.Date(2026, 11, 29, 13, 30, 0, 0, chicago) // a Sunday
	on := func(id string, start time.Time, d time.Duration) airing {
		return airing{ID: id, Start: start, End: start.Add(d)}
	}
	wall := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, chicago) }
	for _, tc := range []struct {
		name   string
		at     time.Time
		airing airing
		want   string // day index:top-bottom, with c (continued) and + (continues)
	}{
		{"an hour on Sunday", at, on("a", wall(2026, 11, 29, 13, 0), time.Hour), "0:780-840"},
		{"across midnight", at, on("a", wall(2026, 11, 30, 23, 0), 2*time.Hour), "1:1380-1440+ 2:c0-60"},
		{"to midnight", at, on("a", wall(2026, 11, 30, 23, 0), time.Hour), "1:1380-1440"},
		{"from yesterday", at, on("a", wall(2026, 11, 28, 23, 0), 2*time.Hour), "0:c0-60"},
		{"the day after the week", at, on("a", wall(2026, 12, 6, 9, 0), time.Hour), ""},
		{"the week's last day", at, on("a", wall(2026, 12, 5, 9, 0), time.Hour), "6:540-600"},
		// The clocks go forward at 02:00 on March 8, 2026: an hour from
		// 01:30 ends at 03:30 on the wall, where the ruler says 03:30.
		{"spring forward", time.Date(2026, 3, 8, 0, 0, 0, 0, chicago), on("a", wall(2026, 3, 8, 1, 30), time.Hour), "0:90-210"},
		// They go back at 02:00 on November 1: an hour from the first 01:30
		// ends at the second 01:30; it keeps its hour's height.
		{"fall back", time.Date(2026, 11, 1, 0, 0, 0, 0, chicago), on("a", time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC), time.Hour), "0:90-150"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := layWeek([]airing{tc.airing}, tc.at, chicago)
			if len(g.Days) != Days {
				t.Fatalf("%d days", len(g.Days))
			}
			var got []string
			for i, d := range g.Days {
				for _, p := range d.Parts {
					s := fmt.Sprintf("%d:", i)
					if p.Continued {
						s += "c"
					}
					s += fmt.Sprintf("%d-%d", p.Top, p.Bottom)
					if p.Continues {
						s += "+"
					}
					got = append(got, s)
				}
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("parts %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
}

func TestLayWeekRuler(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	at := time.Date(2026, 11, 29, 13, 30, 0, 0, chicago)
	as := []airing{
		{ID: "a", Start: time.Date(2026, 11, 29, 13, 0, 0, 0, chicago), End: time.Date(2026, 11, 29, 14, 0, 0, 0, chicago)},
		{ID: "b", Start: time.Date(2026, 12, 1, 9, 30, 0, 0, chicago), End: time.Date(2026, 12, 1, 10, 15, 0, 0, chicago)},
	}
	g := layWeek(as, at, chicago)
	if g.From != 9*60 || g.To != 14*60 || len(g.Hours) != 5 || g.Hours[0].Label != "09:00" || g.Hours[4].Label != "13:00" {
		t.Errorf("ruler %d–%d, %v", g.From, g.To, g.Hours)
	}
	if g.Days[0].Label != "Sun 29 Nov" || !g.Days[0].Today || g.Days[1].Today || g.Days[6].Date != (scheduler.Date{Year: 2026, Month: 12, Day: 5}) {
		t.Errorf("days %+v", g.Days)
	}
	if empty := layWeek(nil, at, chicago); empty.Hours != nil || empty.From != 0 || empty.To != 0 {
		t.Errorf("an empty week has a ruler: %+v", empty)
	}
}

func TestMark(t *testing.T) {
	at := time.Date(2026, 11, 29, 19, 30, 0, 0, time.UTC)
	h := func(hh int) time.Time { return time.Date(2026, 11, 29, hh, 0, 0, 0, time.UTC) }
	as := []airing{
		{ID: "ended", Start: h(17), End: h(18)},
		{ID: "ends now", Start: h(18), End: at},
		{ID: "on", Start: h(19), End: h(20)},
		{ID: "starts now", Start: at, End: h(21)},
		{ID: "next", Start: h(21), End: h(22)},
		{ID: "next too", Start: h(21), End: h(23)},
		{ID: "later", Start: h(22), End: h(23)},
	}
	now, next := mark(as, at)
	var got []string
	for _, a := range as {
		got = append(got, a.ID+"="+a.State)
	}
	want := "ended=past ends now=past on=now starts now=now next=next next too=next later="
	if strings.Join(got, " ") != want {
		t.Errorf("states %s\nwant   %s", strings.Join(got, " "), want)
	}
	if len(now) != 2 || len(next) != 2 {
		t.Errorf("%d now, %d next", len(now), len(next))
	}
}

// TestReplaysSaysWhich: a rebroadcast of a day's second live episode says
// which of the day's it replays, before it is recorded.
func TestReplaysSaysWhich(t *testing.T) {
	for ep, want := range map[string]string{
		"prn-2026-12-06":   "of the episode of Sunday, December 6",
		"prn-2026-12-06-2": "of the episode of Sunday, December 6 (second that day)",
		"prn-2026-11-29":   "of “Called Title”",
	} {
		if got := replays(ep, map[string]string{"prn-2026-11-29": "Called Title"}); got != want {
			t.Errorf("replays(%s) = %q, want %q", ep, got, want)
		}
	}
}
