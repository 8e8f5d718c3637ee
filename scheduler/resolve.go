package scheduler

import "time"

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
