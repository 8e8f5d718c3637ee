package scheduler

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// cronParser accepts five fields, six with a leading seconds field, and
// descriptors such as @weekly.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// MaxAiringsPerDay bounds how often one slot airs, so that a mistyped
// expression ("* * * * * *", every second) cannot make every question about
// the schedule enumerate millions of airings.
const MaxAiringsPerDay = 96

// starBit is robfig/cron's marker for a field written as * or ?.
const starBit = 1 << 63

// cronRule enumerates the wall times of a cron expression. It takes
// robfig/cron's parse (the fields as bit sets) but not its Next, which skips
// times in a spring-forward gap and repeats those in a fall-back overlap.
type cronRule struct {
	expr                    string
	spec                    *cron.SpecSchedule
	hours, minutes, seconds []int
}

// ParseCron parses a cron expression: five fields (minute hour day-of-month
// month day-of-week), six with a leading seconds field, or a descriptor such
// as @weekly. A CRON_TZ=Zone or TZ=Zone prefix returns that zone; without one
// the returned zone is nil and the slot airs in its show's zone.
//
// @every is refused: it repeats from whenever a process starts, which gives
// a radio slot no air time.
func ParseCron(expr string) (rule Rule, loc *time.Location, err error) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return nil, nil, errors.New("empty cron expression")
	}
	if strings.HasPrefix(strings.TrimSpace(stripTZ(expr)), "@every") {
		return nil, nil, errors.New("@every has no fixed air time; write the times, such as \"0 */2 * * *\" for every two hours")
	}
	sched, err := parseCronGuarded(expr)
	if err != nil {
		return nil, nil, explainCronError(err)
	}
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return nil, nil, fmt.Errorf("unsupported cron schedule %T", sched)
	}
	if stripTZ(expr) != expr {
		loc = spec.Location
	}
	r := &cronRule{expr: expr, spec: spec}
	r.hours = bitsSet(spec.Hour, 0, 23)
	r.minutes = bitsSet(spec.Minute, 0, 59)
	r.seconds = bitsSet(spec.Second, 0, 59)
	if n := len(r.hours) * len(r.minutes) * len(r.seconds); n > MaxAiringsPerDay {
		return nil, nil, fmt.Errorf("the expression fires %d times a day; a slot airs at most %d times a day (every 15 minutes)", n, MaxAiringsPerDay)
	}
	if !anyDay(spec) {
		return nil, nil, errors.New("the expression matches no day of the year (check day-of-month against month)")
	}
	return r, loc, nil
}

// parseCronGuarded runs robfig's parser, which panics on some inputs
// (TZ=0, a zone prefix with no fields: robfig/cron #554, #470).
func parseCronGuarded(expr string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, errors.New("malformed expression")
			if stripTZ(expr) != expr {
				err = errors.New("malformed expression: a TZ= or CRON_TZ= prefix needs a zone and then the fields, such as \"CRON_TZ=America/Chicago 0 13 * * SUN\"")
			}
		}
	}()
	return cronParser.Parse(expr)
}

func stripTZ(expr string) string {
	for _, p := range []string{"CRON_TZ=", "TZ="} {
		if strings.HasPrefix(expr, p) {
			if i := strings.IndexByte(expr, ' '); i >= 0 {
				return strings.TrimSpace(expr[i:])
			}
			return ""
		}
	}
	return expr
}

// explainCronError adds what a station's staff most often need to know to
// robfig's terse messages.
func explainCronError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "above maximum (6)"):
		return fmt.Errorf("%s (day of week is 0-6 or SUN-SAT; Sunday is 0)", msg)
	case strings.Contains(msg, "failed to parse int from") && strings.ContainsAny(msg, "LW#"):
		return fmt.Errorf("%s (cron has no L, W or #: for \"the last Friday\" or \"the first Sunday\" use monthly: [last FRI])", msg)
	case strings.Contains(msg, "expected"):
		return fmt.Errorf("%s (want minute hour day-of-month month day-of-week, optionally a leading seconds field)", msg)
	case strings.Contains(msg, "unknown time zone"):
		return fmt.Errorf("%s (want an IANA zone such as CRON_TZ=America/Chicago)", msg)
	}
	return err
}

func bitsSet(bits uint64, min, max int) []int {
	var out []int
	for i := min; i <= max; i++ {
		if bits&(1<<uint(i)) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// anyDay reports whether some day of a leap year matches (rejects "0 0 31 2 *").
func anyDay(s *cron.SpecSchedule) bool {
	found := false
	eachDay(Date{2028, 1, 1}, Date{2034, 12, 31}, func(d Date, w time.Time) bool {
		found = s.Month&(1<<uint(d.Month)) != 0 && cronDayMatches(s, w)
		return !found
	})
	return found
}

// cronDayMatches is robfig/cron's own day rule: day-of-month and day-of-week
// are AND-ed when either is *, and OR-ed when both are restricted.
func cronDayMatches(s *cron.SpecSchedule, w time.Time) bool {
	domMatch := s.Dom&(1<<uint(w.Day())) != 0
	dowMatch := s.Dow&(1<<uint(w.Weekday())) != 0
	if s.Dom&starBit != 0 || s.Dow&starBit != 0 {
		return domMatch && dowMatch
	}
	return domMatch || dowMatch
}

func (r *cronRule) String() string { return r.expr }

func (r *cronRule) each(first, last Date, yield func(time.Time) bool) {
	eachDay(first, last, func(d Date, w time.Time) bool {
		if r.spec.Month&(1<<uint(d.Month)) == 0 || !cronDayMatches(r.spec, w) {
			return true
		}
		for _, h := range r.hours {
			for _, m := range r.minutes {
				for _, s := range r.seconds {
					t := w.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
					if !yield(t) {
						return false
					}
				}
			}
		}
		return true
	})
}
