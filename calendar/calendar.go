// Package calendar renders airings as iCalendar (RFC 5545) for calendar
// apps: one VEVENT per airing, with a UID that stays the same for the
// airing's life so that a subscribed calendar updates an event rather than
// adding a second one. Times are written in UTC, which needs no VTIMEZONE
// and which every app shows in its user's own zone.
package calendar

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
	"github.com/onair-radio/onair/internal/keep"
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
	var ev Events
	return ev.Build(c, airings)
}

// serial is how every part is written: RFC 5545 lines end in CRLF (the
// library defaults to LF), folded at 75 octets.
var serial = &ics.SerializationConfiguration{MaxLength: 75, PropertyMaxLength: 75, NewLine: "\r\n"}

const tail = "END:VCALENDAR\r\n"

// head is the calendar's lines before its events.
func head(c Calendar) string {
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
	s := cal.Serialize(serial)
	return s[:len(s)-len(tail)]
}

// Events writes calendars out of VEVENTs it renders once an airing: an
// event says nothing of the calendar it is in, so the station's calendar
// and its shows' share them, and a service that keeps one Events renders
// at an air time only the airings new to the window. An event is kept by
// its airing's ID and show and the link it names: a configuration's shows
// are its own (an edit makes new ones), and in one configuration an
// airing's ID determines all it says, so a kept event is its bytes. The zero value is
// ready. Not safe for concurrent use.
type Events struct {
	parts keep.Parts[eventKey, []byte]
}

type eventKey struct {
	id   string
	show *scheduler.Show
	url  string
}

// Turn begins a publish: events no calendar asked for in the one before
// are forgotten.
func (e *Events) Turn() { e.parts.Turn() }

// Rendered counts the events rendered (not kept) since the last Turn.
func (e *Events) Rendered() int { return e.parts.Made }

// Build renders c with airings, reusing the events it has.
func (e *Events) Build(c Calendar, airings []scheduler.Airing) []byte {
	var b bytes.Buffer
	e.Write(&b, c, airings) // a bytes.Buffer's writes do not fail
	return b.Bytes()
}

// Write writes c with airings to w, reusing the events it has, and holding
// no more of the calendar than one event (and what it keeps); it returns
// w's first error. A nil Events keeps none.
func (e *Events) Write(w io.Writer, c Calendar, airings []scheduler.Airing) error {
	cw := NewWriter(w, c)
	for _, a := range airings {
		if err := cw.Event(e.Event(a, c.URLs[a.Show.ID])); err != nil {
			return err
		}
	}
	return cw.Close()
}

// Event is a's VEVENT, linking to url: the one kept, or rendered (and
// kept from then on). A nil Events keeps none.
func (e *Events) Event(a scheduler.Airing, url string) []byte {
	var parts *keep.Parts[eventKey, []byte]
	if e != nil {
		parts = &e.parts
	}
	return parts.Get(eventKey{a.ID, a.Show, url}, func() []byte { return event(a, url) })
}

// Writer writes one calendar an event at a time, so that several
// calendars (the station's and its shows') are written in one pass of
// their airings, each event rendered once and held no longer than its
// writes.
type Writer struct {
	bw  *bufio.Writer
	err error
}

// NewWriter begins c on w.
func NewWriter(w io.Writer, c Calendar) *Writer {
	cw := &Writer{bw: bufio.NewWriterSize(w, 32<<10)}
	_, cw.err = cw.bw.WriteString(head(c))
	return cw
}

// Event adds one of Events.Event's; it returns w's first error.
func (w *Writer) Event(ev []byte) error {
	if w.err == nil {
		_, w.err = w.bw.Write(ev)
	}
	return w.err
}

// Close ends the calendar (it does not close w).
func (w *Writer) Close() error {
	if w.err == nil {
		_, w.err = w.bw.WriteString(tail)
	}
	if w.err == nil {
		w.err = w.bw.Flush()
	}
	return w.err
}

// event is a's VEVENT, linking to url.
func event(a scheduler.Airing, url string) []byte {
	ev := ics.NewEvent(a.ID + "@onair")
	ev.SetDtStampTime(a.Start)
	ev.SetStartAt(a.Start)
	ev.SetEndAt(a.End)
	summary := a.Title
	if a.Kind == scheduler.Rebroadcast {
		summary += " (rebroadcast)"
	}
	ev.SetSummary(clean(summary))
	ev.SetDescription(clean(describe(a)))
	if url != "" {
		ev.SetURL(url)
	}
	ev.SetProperty(ics.ComponentPropertyCategories, string(a.Kind))
	ev.SetStatus(ics.ObjectStatusConfirmed)
	ev.SetTimeTransparency(ics.TransparencyTransparent)
	var sb strings.Builder
	ev.SerializeTo(&sb, serial)
	return []byte(sb.String())
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
