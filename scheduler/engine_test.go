package scheduler

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func mustCron(t testing.TB, expr string) Rule {
	t.Helper()
	r, _, err := ParseCron(expr)
	if err != nil {
		t.Fatalf("ParseCron(%q): %v", expr, err)
	}
	return r
}

func instant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func oneShow(loc *time.Location, slots ...Slot) *Schedule {
	return New(&Station{Shows: []*Show{{ID: "s", Title: "S", Location: loc, Slots: slots}}})
}

// starts formats airings' starts in UTC, for compact comparisons.
func starts(as []Airing) string {
	var s []string
	for _, a := range as {
		layout := "2006-01-02T15:04Z"
		if a.Start.Second() != 0 {
			layout = "2006-01-02T15:04:05Z"
		}
		s = append(s, a.Start.UTC().Format(layout))
	}
	return strings.Join(s, " ")
}

// TestDSTMatrix runs every kind of recurrence over every gap and overlap case:
// each must air exactly once, at the RFC 5545 instant.
func TestDSTMatrix(t *testing.T) {
	for _, tc := range dstCases {
		dt := mustDateTime(t, tc.wall)
		loc := mustLoc(t, tc.zone)
		nth := NthWeekday{(dt.Day-1)/7 + 1, dt.Weekday()}
		rules := map[string]Rule{
			"cron":         mustCron(t, fmt.Sprintf("%d %d %d %d *", dt.Minute, dt.Hour, dt.Day, dt.Month)),
			"cron-weekday": mustCron(t, fmt.Sprintf("%d %d * * %d", dt.Minute, dt.Hour, dt.Weekday())),
			"once":         Once(dt),
		}
		rules["weekly"], _ = Weekly([]time.Weekday{dt.Weekday()}, dt.Clock, 2, dt.Date)
		rules["monthly"], _ = Monthly([]NthWeekday{nth}, dt.Clock)
		for kind, rule := range rules {
			t.Run(tc.zone+"/"+tc.what+"/"+kind, func(t *testing.T) {
				s := oneShow(loc, Slot{Kind: Live, Rule: rule, Duration: time.Hour})
				day := Resolve(DateTime{Date: dt.Date}, loc)
				got := s.Airings(day.Add(-2*time.Hour), day.Add(26*time.Hour))
				if len(got) != 1 {
					t.Fatalf("got %d airings (%s), want 1", len(got), starts(got))
				}
				if g := got[0].Start.UTC().Format(time.RFC3339); g != tc.want {
					t.Errorf("start %s, want %s", g, tc.want)
				}
				if g := got[0].End.Sub(got[0].Start); g != time.Hour {
					t.Errorf("duration %s, want 1h", g)
				}
			})
		}
	}
}

// An hourly slot airs once per wall-clock hour: robfig/cron's Next would fire
// twice in the fall-back hour and skip the spring-forward one.
func TestHourlyAcrossDST(t *testing.T) {
	chicago := mustLoc(t, "America/Chicago")
	s := oneShow(chicago, Slot{Kind: Live, Rule: mustCron(t, "30 * * * *"), Duration: 10 * time.Minute})
	tests := []struct {
		day  string
		want int
	}{
		{"2027-03-14", 23}, // 02:30 reads as 03:30 CDT, the same instant as 03:30: counted once
		{"2027-11-07", 24}, // 01:30 once
		{"2027-11-08", 24},
	}
	for _, tc := range tests {
		t.Run(tc.day, func(t *testing.T) {
			d := MustDate(tc.day)
			from, to := Resolve(DateTime{Date: d}, chicago), Resolve(DateTime{Date: d.AddDays(1)}, chicago)
			got := s.Airings(from, to)
			if len(got) != tc.want {
				t.Errorf("%d airings, want %d: %s", len(got), tc.want, starts(got))
			}
			seen := map[string]bool{}
			for _, a := range got {
				if seen[a.ID] {
					t.Errorf("duplicate airing id %s", a.ID)
				}
				seen[a.ID] = true
			}
		})
	}
}

func TestRecurrences(t *testing.T) {
	utc := time.UTC
	weekly2, _ := Weekly([]time.Weekday{time.Saturday}, Clock{10, 0, 0}, 2, MustDate("2026-11-07"))
	weekend, _ := Weekly([]time.Weekday{time.Saturday, time.Sunday}, Clock{9, 30, 0}, 1, Date{})
	lastFri, _ := Monthly([]NthWeekday{{-1, time.Friday}}, Clock{20, 0, 0})
	firstThird, _ := Monthly([]NthWeekday{{1, time.Sunday}, {3, time.Sunday}}, Clock{8, 0, 0})
	fifthMon, _ := Monthly([]NthWeekday{{5, time.Monday}}, Clock{8, 0, 0})
	tests := []struct {
		name     string
		slot     Slot
		from, to string
		want     string
	}{
		{"every other Saturday from anchor", Slot{Rule: weekly2}, "2026-10-01T00:00:00Z", "2026-12-31T00:00:00Z",
			"2026-10-10T10:00Z 2026-10-24T10:00Z 2026-11-07T10:00Z 2026-11-21T10:00Z 2026-12-05T10:00Z 2026-12-19T10:00Z"},
		{"weekend", Slot{Rule: weekend}, "2026-11-27T00:00:00Z", "2026-12-03T00:00:00Z",
			"2026-11-28T09:30Z 2026-11-29T09:30Z"},
		{"last Friday", Slot{Rule: lastFri}, "2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z",
			"2026-01-30T20:00Z 2026-02-27T20:00Z 2026-03-27T20:00Z 2026-04-24T20:00Z"},
		{"first and third Sunday", Slot{Rule: firstThird}, "2026-11-01T00:00:00Z", "2027-01-01T00:00:00Z",
			"2026-11-01T08:00Z 2026-11-15T08:00Z 2026-12-06T08:00Z 2026-12-20T08:00Z"},
		{"fifth Monday only where there is one", Slot{Rule: fifthMon}, "2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z",
			"2026-03-30T08:00Z 2026-06-29T08:00Z"},
		{"season bounds, inclusive", Slot{Rule: mustCron(t, "0 12 * * *"), From: MustDate("2026-11-28"), Until: MustDate("2026-11-30")},
			"2026-11-01T00:00:00Z", "2026-12-31T00:00:00Z", "2026-11-28T12:00Z 2026-11-29T12:00Z 2026-11-30T12:00Z"},
		{"one-off special", Slot{Rule: Once(mustDateTime(t, "2026-12-31 22:00"))}, "2026-01-01T00:00:00Z", "2027-12-31T00:00:00Z",
			"2026-12-31T22:00Z"},
		{"cron with seconds", Slot{Rule: mustCron(t, "15 0 13 * * SUN")}, "2026-11-27T00:00:00Z", "2026-12-07T00:00:00Z",
			"2026-11-29T13:00:15Z 2026-12-06T13:00:15Z"},
		{"cron day-of-month OR day-of-week", Slot{Rule: mustCron(t, "0 13 1-2 * SUN")}, "2026-11-27T00:00:00Z", "2026-12-10T00:00:00Z",
			"2026-11-29T13:00Z 2026-12-01T13:00Z 2026-12-02T13:00Z 2026-12-06T13:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.slot.Kind, tc.slot.Duration = Live, time.Hour
			got := starts(oneShow(utc, tc.slot).Airings(instant(t, tc.from), instant(t, tc.to)))
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
