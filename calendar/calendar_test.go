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
