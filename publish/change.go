package publish

import (
	"time"

	"github.com/onair-radio/onair/config"
	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/scheduler"
)

// changeHorizon is how far ahead NextChange looks; a service asks again by then.
const changeHorizon = 8 * 24 * time.Hour

// NextChange is the first instant after t at which the site published as of
// that instant can differ from the site published as of t for the passage
// of time alone: an airing starts or ends (liveItem status, schedule.json,
// calendars), an ended live item leaves the feed, an airing leaves the
// calendars' look-back window. Without one within eight days it returns
// t plus eight days, so that a service wakes up and asks again.
func NextChange(cfg *config.Config, sched *scheduler.Schedule, t time.Time) time.Time {
	next := t.Add(changeHorizon)
	consider := func(c time.Time) {
		if c.After(t) && c.Before(next) {
			next = c
		}
	}
	lookback := feeds.LiveHorizon + calendarLookback + config.MaxDuration
	for _, a := range sched.Airings(t.Add(-lookback), t.Add(changeHorizon)) {
		consider(a.Start)
		consider(a.End)
		consider(a.Start.Add(calendarLookback))
		if a.Kind == scheduler.Live {
			consider(a.End.Add(feeds.LiveHorizon))
		}
	}
	return next
}
