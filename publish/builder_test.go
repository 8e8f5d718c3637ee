package publish

import (
	"bytes"
	"context"
	"github.com/onair-radio/onair/internal/teststation"
	"testing"
	"time"
)

// TestBuilderMatchesBuild walks two weeks of air-time instants: the Builder
// gives Build's bytes every time, rebuilding only the feeds that change.
func TestBuilderMatchesBuild(t *testing.T) {
	st, _ := exampleSite(t, liveAt)
	recs, _ := Scan(context.Background(), st, nil, nil)
	var b Builder
	at := liveAt.Add(-48 * time.Hour)
	total, rebuilt, rendered := 0, 0, 0
	for at.Before(liveAt.Add(14 * 24 * time.Hour)) {
		want, err := Build(context.Background(), st, recs, at)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.Build(context.Background(), st, recs, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range want.Paths() {
			if !bytes.Equal(got.Files[p], want.Files[p]) {
				t.Fatalf("at %s, %s differs from Build's", at, p)
			}
		}
		total += len(st.Shows)
		rebuilt += b.Rebuilt
		rendered += b.RenderedShows
		at = NextChange(st, at)
	}
	if rebuilt >= total/2 {
		t.Errorf("rebuilt %d of %d feeds: the memo saves little", rebuilt, total)
	}
	if rendered >= total*2/3 || rendered == 0 {
		t.Errorf("rendered %d of %d show pages: the memo saves little", rendered, total)
	}
	t.Logf("%d instants: %d of %d feeds rebuilt, %d show pages rendered", total/len(st.Shows), rebuilt, total, rendered)
	// A new scan (a recording landed) rebuilds.
	recs2, _ := Scan(context.Background(), st, nil, nil)
	if _, err := b.Build(context.Background(), st, recs2, at); err != nil || b.Rebuilt != len(st.Shows) || b.RenderedShows != len(st.Shows) {
		t.Errorf("after a new scan: rebuilt %d feeds and %d show pages, want %d (%v)", b.Rebuilt, b.RenderedShows, len(st.Shows), err)
	}
}

// TestBuilderNewConfiguration: after an edit (a new configuration, here a
// show renamed), the calendars' remembered events are rendered again, and
// the site is Build's.
func TestBuilderNewConfiguration(t *testing.T) {
	st, _ := exampleSite(t, liveAt)
	recs, _ := Scan(context.Background(), st, nil, nil)
	var b Builder
	if _, err := b.Build(context.Background(), st, recs, liveAt); err != nil {
		t.Fatal(err)
	}
	edited, err := teststation.Load("config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edited.Shows[0].Show.Title = "Renamed"
	recs, _ = Scan(context.Background(), edited, nil, nil)
	got, err := b.Build(context.Background(), edited, recs, liveAt)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Build(context.Background(), edited, recs, liveAt)
	for _, p := range want.Paths() {
		if !bytes.Equal(got.Files[p], want.Files[p]) {
			t.Errorf("%s differs from Build's", p)
		}
	}
	if !bytes.Contains(got.Files["calendar.ics"], []byte("SUMMARY:Renamed")) {
		t.Error("calendar.ics kept the old title")
	}
}
