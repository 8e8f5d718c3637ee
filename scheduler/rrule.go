package scheduler

import (
	"fmt"
	"strings"
	"time"
)

var rruleDays = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// RRule writes a rule as an RFC 5545 recurrence rule without its start
// ("FREQ=WEEKLY;BYDAY=SU"), for podcast:updateFrequency and calendars. ok is
// false for a rule that RRULE cannot say as simply (a one-off, a cron with
// several times a day or restricted days of the month).
func RRule(r Rule) (rule string, ok bool) {
	switch r := r.(type) {
	case *cronRule:
		s := r.spec
		if len(r.hours) != 1 || len(r.minutes) != 1 || len(r.seconds) != 1 || s.Dom&starBit == 0 || s.Month&starBit == 0 {
			return "", false
		}
		if s.Dow&starBit != 0 {
			return "FREQ=DAILY", true
		}
		return "FREQ=WEEKLY;BYDAY=" + strings.Join(r.weekdays(), ","), true
	case *weeklyRule:
		var days []string
		for d, on := range r.days {
			if on {
				days = append(days, rruleDays[d])
			}
		}
		s := "FREQ=WEEKLY"
		if r.every > 1 {
			s += fmt.Sprintf(";INTERVAL=%d", r.every)
		}
		return s + ";BYDAY=" + strings.Join(days, ","), true
	case *monthlyRule:
		var days []string
		for _, n := range r.on {
			days = append(days, fmt.Sprintf("%d%s", n.N, rruleDays[n.Weekday]))
		}
		return "FREQ=MONTHLY;BYDAY=" + strings.Join(days, ","), true
	}
	return "", false
}

func (r *cronRule) weekdays() []string {
	var out []string
	for d := time.Sunday; d <= time.Saturday; d++ {
		if r.spec.Dow&(1<<uint(d)) != 0 {
			out = append(out, rruleDays[d])
		}
	}
	return out
}
