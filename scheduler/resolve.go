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
func resolveWall(w time.Time, loc *time.Location) time.Time {
	// Offsets on Earth lie within -12h..+14h; historic local mean times a little
	// beyond. Every instant that can read as w therefore lies within a day of w
	// read as UTC. Walk the zone's periods from a day before it.
	p := w.Add(-26 * time.Hour).In(loc)
	limit := w.Add(26 * time.Hour)
	havePrev := false
	var prevOff int
	for {
		_, off := p.Zone()
		start, end := p.ZoneBounds()
		t := w.Add(-time.Duration(off) * time.Second)
		if (start.IsZero() || !t.Before(start)) && (end.IsZero() || t.Before(end)) {
			// w occurs in this period. Periods are walked in order, so this is
			// the first occurrence.
			return t.In(loc)
		}
		if havePrev && !start.IsZero() && t.Before(start) {
			// w is past the previous period's end when read in its offset and
			// before this period's start when read in this one: a gap.
			return w.Add(-time.Duration(prevOff) * time.Second).In(loc)
		}
		if end.IsZero() || end.After(limit) {
			break
		}
		havePrev, prevOff = true, off
		p = end.In(loc)
	}
	// Unreachable for real zone data; fall back to Go's own reading.
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
}
