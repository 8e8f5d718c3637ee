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
	// The first change is found in the nearest hour on a busy station and
	// in a week on a weekly one: look an hour ahead, then a day, then the
	// whole horizon, listing for each only the airings that can make a
	// change before it (a busy station's 30 days of airings are hundreds
	// of thousands; an hour's, a few hundred).
	for _, h := range []time.Duration{time.Hour, 24 * time.Hour} {
		if next := nextChangeWithin(st, t, h); next.Before(t.Add(h)) {
			return next
		}
	}
	return nextChangeWithin(st, t, changeHorizon)
}

// nextChangeWithin is the first change in (t, t+h), or t+h. It lists, for
// each kind of change, the airings whose start puts that change there.
func nextChangeWithin(st *station.Station, t time.Time, h time.Duration) time.Time {
	sched := st.Schedule
	next := t.Add(h)
	consider := func(c time.Time) {
		if c.After(t) && c.Before(next) {
			next = c
		}
	}
	// The week at a glance starts with today, in the station's zone.
	today := t.In(st.Location)
	consider(scheduler.Resolve(scheduler.DateTime{Date: scheduler.Date{Year: today.Year(), Month: today.Month(), Day: today.Day()}.AddDays(1)}, st.Location))
	longest := sched.MaxDuration()
	// An airing starts or ends.
	for _, a := range sched.Airings(t.Add(-longest), t.Add(h)) {
		consider(a.Start)
		consider(a.End)
	}
	// An airing leaves the calendars' look-back window.
	for _, a := range sched.Airings(t.Add(-calendarLookback), t.Add(h-calendarLookback)) {
		consider(a.Start.Add(calendarLookback))
	}
	// An ended live item leaves its feed.
	for _, a := range sched.Airings(t.Add(-feeds.LiveHorizon-longest), t.Add(h-feeds.LiveHorizon)) {
		if a.Kind == scheduler.Live {
			consider(a.End.Add(feeds.LiveHorizon))
		}
	}
	// An airing enters the week page's JSON-LD when its start is a day away.
	for _, a := range sched.Airings(t.Add(web.LDHorizon), t.Add(web.LDHorizon+h)) {
		consider(a.Start.Add(-web.LDHorizon))
	}
	// An airing enters the calendars when its start is ScheduleDays away.
	days := st.Days()
	for _, a := range sched.Airings(t.Add(days), t.Add(days+h)) {
		consider(a.Start.Add(-days))
	}
	return next
}
