package scheduler

import (
	"fmt"
	"time"
)

// Date is a day on a wall calendar, with no zone: "2026-12-27".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads a date written as YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return Date{}, fmt.Errorf("not a date: want YYYY-MM-DD, such as 2026-12-27")
	}
	return dateOf(t), nil
}

// MustDate is ParseDate for literals in tests and examples; it panics on a bad date.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) String() string {
	if d.Year < 0 || d.Year > 9999 {
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return string(d.appendTo(make([]byte, 0, 10)))
}

// appendTo appends d as YYYY-MM-DD (years 0-9999).
func (d Date) appendTo(b []byte) []byte {
	b = append2(append2(b, d.Year/100), d.Year%100)
	b = append2(append(b, '-'), int(d.Month))
	return append2(append(b, '-'), d.Day)
}

// IsZero reports whether d is the zero Date, which the engine reads as "no bound".
func (d Date) IsZero() bool { return d == Date{} }

// wall is midnight of d as a wall time (see [wallTime]).
func (d Date) wall() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns the date n days after d.
func (d Date) AddDays(n int) Date { return dateOf(d.wall().AddDate(0, 0, n)) }

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool { return d.wall().Before(e.wall()) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.wall().Weekday() }

// days counts the days from 1970-01-01 to d.
func (d Date) days() int64 { return d.wall().Unix() / 86400 }

func dateOf(t time.Time) Date {
	y, m, dd := t.Date()
	return Date{y, m, dd}
}

// Clock is a time of day on a wall clock: "13:00" or "13:00:30".
type Clock struct{ Hour, Minute, Second int }

// ParseClock reads a time of day written as HH:MM or HH:MM:SS (24-hour).
func ParseClock(s string) (Clock, error) {
	for _, layout := range []string{"15:04", "15:04:05"} {
		if len(s) == len(layout) {
			if t, err := time.Parse(layout, s); err == nil {
				return Clock{t.Hour(), t.Minute(), t.Second()}, nil
			}
		}
	}
	return Clock{}, fmt.Errorf("not a time of day: want HH:MM (24-hour), such as 13:00")
}

func (c Clock) String() string {
	if c.Second != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", c.Hour, c.Minute, c.Second)
	}
	return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute)
}

// seconds is the clock's second of the day.
func (c Clock) seconds() int { return c.Hour*3600 + c.Minute*60 + c.Second }

func (c Clock) offset() time.Duration {
	return time.Duration(c.Hour)*time.Hour + time.Duration(c.Minute)*time.Minute + time.Duration(c.Second)*time.Second
}

// DateTime is a date and a time of day on a wall calendar, with no zone.
type DateTime struct {
	Date
	Clock
}

// ParseDateTime reads "YYYY-MM-DD HH:MM" (or with a T, or with seconds).
func ParseDateTime(s string) (DateTime, error) {
	if len(s) > len("2006-01-02") && (s[10] == ' ' || s[10] == 'T') {
		d, errD := ParseDate(s[:10])
		c, errC := ParseClock(s[11:])
		if errD == nil && errC == nil {
			return DateTime{d, c}, nil
		}
	}
	return DateTime{}, fmt.Errorf("not a date and time: want YYYY-MM-DD HH:MM, such as 2026-12-31 22:00")
}

func (dt DateTime) String() string { return dt.Date.String() + " " + dt.Clock.String() }

func (dt DateTime) wall() time.Time { return dt.Date.wall().Add(dt.Clock.offset()) }

// A wall time is a reading of a wall clock, carried in a time.Time whose
// location is UTC so that Go's calendar arithmetic applies and no zone rule
// interferes. It becomes an instant only through [Resolve].
func wallTime(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
}

func dateTimeOf(w time.Time) DateTime {
	return DateTime{dateOf(w), Clock{w.Hour(), w.Minute(), w.Second()}}
}
