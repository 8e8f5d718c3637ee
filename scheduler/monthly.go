package scheduler

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// NthWeekday is "the nth such weekday of the month": N is 1..5, or -1 for the last.
type NthWeekday struct {
	N       int
	Weekday time.Weekday
}

var ordinals = map[string]int{
	"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
	"fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "last": -1,
}

// ParseNthWeekday reads "first SUN", "2nd friday", "last FRI".
func ParseNthWeekday(s string) (NthWeekday, error) {
	f := strings.Fields(s)
	if len(f) == 2 {
		n, okN := ordinals[strings.ToLower(f[0])]
		d, errD := ParseWeekday(f[1])
		if okN && errD == nil {
			return NthWeekday{n, d}, nil
		}
	}
	return NthWeekday{}, errors.New("want an ordinal and a day, such as \"first SUN\", \"3rd WED\" or \"last FRI\" (first..fifth, or last)")
}

func (n NthWeekday) String() string {
	if n.N == -1 {
		return "last " + weekdayAbbrev(n.Weekday)
	}
	suffix := map[int]string{1: "st", 2: "nd", 3: "rd"}[n.N]
	if suffix == "" {
		suffix = "th"
	}
	return strconv.Itoa(n.N) + suffix + " " + weekdayAbbrev(n.Weekday)
}

// matches reports whether d is this nth weekday of its month.
func (n NthWeekday) matches(d Date) bool {
	if d.Weekday() != n.Weekday {
		return false
	}
	if n.N == -1 {
		return d.AddDays(7).Month != d.Month
	}
	return (d.Day-1)/7+1 == n.N
}

// monthlyRule airs on the nth (or last) weekdays of every month: what cron
// cannot write and LibreTime cannot do for "last".
type monthlyRule struct {
	on []NthWeekday
	at Clock
}

// Monthly returns a rule for the given nth weekdays of each month at a time of day.
func Monthly(on []NthWeekday, at Clock) (Rule, error) {
	if len(on) == 0 {
		return nil, errors.New("no days given")
	}
	for _, n := range on {
		if n.N != -1 && (n.N < 1 || n.N > 5) {
			return nil, fmt.Errorf("ordinal %d out of range (1-5, or -1 for last)", n.N)
		}
	}
	return &monthlyRule{on: on, at: at}, nil
}

func (r *monthlyRule) each(first, last Date, yield func(time.Time) bool) {
	eachDay(first, last, func(d Date, w time.Time) bool {
		for _, n := range r.on {
			if n.matches(d) {
				return yield(w.Add(r.at.offset()))
			}
		}
		return true
	})
}

func (r *monthlyRule) String() string {
	var s []string
	for _, n := range r.on {
		s = append(s, n.String())
	}
	return "monthly " + strings.Join(s, ", ") + " at " + r.at.String()
}

// onceRule airs once: a special.
type onceRule struct{ at DateTime }

// Once returns a rule for a single airing at a wall-clock date and time.
func Once(at DateTime) Rule { return onceRule{at} }

func (r onceRule) each(first, last Date, yield func(time.Time) bool) {
	if !r.at.Date.Before(first) && !last.Before(r.at.Date) {
		yield(r.at.wall())
	}
}

func (r onceRule) String() string { return "once at " + r.at.String() }
