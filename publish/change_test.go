package publish

import (
	"bytes"
	"context"

	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
	"github.com/onair-radio/onair/web"
	"testing"
	"time"
)

// TestNextChange: the site changes at the instants NextChange names and at
// no instant between them.
func TestNextChange(t *testing.T) {
	st, _ := exampleSite(t, liveAt)
	recs, _ := Scan(context.Background(), st, nil, nil)
	if got := NextChange(st, liveAt); !got.Equal(time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)) {
		t.Errorf("next change after %s = %s, want the live airing's end", liveAt, got)
	}
	build := func(at time.Time) *Site {
		s, err := Build(context.Background(), st, recs, at)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// At the end of the live airing, the News Hour's live item turns ended.
	end := NextChange(st, liveAt)
	if bytes.Equal(build(end.Add(-time.Second)).Files["feeds/prn.xml"], build(end).Files["feeds/prn.xml"]) {
		t.Error("the feed did not change at the live airing's end")
	}
	// Walk two days of changes; between two changes, sample the site and
	// compare it with the one built at the earlier change (ignoring the
	// stamps that hold the instant itself: schedule.json's "at", DTSTAMP).
	at := liveAt
	for i := 0; i < 6; i++ {
		next := NextChange(st, at)
		a, b := build(at), build(next.Add(-time.Second))
		for _, p := range []string{"feeds/prn.xml", "feeds/jazz.xml", "feeds/voices.xml", "index.html", "embed/now/index.html", "shows/prn/index.html", "calendar/prn.ics"} {
			if !bytes.Equal(a.Files[p], b.Files[p]) {
				t.Errorf("%s changed between %s and %s, before the next change NextChange named", p, at, next)
			}
		}
		at = next
	}
	// The week at a glance begins a day at the station's midnight.
	midnight := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	if got := NextChange(st, midnight.Add(-time.Hour)); !got.Equal(midnight) {
		t.Errorf("next change an hour before midnight in Chicago = %s, want midnight", got)
	}
	if bytes.Equal(build(midnight.Add(-time.Second)).Files["index.html"], build(midnight).Files["index.html"]) {
		t.Error("the week at a glance did not move on at midnight")
	}
}

// TestNextChangeWithin: NextChange, looking an hour, a day and then eight
// days ahead, names the instant that listing the whole horizon's airings
// names, at every change over 40 days of the example (weekly shows)
// and five days of a station on the air around the clock.
func TestNextChangeWithin(t *testing.T) {
	for _, c := range []struct {
		path string
		span time.Duration
	}{{"config.example.yaml", 40 * 24 * time.Hour}, {"testdata/config/around-the-clock.yaml", 5 * 24 * time.Hour}} {
		st, err := teststation.Load(c.path)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for at := liveAt.Add(-c.span / 2); at.Before(liveAt.Add(c.span / 2)); n++ {
			got, want := NextChange(st, at), nextChangeListingAll(st, at)
			if !got.Equal(want) {
				t.Fatalf("%s: after %s, NextChange = %s, listing the horizon: %s", c.path, at, got, want)
			}
			// Between changes too, a second after one.
			if got, want := NextChange(st, at.Add(time.Second)), nextChangeListingAll(st, at.Add(time.Second)); !got.Equal(want) {
				t.Fatalf("%s: after %s, NextChange = %s, listing the horizon: %s", c.path, at.Add(time.Second), got, want)
			}
			at = want
		}
		t.Logf("%s: %d changes", c.path, n)
	}
}

// nextChangeListingAll is NextChange as it was, listing every airing of
// the horizon: the reference the faster one is held to.
func nextChangeListingAll(st *station.Station, t time.Time) time.Time {
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
