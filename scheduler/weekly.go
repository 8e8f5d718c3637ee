package scheduler

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// weeklyRule airs on some days of every Nth week. Weeks start on Monday
// (ISO 8601, and RFC 5545's default WKST); the week holding the anchor date
// is an airing week.
type weeklyRule struct {
	days   [7]bool
	at     Clock
	every  int
	anchor Date
}

// Weekly returns a rule for the given weekdays at a time of day, every
// `every` weeks counted from the week of anchor (anchor is needed only when
// every > 1).
func Weekly(days []time.Weekday, at Clock, every int, anchor Date) (Rule, error) {
	if len(days) == 0 {
		return nil, errors.New("no days given")
	}
	if every < 1 {
		return nil, fmt.Errorf("every must be 1 or more weeks, not %d", every)
	}
	if every > 1 && anchor.IsZero() {
		return nil, errors.New("every N weeks needs an anchor: a date in a week the show airs")
	}
	r := &weeklyRule{at: at, every: every, anchor: anchor}
	for _, d := range days {
		r.days[d] = true
	}
	return r, nil
}

// weekIndex counts Monday-based weeks since the week of 1970-01-01.
func weekIndex(d Date) int64 {
	return floorDiv(d.days()+3, 7)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (r *weeklyRule) each(first, last Date, yield func(time.Time) bool) {
	anchorWeek := weekIndex(r.anchor)
	eachDay(first, last, func(d Date, w time.Time) bool {
		if !r.days[d.Weekday()] {
			return true
		}
		if r.every > 1 && floorMod(weekIndex(d)-anchorWeek, int64(r.every)) != 0 {
			return true
		}
		return yield(w.Add(r.at.offset()))
	})
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func (r *weeklyRule) String() string {
	var names []string
	for d, on := range r.days {
		if on {
			names = append(names, weekdayAbbrev(time.Weekday(d)))
		}
	}
	s := "weekly " + strings.Join(names, ",") + " at " + r.at.String()
	if r.every > 1 {
		s += fmt.Sprintf(", every %d weeks from %s", r.every, r.anchor)
	}
	return s
}

var weekdayNames = map[string]time.Weekday{
	"SUN": time.Sunday, "MON": time.Monday, "TUE": time.Tuesday, "WED": time.Wednesday,
	"THU": time.Thursday, "FRI": time.Friday, "SAT": time.Saturday,
}

// ParseWeekday reads a day of the week: SUN..SAT or a full English name, any case.
func ParseWeekday(s string) (time.Weekday, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if len(u) > 3 {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if u == strings.ToUpper(d.String()) {
				return d, nil
			}
		}
	}
	if d, ok := weekdayNames[u]; ok {
		return d, nil
	}
	return 0, fmt.Errorf("not a day of the week: want SUN, MON, TUE, WED, THU, FRI or SAT")
}

func weekdayAbbrev(d time.Weekday) string { return strings.ToUpper(d.String()[:3]) }
