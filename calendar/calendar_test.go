package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/emersion/go-ical"
	"github.com/onair-radio/onair/scheduler"
)

func TestBuild(t *testing.T) {
	loc, _ := time.LoadLocation("America/Chicago")
	r, _, _ := scheduler.ParseCron("0 13 * * SUN")
	sh := &scheduler.Show{ID: "prn", Title: "News, Views; and \\ more\x07", Description: "Line one\nLine two, with a comma", Location: loc,
		Slots: []scheduler.Slot{{Kind: scheduler.Live, Rule: r, Duration: time.Hour}}}
	moveTo := scheduler.DateTime{Date: scheduler.MustDate("2026-12-07"), Clock: scheduler.Clock{Hour: 18}}
	sh.Exceptions = []scheduler.Exception{{Airing: scheduler.DateTime{Date: scheduler.MustDate("2026-12-06"), Clock: scheduler.Clock{Hour: 13}}, MoveTo: &moveTo}}
	s := scheduler.New(&scheduler.Station{Shows: []*scheduler.Show{sh}})
	as := s.Airings(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC))
	b := Build(Calendar{Name: "T", Zone: loc, URLs: map[string]string{"prn": "https://radio.example.org/shows/prn/"}}, as)
	if !bytes.Contains(b, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("lines do not all end in CRLF")
	}
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	// The moved airing keeps its UID, at its new time.
	uid, _ := evs[1].Props.Text(ical.PropUID)
	start, _ := evs[1].DateTimeStart(nil)
	if uid != "prn-2026-12-06T1300@onair" || !start.Equal(time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("moved airing: %s at %s", uid, start)
	}
	summary, _ := evs[0].Props.Text(ical.PropSummary)
	desc, _ := evs[1].Props.Text(ical.PropDescription)
	if summary != "News, Views; and \\ more" || !strings.Contains(desc, "Moved from 2026-12-06 13:00") || !strings.Contains(desc, "Line one\nLine two, with a comma") {
		t.Errorf("summary %q description %q", summary, desc)
	}
}

// TestEvents: calendars written from remembered events have Build's bytes;
// the station's calendar and a show's share them; a publish renders only
// the airings new to its window; and an event no calendar asked for in a
// publish is forgotten at the next.
func TestEvents(t *testing.T) {
	loc, _ := time.LoadLocation("America/Chicago")
	r, _, _ := scheduler.ParseCron("0 * * * *")
	sh := &scheduler.Show{ID: "s", Title: "S", Location: loc, Slots: []scheduler.Slot{{Kind: scheduler.Live, Rule: r, Duration: time.Hour}}}
	s := scheduler.New(&scheduler.Station{Shows: []*scheduler.Show{sh}})
	c := Calendar{Name: "T", Zone: loc, URLs: map[string]string{"s": "https://radio.example.org/shows/s/"}}
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var ev Events
	first := at
	var last []scheduler.Airing
	for i, step := range []struct{ shift, rendered int }{{0, 24}, {1, 1}, {1, 1}, {30, 24}} {
		at = at.Add(time.Duration(step.shift) * time.Hour)
		as := s.Airings(at, at.Add(24*time.Hour))
		got := ev.Build(c, as)
		show := Calendar{Name: "T: S", URLs: c.URLs}
		if shows := ev.Build(show, as); ev.Rendered() != step.rendered || !bytes.Equal(shows, Build(show, as)) {
			t.Errorf("publish %d: %d events rendered, want %d (the show's calendar shares them)", i, ev.Rendered(), step.rendered)
		}
		if want := Build(c, as); !bytes.Equal(got, want) {
			t.Fatalf("publish %d differs from Build's:\n%s\nwant\n%s", i, got, want)
		}
		ev.Turn()
		last = as
	}
	// The last publish's 24 are kept; the first's, not asked for since,
	// are not.
	if ev.Build(c, last); ev.Rendered() != 0 {
		t.Errorf("%d of the last publish's 24 events rendered again, want them kept", ev.Rendered())
	}
	ev.Turn()
	if ev.Build(c, s.Airings(first, first.Add(24*time.Hour))); ev.Rendered() != 24 {
		t.Errorf("%d of the first publish's 24 events rendered, want all (forgotten)", ev.Rendered())
	}
}
