package scheduler

import (
	"math"
	"time"
)

// Resolve returns the instant at which the wall-clock reading dt occurs in loc,
// following RFC 5545 §3.3.5 (the rule calendar apps apply to a DTSTART with a
// TZID):
//
//   - a reading that occurs once is that instant;
//   - a reading that occurs twice (a fall-back overlap) is its first
//     occurrence: 01:30 America/Chicago on 2027-11-07 is 06:30Z, once;
//   - a reading that never occurs (a spring-forward gap) is read with the UTC
//     offset in force before the gap: 02:30 America/Chicago on 2027-03-14 is
//     08:30Z, which the clocks show as 03:30 CDT.
//
// Go's time.Date leaves both cases unspecified and answers them differently
// in different zones, so the engine decides them here by walking the zone's
// offset periods around the reading.
func Resolve(dt DateTime, loc *time.Location) time.Time {
	return resolveWall(dt.wall(), loc)
}

// resolveWall is Resolve for a wall time (see wallTime).
//
// Every instant that can read as w lies within 14 hours of w read as UTC
// (offsets on Earth span -12h..+14h). The offsets in force a day before and
// a day after bracket them; with at most one change of offset between them,
// as in every real zone, the candidates are w read in either offset: one
// that the zone confirms is the answer, both (an overlap) give the earlier,
// neither (a gap) gives w read in the earlier offset.
//
// (time.Time.ZoneBounds is not used: for dates past a zone's last listed
// transition, Go 1.26 can return bounds that end before the instant asked
// about, at the end of a leap year.)
func resolveWall(w time.Time, loc *time.Location) time.Time {
	before := offsetAt(w.Add(-26*time.Hour), loc)
	after := offsetAt(w.Add(26*time.Hour), loc)
	tBefore := w.Add(-before)
	if before == after {
		if offsetAt(tBefore, loc) == before {
			return tBefore.In(loc)
		}
	} else {
		tAfter := w.Add(-after)
		okBefore := offsetAt(tBefore, loc) == before
		okAfter := offsetAt(tAfter, loc) == after
		switch {
		case okBefore && okAfter:
			if tAfter.Before(tBefore) {
				return tAfter.In(loc)
			}
			return tBefore.In(loc)
		case okBefore:
			return tBefore.In(loc)
		case okAfter:
			return tAfter.In(loc)
		default:
			return tBefore.In(loc) // a gap: the offset before it
		}
	}
	// More than one change within two days: no real zone does this; take
	// Go's own reading rather than guess.
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
}

func offsetAt(t time.Time, loc *time.Location) time.Duration {
	_, off := t.In(loc).Zone()
	return time.Duration(off) * time.Second
}

// zoneCache is resolveWall for one zone, remembering the stretch of time in
// which that zone kept the offset of the last reading resolved: a reading
// whose day either side lies within it is that offset's, with no look-up
// (an enumeration meets a change of offset twice a year at most).
type zoneCache struct {
	loc      *time.Location
	from, to int64 // Unix seconds: [from, to) keeps off; to == 0: for ever after
	off      time.Duration
	ok       bool
}

func (z *zoneCache) resolve(w time.Time) time.Time {
	const day = 26 * 60 * 60
	if u := w.Unix(); z.ok && u-day >= z.from && (z.to == 0 || u+day < z.to) {
		return w.Add(-z.off).In(z.loc)
	}
	t := resolveWall(w, z.loc)
	start, end := t.ZoneBounds()
	// Go can misreport the bounds past a zone's last listed change (see
	// resolveWall): they are kept only when they hold the instant.
	z.ok = (start.IsZero() || !t.Before(start)) && (end.IsZero() || t.Before(end))
	if z.ok {
		_, off := t.Zone()
		z.off = time.Duration(off) * time.Second
		z.from, z.to = math.MinInt64/2, 0
		if !start.IsZero() {
			z.from = start.Unix()
		}
		if !end.IsZero() {
			z.to = end.Unix()
		}
	}
	return t
}
