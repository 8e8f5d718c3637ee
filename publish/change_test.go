package publish

import (
	"bytes"
	"context"
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
