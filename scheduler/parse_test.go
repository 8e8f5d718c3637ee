package scheduler

import (
	"strings"
	"testing"
	"time"
)

func TestParseCron(t *testing.T) {
	tests := []struct {
		expr, zone, rule, err string
	}{
		{expr: "0 13 * * SUN", rule: "0 13 * * SUN"},
		{expr: "30 0 13 * * SUN", rule: "30 0 13 * * SUN"},
		{expr: "@weekly", rule: "@weekly"},
		{expr: "CRON_TZ=Europe/Berlin 0 20 * * *", zone: "Europe/Berlin", rule: "CRON_TZ=Europe/Berlin 0 20 * * *"},
		{expr: "TZ=Asia/Kolkata 0 6 * * *", zone: "Asia/Kolkata", rule: "TZ=Asia/Kolkata 0 6 * * *"},
		{expr: "", err: "empty cron expression"},
		{expr: "@every 168h", err: "@every has no fixed air time"},
		{expr: "TZ=0", err: "malformed expression: a TZ= or CRON_TZ= prefix"},
		{expr: "CRON_TZ=America/Chicago", err: "malformed expression: a TZ= or CRON_TZ= prefix"},
		{expr: "CRON_TZ=Mars/Base 0 13 * * *", err: "unknown time zone"},
		{expr: "0 13 * *", err: "expected 5 to 6 fields, found 4"},
		{expr: "0 0 31 2 *", err: "matches no day of the year"},
		{expr: "0 13 * * 7", err: "Sunday is 0"},
		{expr: "0 13 * * FRI#1", err: "cron has no L, W or #"},
		{expr: "* * * * *", err: "fires 1440 times a day"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			r, loc, err := ParseCron(tc.expr)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.String() != tc.rule {
				t.Errorf("rule = %q, want %q", r, tc.rule)
			}
			if got := ""; loc != nil {
				got = loc.String()
				if got != tc.zone {
					t.Errorf("zone = %q, want %q", got, tc.zone)
				}
			} else if tc.zone != "" {
				t.Errorf("zone = nil, want %q", tc.zone)
			}
		})
	}
}

func TestParseSlotSyntax(t *testing.T) {
	good := map[string]func(string) (string, error){
		"first SUN":        func(s string) (string, error) { n, err := ParseNthWeekday(s); return n.String(), err },
		"Last friday":      func(s string) (string, error) { n, err := ParseNthWeekday(s); return n.String(), err },
		"3rd wed":          func(s string) (string, error) { n, err := ParseNthWeekday(s); return n.String(), err },
		"2026-12-31 22:00": func(s string) (string, error) { d, err := ParseDateTime(s); return d.String(), err },
		"2026-12-31T22:00": func(s string) (string, error) { d, err := ParseDateTime(s); return d.String(), err },
		"07:05:30":         func(s string) (string, error) { c, err := ParseClock(s); return c.String(), err },
	}
	want := map[string]string{
		"first SUN": "1st SUN", "Last friday": "last FRI", "3rd wed": "3rd WED",
		"2026-12-31 22:00": "2026-12-31 22:00", "2026-12-31T22:00": "2026-12-31 22:00", "07:05:30": "07:05:30",
	}
	for in, parse := range good {
		got, err := parse(in)
		if err != nil || got != want[in] {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want[in])
		}
	}
	for _, bad := range []string{"sixth SUN", "first", "last FUNDAY", "2026-12-31", "2026-12-31 24:00", "2026-02-30 10:00", "7:05", "13h", "2026-1-5"} {
		_, e1 := ParseNthWeekday(bad)
		_, e2 := ParseDateTime(bad)
		_, e3 := ParseClock(bad)
		_, e4 := ParseDate(bad)
		if e1 == nil && e2 == nil && e3 == nil && e4 == nil {
			t.Errorf("%q accepted by every parser", bad)
		}
	}
}

// FuzzParseCron: robfig's parser panics on some inputs; ParseCron must not,
// and what it accepts must enumerate in order, within the daily bound.
func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"0 13 * * SUN", "30 0 13 * * SUN", "@weekly", "TZ=0", "CRON_TZ=America/Chicago", "CRON_TZ=Europe/Berlin 0 20 * * 1-5", "0 */2 1,15 * *", "0 13 ? * MON-FRI", "0 0 31 2 *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		r, _, err := ParseCron(expr)
		if err != nil {
			return
		}
		var prev time.Time
		n := 0
		r.each(MustDate("2027-03-13"), MustDate("2027-03-15"), func(w time.Time) bool {
			if !prev.IsZero() && !w.After(prev) {
				t.Fatalf("%q: %s after %s", expr, w, prev)
			}
			prev = w
			n++
			return true
		})
		if n > 3*MaxAiringsPerDay {
			t.Fatalf("%q: %d airings in 3 days", expr, n)
		}
	})
}

// FuzzParseSlotSyntax: the parsers of dates, times and ordinals never panic,
// and what they accept prints back to something they read as the same.
func FuzzParseSlotSyntax(f *testing.F) {
	for _, s := range []string{"first SUN", "last FRI", "2026-12-31 22:00", "13:00", "2026-12-27", "SAT", "0001-01-01T00:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := ParseNthWeekday(s); err == nil {
			if m, err := ParseNthWeekday(n.String()); err != nil || m != n {
				t.Fatalf("%q -> %q -> %v, %v", s, n, m, err)
			}
		}
		if d, err := ParseDateTime(s); err == nil {
			if e, err := ParseDateTime(d.String()); err != nil || e != d {
				t.Fatalf("%q -> %q -> %v, %v", s, d, e, err)
			}
			Resolve(d, time.UTC)
		}
		if c, err := ParseClock(s); err == nil {
			if e, err := ParseClock(c.String()); err != nil || e != c {
				t.Fatalf("%q -> %q -> %v, %v", s, c, e, err)
			}
		}
		if d, err := ParseDate(s); err == nil {
			if e, err := ParseDate(d.String()); err != nil || e != d {
				t.Fatalf("%q -> %q -> %v, %v", s, d, e, err)
			}
		}
		ParseWeekday(s)
	})
}

func TestRRule(t *testing.T) {
	weekly, _ := Weekly([]time.Weekday{time.Saturday, time.Sunday}, Clock{20, 0, 0}, 2, MustDate("2026-11-28"))
	monthly, _ := Monthly([]NthWeekday{{1, time.Sunday}, {-1, time.Friday}}, Clock{18, 0, 0})
	tests := []struct {
		rule Rule
		want string
	}{
		{mustCron(t, "0 13 * * SUN"), "FREQ=WEEKLY;BYDAY=SU"},
		{mustCron(t, "0 6 * * MON-FRI"), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"},
		{mustCron(t, "0 6 * * *"), "FREQ=DAILY"},
		{mustCron(t, "0 6,18 * * *"), ""},
		{mustCron(t, "0 6 1 * *"), ""},
		{weekly, "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,SA"},
		{monthly, "FREQ=MONTHLY;BYDAY=1SU,-1FR"},
		{Once(mustDateTime(t, "2026-12-31 22:00")), ""},
	}
	for _, tc := range tests {
		got, ok := RRule(tc.rule)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("RRule(%s) = %q %v, want %q", tc.rule, got, ok, tc.want)
		}
	}
}
