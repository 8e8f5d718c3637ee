package scheduler

import (
	"testing"
	"time"
	_ "time/tzdata"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustDateTime(t testing.TB, s string) DateTime {
	t.Helper()
	dt, err := ParseDateTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return dt
}

// Expected instants were computed with Python's zoneinfo (fold=0), which
// applies the same RFC 5545 rule.
var dstCases = []struct {
	zone, wall, want, what string
}{
	{"America/Chicago", "2027-03-14 02:30", "2027-03-14T08:30:00Z", "gap"},
	{"America/Chicago", "2027-11-07 01:30", "2027-11-07T06:30:00Z", "overlap"},
	{"America/Chicago", "2027-11-07 13:00", "2027-11-07T19:00:00Z", "after overlap"},
	{"Europe/London", "2027-03-28 01:30", "2027-03-28T01:30:00Z", "gap"},
	{"Europe/London", "2027-10-31 01:30", "2027-10-31T00:30:00Z", "overlap"},
	{"Australia/Sydney", "2027-04-04 02:30", "2027-04-03T15:30:00Z", "overlap"},
	{"Australia/Sydney", "2027-10-03 02:30", "2027-10-02T16:30:00Z", "gap"},
	{"Australia/Lord_Howe", "2027-04-04 01:45", "2027-04-03T14:45:00Z", "overlap"},
	{"Australia/Lord_Howe", "2027-10-03 02:15", "2027-10-02T15:45:00Z", "gap"},
	{"Australia/Lord_Howe", "2026-10-04 02:15", "2026-10-03T15:45:00Z", "gap"},
	{"Asia/Kolkata", "2027-03-14 02:30", "2027-03-13T21:00:00Z", "no DST"},
	{"America/Santiago", "2027-09-05 00:30", "2027-09-05T04:30:00Z", "gap"},
	{"America/Santiago", "2027-04-03 23:30", "2027-04-04T02:30:00Z", "overlap"},
	{"America/Phoenix", "2027-03-14 02:30", "2027-03-14T09:30:00Z", "no DST"},
}

func TestResolve(t *testing.T) {
	for _, tc := range dstCases {
		t.Run(tc.zone+"/"+tc.wall, func(t *testing.T) {
			got := Resolve(mustDateTime(t, tc.wall), mustLoc(t, tc.zone))
			if got.UTC().Format(time.RFC3339) != tc.want {
				t.Errorf("%s %s (%s) = %s, want %s", tc.wall, tc.zone, tc.what, got.UTC().Format(time.RFC3339), tc.want)
			}
			if got.Location().String() != tc.zone {
				t.Errorf("location = %s, want %s", got.Location(), tc.zone)
			}
		})
	}
}

// bruteResolve is an independent oracle: scan every minute from a day before
// the reading and take the first instant whose wall clock shows it; if none
// does (a gap), read it in the offset in force just before the gap.
func bruteResolve(w time.Time, loc *time.Location) time.Time {
	for t := w.Add(-26 * time.Hour); t.Before(w.Add(26 * time.Hour)); t = t.Add(time.Minute) {
		if wallTime(t.In(loc)).Equal(w) {
			return t
		}
	}
	// Gap: the last instant before the gap is the last one whose reading is
	// earlier than w.
	var before time.Time
	for t := w.Add(-26 * time.Hour); t.Before(w.Add(26 * time.Hour)); t = t.Add(time.Minute) {
		if wallTime(t.In(loc)).Before(w) {
			before = t
		} else {
			break
		}
	}
	_, off := before.In(loc).Zone()
	return w.Add(-time.Duration(off) * time.Second)
}

func TestResolveAgreesWithBruteForce(t *testing.T) {
	zones := []string{"America/Chicago", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "Pacific/Chatham", "Pacific/Apia"}
	days := []string{"2027-03-14", "2027-11-07", "2027-03-28", "2027-10-31", "2027-04-04", "2027-10-03", "2027-04-03", "2027-09-05", "2027-09-26", "2011-12-30",
		// Past the zones' listed transitions, where Go extends them by rule
		// (and where ZoneBounds misreports the end of a leap year).
		"2184-12-31", "2185-01-01", "2185-03-13", "2185-11-06", "2400-03-12"}
	for _, z := range zones {
		t.Run(z, func(t *testing.T) {
			t.Parallel()
			loc := mustLoc(t, z)
			for _, d := range days {
				start := MustDate(d).wall()
				for m := 0; m < 24*60; m += 15 {
					w := start.Add(time.Duration(m) * time.Minute)
					got, want := resolveWall(w, loc), bruteResolve(w, loc)
					if !got.Equal(want) {
						t.Errorf("%s %s: got %s, brute force %s", z, w.Format("2006-01-02 15:04"), got.UTC(), want.UTC())
					}
				}
			}
		})
	}
}

// FuzzResolve compares the engine's reading of any wall time in any of a
// set of zones with the brute-force oracle.
func FuzzResolve(f *testing.F) {
	zones := []string{"America/Chicago", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "Pacific/Chatham", "Pacific/Apia", "Europe/Dublin", "Africa/Casablanca"}
	locs := make([]*time.Location, len(zones))
	for i, z := range zones {
		locs[i] = mustLoc(f, z)
	}
	f.Add(uint8(0), int64(1805009400)) // 2027-03-14 02:30 (Chicago's gap)
	f.Add(uint8(3), int64(1822875300))
	f.Fuzz(func(t *testing.T, zone uint8, secs int64) {
		loc := locs[int(zone)%len(locs)]
		// Wall times within 1900..2200, to the minute.
		secs = secs % (300 * 366 * 86400)
		if secs < 0 {
			secs = -secs
		}
		w := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(secs/60*60) * time.Second)
		want := bruteResolve(w, loc)
		if got := resolveWall(w, loc); !got.Equal(want) {
			t.Fatalf("%s %s: got %s, brute force %s", loc, w.Format("2006-01-02 15:04"), got.UTC(), want.UTC())
		}
		// The cache, primed by a reading a few days before, agrees.
		zc := zoneCache{loc: loc}
		zc.resolve(w.Add(-time.Duration(secs%(5*86400)) * time.Second))
		if got := zc.resolve(w); !got.Equal(want) {
			t.Fatalf("%s %s: cached %s, brute force %s", loc, w.Format("2006-01-02 15:04"), got.UTC(), want.UTC())
		}
	})
}

// TestZoneCacheAgrees: resolving wall times in order through the cache, as
// an enumeration does, gives what resolving each afresh gives, across the
// changes of offset of a year, and past the zones' listed changes.
func TestZoneCacheAgrees(t *testing.T) {
	for _, z := range []string{"America/Chicago", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Pacific/Apia", "Asia/Kolkata", "UTC"} {
		t.Run(z, func(t *testing.T) {
			t.Parallel()
			loc := mustLoc(t, z)
			for _, year := range []int{2011, 2027, 2184} {
				zc := zoneCache{loc: loc}
				w := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
				for end := w.AddDate(1, 1, 0); w.Before(end); w = w.Add(15 * time.Minute) {
					if got, want := zc.resolve(w), resolveWall(w, loc); !got.Equal(want) || got.Location() != want.Location() {
						t.Fatalf("%s: cached %s, afresh %s", w.Format("2006-01-02 15:04"), got, want)
					}
				}
			}
		})
	}
}
