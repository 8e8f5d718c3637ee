package scheduler

import (
	"errors"
	"time"
)

// When is a time as a person writes one: an instant (RFC 3339), or a wall
// time (a date and time, or a bare date for its midnight) still to be read
// in a zone.
type When struct {
	Instant time.Time
	Wall    *DateTime
}

// ErrWhen is a time ParseWhen cannot read.
var ErrWhen = errors.New("want an RFC 3339 time (2026-11-29T13:00:00-06:00), or a date and time in the station's zone (2026-11-29 13:00, 2026-11-29T13:00, 2026-11-29)")

// ParseWhen reads a time as --at and the schedule's queries take it. An
// RFC 3339 time whose offset's '+' came as a space (a '+' left unencoded
// in a URL's query reads as one) is read as if it had its '+'.
func ParseWhen(s string) (When, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return When{Instant: t}, nil
	}
	if i := len(s) - len("00:00") - 1; i > len("2006-01-02T") && s[i] == ' ' && s[len(s)-3] == ':' {
		if t, err := time.Parse(time.RFC3339, s[:i]+"+"+s[i+1:]); err == nil {
			return When{Instant: t}, nil
		}
	}
	if dt, err := ParseDateTime(s); err == nil {
		return When{Wall: &dt}, nil
	}
	if d, err := ParseDate(s); err == nil {
		return When{Wall: &DateTime{Date: d}}, nil
	}
	return When{}, ErrWhen
}

// In is the instant, reading a wall time in loc as slots are read
// (Resolve): in a spring-forward gap in the offset before it, in a
// fall-back overlap at its first occurrence.
func (w When) In(loc *time.Location) time.Time {
	if w.Wall != nil {
		return Resolve(*w.Wall, loc).In(loc)
	}
	return w.Instant
}

// IsWall says whether the time needs a zone to be an instant.
func (w When) IsWall() bool { return w.Wall != nil }
