package publish

import (
	"time"

	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
	"github.com/onair-radio/onair/web"
)

// changeHorizon is how far ahead NextChange looks; a service asks again by then.
const changeHorizon = 8 * 24 * time.Hour

// NextChange is the first instant after t at which the site published as of
// that instant can differ from the site published as of t for the passage of
// time alone: an airing starts or ends (liveItem status, schedule.json,
// calendars, web pages), an ended live item leaves the feed, a day begins in
// the station's zone (the week at a glance), an airing comes within a day
// (the week page's JSON-LD) or within the calendars' reach or leaves their look-back window. Without one within
// eight days it returns t plus eight days, so that a service wakes up and
// asks again.
func NextChange(st *station.Station, t time.Time) time.Time {
	sched := st.Schedule
	next := t.Add(changeHorizon)
	consider := func(c time.Time) {
		if c.After(t) && c.Before(next) {
			next = c
		}
	}
	// The week at a glance starts with today, in the station's zone.
	today := t.In(st.Location)
	consider(scheduler.Resolve(scheduler.DateTime{Date: scheduler.Date{Year: today.Year(), Month: today.Month(), Day: today.Day()}.AddDays(1)}, st.Location))
	lookback := feeds.LiveHorizon + calendarLookback + sched.MaxDuration()
	for _, a := range sched.Airings(t.Add(-lookback), t.Add(changeHorizon)) {
		consider(a.Start)
		consider(a.End)
		consider(a.Start.Add(calendarLookback))
		if a.Kind == scheduler.Live {
			consider(a.End.Add(feeds.LiveHorizon))
		}
	}
	// An airing enters the week page's JSON-LD when its start is a day away.
	for _, a := range sched.Airings(t.Add(web.LDHorizon), t.Add(web.LDHorizon+changeHorizon)) {
		consider(a.Start.Add(-web.LDHorizon))
	}
	// An airing enters the calendars when its start is ScheduleDays away.
	days := st.Days()
	for _, a := range sched.Airings(t.Add(days), t.Add(days+changeHorizon)) {
		consider(a.Start.Add(-days))
	}
	return next
}
