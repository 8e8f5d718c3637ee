package publish

import (
	"fmt"
	"time"

	"github.com/onair-radio/onair/station"
)

// MaxAirings is the most airings a publish lists in its widest window,
// the calendars' (calendarLookback behind, schedule_days ahead): the
// station-wide documents (schedule.json, calendar.ics and the show
// calendars, xmltv.xml) grow with it, and so does a build's memory. 200
// shows each on the air every 15 minutes (scripts/busy-station.sh 200,
// 14 days: 403,200) are within it; 20 such shows with schedule_days: 365
// (714,240) are not.
const MaxAirings = 500_000

// bytesPerAiring is about what one airing of the window adds to the
// station-wide documents: measured on scripts/busy-station.sh's shows,
// and kept within a quarter of a real build's by TestSizeEstimate.
const bytesPerAiring = 1100

// TooBig says a configuration would publish past MaxAirings.
type TooBig struct {
	Airings int // about how many: a week's, times the window's weeks
	Days    int // the calendars' window: schedule_days and the week behind
	Bytes   int64
	limit   int
}

func (e *TooBig) Error() string {
	return fmt.Sprintf("the station would publish about %d airings in the calendars' %d days (schedule_days and the week behind), about %d MB of schedule, calendars and guide; the most is %d: lower schedule_days, or air fewer slots",
		e.Airings, e.Days, e.Bytes/1_000_000, e.limit)
}

// Size is what a publish at at would list: the airings of its widest
// window (counted no further than MaxAirings+1), and about how many bytes
// of station-wide documents they make.
type Size struct {
	Airings int
	Bytes   int64
}

// SizeAt counts st's publish at at.
func SizeAt(st *station.Station, at time.Time) Size { return sizeAt(st, at, MaxAirings) }

func sizeAt(st *station.Station, at time.Time, limit int) Size {
	n := st.Schedule.Count(at.Add(-calendarLookback), at.Add(st.Days()), limit)
	return Size{Airings: n, Bytes: int64(n) * bytesPerAiring}
}

// CheckSize refuses a station whose publish at at would list more than
// MaxAirings, before anything is built. Counting stops past the limit (a
// station of millions is refused in the time a count of MaxAirings
// takes, about a second and a half here), so the error's figures are the
// week after at's, times the window.
func CheckSize(st *station.Station, at time.Time) error { return checkSize(st, at, MaxAirings) }

func checkSize(st *station.Station, at time.Time, limit int) error {
	if sizeAt(st, at, limit).Airings <= limit {
		return nil
	}
	days := st.ScheduleDays + int(calendarLookback/(24*time.Hour))
	week := st.Schedule.Count(at, at.Add(7*24*time.Hour), limit*7)
	n := week * days / 7
	return &TooBig{Airings: n, Days: days, Bytes: int64(n) * bytesPerAiring, limit: limit}
}
