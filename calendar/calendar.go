// Package calendar renders airings as iCalendar (RFC 5545) for calendar
// apps: one VEVENT per airing, with a UID that stays the same for the
// airing's life so that a subscribed calendar updates an event rather than
// adding a second one. Times are written in UTC, which needs no VTIMEZONE
// and which every app shows in its user's own zone.
package calendar

import (
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
	"github.com/onair-radio/onair/scheduler"
)

// Calendar is what a calendar file says about itself.
type Calendar struct {
	Name        string            // X-WR-CALNAME
	Description string            // X-WR-CALDESC
	Zone        *time.Location    // X-WR-TIMEZONE: a display hint for apps that take one
	URLs        map[string]string // show id → the URL an event links to (the show's page or feed)
}

// Build renders the airings. Each event's DTSTAMP is its own start: it
// changes when the airing does (a move), and not with the instant the
// calendar is published, so an unchanged calendar keeps its bytes and its
// ETag, and subscribed apps are not made to download it again for nothing.
func Build(c Calendar, airings []scheduler.Airing) []byte {
	cal := ics.NewCalendarFor("onair")
	cal.SetProductId("-//onair//onair schedule//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName(clean(c.Name))
	if c.Description != "" {
		cal.SetXWRCalDesc(clean(c.Description))
	}
	if c.Zone != nil {
		cal.SetXWRTimezone(c.Zone.String())
	}
	// Ask subscribed apps to look again hourly.
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	for _, a := range airings {
		e := cal.AddEvent(a.ID + "@onair")
		e.SetDtStampTime(a.Start)
		e.SetStartAt(a.Start)
		e.SetEndAt(a.End)
		summary := a.Title
		if a.Kind == scheduler.Rebroadcast {
			summary += " (rebroadcast)"
		}
		e.SetSummary(clean(summary))
		e.SetDescription(clean(describe(a)))
		if u := c.URLs[a.Show.ID]; u != "" {
			e.SetURL(u)
		}
		e.SetProperty(ics.ComponentPropertyCategories, string(a.Kind))
		e.SetStatus(ics.ObjectStatusConfirmed)
		e.SetTimeTransparency(ics.TransparencyTransparent)
	}
	// RFC 5545 lines end in CRLF; the library defaults to LF.
	return []byte(cal.Serialize(ics.WithNewLine("\r\n")))
}

func describe(a scheduler.Airing) string {
	var b strings.Builder
	b.WriteString(a.Show.Title)
	switch {
	case a.Kind == scheduler.Live:
		b.WriteString(", live. Episode " + a.Episode + ".")
	case a.Episode != "":
		b.WriteString(", rebroadcast of episode " + a.Episode + ".")
	default:
		b.WriteString(", rebroadcast.")
	}
	if a.Moved {
		b.WriteString(" Moved from " + a.Scheduled.String() + ".")
	}
	if d := strings.TrimSpace(a.Show.Description); d != "" {
		b.WriteString("\n\n" + d)
	}
	return b.String()
}

// clean drops control characters other than newlines, which iCalendar text
// cannot carry.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
