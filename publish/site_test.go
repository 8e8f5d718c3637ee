package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/stopctx"
	"github.com/onair-radio/onair/station"

	"github.com/emersion/go-ical"
	"github.com/mmcdole/gofeed"
	gofeedext "github.com/mmcdole/gofeed/extensions"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/web"
)

var update = flag.Bool("update", false, "rewrite the golden site under testdata/publish")

// The tests run from the repository's top, where the example's relative
// recording directories resolve.
func TestMain(m *testing.M) {
	if err := os.Chdir(".."); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// liveAt is during the News Hour's live airing of 2026-11-29.
var liveAt = time.Date(2026, 11, 29, 19, 30, 0, 0, time.UTC)

func exampleSite(t testing.TB, at time.Time) (*station.Station, *Site) {
	t.Helper()
	st, err := teststation.Load("config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	recs, problems := Scan(context.Background(), st, nil, nil)
	if len(problems) > 0 {
		t.Fatalf("the example archive has problems: %v", problems)
	}
	site, err := Build(context.Background(), st, recs, at)
	if err != nil {
		t.Fatal(err)
	}
	return st, site
}

func TestGoldenSite(t *testing.T) {
	_, site := exampleSite(t, liveAt)
	root := filepath.Join("testdata", "publish")
	if *update {
		os.RemoveAll(root)
	}
	assets := web.Assets()
	for _, p := range site.Paths() {
		// The stylesheet and script are the embedded files themselves: no
		// golden copy of them.
		if want, ok := assets[p]; ok {
			if !bytes.Equal(site.Files[p], want) {
				t.Errorf("%s differs from web/%s", p, p)
			}
			continue
		}
		path := filepath.Join(root, filepath.FromSlash(p))
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, site.Files[p], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./publish -update writes it)", err)
		}
		if !bytes.Equal(site.Files[p], want) {
			t.Errorf("%s differs from %s (go test ./publish -update rewrites it)\ngot:\n%s", p, path, site.Files[p])
		}
	}
	want := []string{web.AssetPath("onair.js"), web.AssetPath("onair.css"), "calendar.ics", "calendar/jazz.ics", "calendar/prn.ics", "calendar/voices.ics", "embed/now/index.html",
		"feeds/jazz.xml", "feeds/prn.xml", "feeds/voices.xml", "index.html", "schedule.json", "shows/jazz/index.html", "shows/prn/index.html", "shows/voices/index.html",
		"station.m3u", "xmltv.xml", "xmltv.xml.gz"}
	slices.Sort(want)
	if got := strings.Join(site.Paths(), " "); got != strings.Join(want, " ") {
		t.Errorf("paths = %s", got)
	}
}

func TestDeterministic(t *testing.T) {
	_, a := exampleSite(t, liveAt)
	_, b := exampleSite(t, liveAt)
	for _, p := range a.Paths() {
		if !bytes.Equal(a.Files[p], b.Files[p]) {
			t.Errorf("%s differs between two builds of the same input", p)
		}
	}
}

// TestFeedParsesBack reads the News Hour's feed as a podcast app's parser
// would and checks what it says.
func TestFeedParsesBack(t *testing.T) {
	_, site := exampleSite(t, liveAt)
	feed, err := gofeed.NewParser().ParseString(string(site.Files["feeds/prn.xml"]))
	if err != nil {
		t.Fatal(err)
	}
	if feed.Title != "Progressive Radio News Hour" || feed.Language != "en-US" || feed.ITunesExt.Explicit != "false" || feed.ITunesExt.Type != "episodic" {
		t.Errorf("channel: %q %q explicit=%q type=%q", feed.Title, feed.Language, feed.ITunesExt.Explicit, feed.ITunesExt.Type)
	}
	if feed.ITunesExt.Image != "http://localhost:8080/media/prn/cover.png" || feed.ITunesExt.Categories[0].Text != "News" || feed.ITunesExt.Categories[0].Subcategory.Text != "Politics" {
		t.Errorf("image %q categories %+v", feed.ITunesExt.Image, feed.ITunesExt.Categories)
	}
	if feed.PublishedParsed == nil || !feed.PublishedParsed.Equal(time.Date(2026, 11, 22, 19, 0, 0, 0, time.UTC)) {
		t.Errorf("pubDate = %v, want the newest episode's air time", feed.PublishedParsed)
	}
	if feed.UpdatedParsed == nil || !feed.UpdatedParsed.Equal(time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)) {
		t.Errorf("lastBuildDate = %v, want the live airing's start", feed.UpdatedParsed)
	}
	if g := ext(feed.Extensions, "guid"); len(g) != 1 || g[0].Value != "6e669bd6-114e-53e6-978d-de34c3f42a7f" {
		t.Errorf("podcast:guid = %+v", g)
	}
	wantItems := []struct {
		guid, title, duration string
		file                  string
	}{
		{"prn-2026-11-22", "Thanksgiving Week: Food, Family & <Politics>", "4", "prn-2026-11-22.mp3"},
		{"prn-2026-11-15", "Progressive Radio News Hour: The Week in Review", "2", "prn-2026-11-15.mp3"},
		{"prn-2026-11-08", "Progressive Radio News Hour, November 8, 2026", "3", "prn-2026-11-08.mp3"},
		{"prn-2026-11-01", "Progressive Radio News Hour, November 1, 2026", "2", "prn-2026-11-01.mp3"},
	}
	if len(feed.Items) != len(wantItems) {
		t.Fatalf("%d items, want %d", len(feed.Items), len(wantItems))
	}
	for i, w := range wantItems {
		it := feed.Items[i]
		info, err := os.Stat(filepath.Join("testdata", "archive", "prn", w.file))
		if err != nil {
			t.Fatal(err)
		}
		if it.GUID != w.guid || it.Title != w.title || it.ITunesExt.Duration != w.duration {
			t.Errorf("item %d: %q %q duration %q; want %q %q %q", i, it.GUID, it.Title, it.ITunesExt.Duration, w.guid, w.title, w.duration)
		}
		enc := it.Enclosures[0]
		if enc.Length != itoa(info.Size()) || enc.Type != "audio/mpeg" || enc.URL != "http://localhost:8080/media/prn/"+w.file {
			t.Errorf("item %d enclosure %+v, want length %d", i, enc, info.Size())
		}
		if it.ITunesExt.EpisodeType != "full" || it.ITunesExt.Season != "2026" || it.ITunesExt.Episode != itoa(int64(4-i)) {
			t.Errorf("item %d: type %q season %q episode %q", i, it.ITunesExt.EpisodeType, it.ITunesExt.Season, it.ITunesExt.Episode)
		}
	}
	// Sidecar extras on the newest episode.
	it := feed.Items[0]
	if tr := ext(it.Extensions, "transcript"); len(tr) != 1 || tr[0].Attrs["type"] != "text/vtt" {
		t.Errorf("transcript = %+v", tr)
	}
	if ps := ext(it.Extensions, "person"); len(ps) != 2 || ps[0].Value != "Maria Ortega" || ps[0].Attrs["role"] != "guest" {
		t.Errorf("persons = %+v", ps)
	}
	// The live item: the airing in progress, and the next one pending.
	lives := ext(feed.Extensions, "liveItem")
	if len(lives) != 2 {
		t.Fatalf("%d liveItems, want 2", len(lives))
	}
	for i, w := range []struct{ status, start, end, guid string }{
		{"live", "2026-11-29T13:00:00-06:00", "2026-11-29T14:00:00-06:00", "prn-2026-11-29"},
		{"pending", "2026-12-06T13:00:00-06:00", "2026-12-06T14:00:00-06:00", "prn-2026-12-06"},
	} {
		li := lives[i]
		if li.Attrs["status"] != w.status || li.Attrs["start"] != w.start || li.Attrs["end"] != w.end || li.Children["guid"][0].Value != w.guid {
			t.Errorf("liveItem %d = %v %v, want %+v", i, li.Attrs, li.Children["guid"], w)
		}
		if li.Children["enclosure"][0].Attrs["url"] != "http://localhost:8000/live.mp3" || li.Children["contentLink"][0].Attrs["href"] != "http://localhost:8080/shows/prn/" {
			t.Errorf("liveItem %d enclosure/contentLink: %+v", i, li.Children)
		}
	}
}

// ext returns the podcast-namespace elements of a feed or item.
func ext(e gofeedext.Extensions, name string) []gofeedext.Extension { return e["podcast"][name] }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestCalendarParsesBack reads the calendars with a second iCalendar library.
func TestCalendarParsesBack(t *testing.T) {
	st, site := exampleSite(t, liveAt)
	sched := st.Schedule
	days := st.Days()
	want := sched.Airings(liveAt.Add(-calendarLookback), liveAt.Add(days))
	cal, err := ical.NewDecoder(bytes.NewReader(site.Files["calendar.ics"])).Decode()
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != len(want) {
		t.Fatalf("%d events, want %d", len(events), len(want))
	}
	uids := map[string]bool{}
	for i, e := range events {
		uid, _ := e.Props.Text(ical.PropUID)
		if uids[uid] {
			t.Errorf("duplicate UID %s", uid)
		}
		uids[uid] = true
		start, err := e.DateTimeStart(nil)
		if err != nil {
			t.Fatal(err)
		}
		end, err := e.DateTimeEnd(nil)
		if err != nil {
			t.Fatal(err)
		}
		if uid != want[i].ID+"@onair" || !start.Equal(want[i].Start) || !end.Equal(want[i].End) {
			t.Errorf("event %d: %s %s-%s, want %s %s-%s", i, uid, start, end, want[i].ID, want[i].Start, want[i].End)
		}
		summary, _ := e.Props.Text(ical.PropSummary)
		if rebroadcast := strings.HasSuffix(summary, "(rebroadcast)"); rebroadcast != (want[i].Kind == scheduler.Rebroadcast) {
			t.Errorf("event %d summary %q for a %s airing", i, summary, want[i].Kind)
		}
		if stamp, err := e.Props.DateTime(ical.PropDateTimeStamp, nil); err != nil || !stamp.Equal(want[i].Start) {
			t.Errorf("event %d DTSTAMP %v %v, want its start", i, stamp, err)
		}
	}
	// A show's own calendar holds its airings only.
	prn, err := ical.NewDecoder(bytes.NewReader(site.Files["calendar/prn.ics"])).Decode()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range prn.Events() {
		if uid, _ := e.Props.Text(ical.PropUID); !strings.HasPrefix(uid, "prn-") {
			t.Errorf("prn's calendar holds %s", uid)
		}
	}
}

func TestScheduleJSON(t *testing.T) {
	st, site := exampleSite(t, liveAt)
	var doc struct {
		Station struct{ Name, Timezone string } `json:"station"`
		At      string                          `json:"at"`
		Days    int                             `json:"days"`
		Airings []scheduler.AiringJSON          `json:"airings"`
	}
	if err := json.Unmarshal(site.Files["schedule.json"], &doc); err != nil {
		t.Fatal(err)
	}
	want := st.Schedule.Airings(liveAt, liveAt.Add(14*24*time.Hour))
	if doc.Station.Name != "Progressive Radio Network" || doc.At != "2026-11-29T13:30:00-06:00" || doc.Days != 14 || len(doc.Airings) != len(want) {
		t.Fatalf("schedule.json: %+v (%d airings, want %d)", doc.Station, len(doc.Airings), len(want))
	}
	for i, a := range doc.Airings {
		w := want[i].JSON(nil)
		if a.ID != w.ID || a.Start != w.Start || a.End != w.End || a.Kind != w.Kind || (a.Episode == nil) != (w.Episode == nil) {
			t.Errorf("airing %d = %+v", i, a)
		}
	}
}

// TestFeedsAreWellFormed parses every feed as plain XML too.
func TestFeedsAreWellFormed(t *testing.T) {
	_, site := exampleSite(t, liveAt)
	for _, p := range site.Paths() {
		if filepath.Ext(p) != ".xml" {
			continue
		}
		d := xml.NewDecoder(bytes.NewReader(site.Files[p]))
		for {
			if _, err := d.Token(); err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s: %v", p, err)
				}
				break
			}
		}
	}
}

// TestBuildStopped: a build stopped at any point between two documents
// ends with the stop, and no site; with the checks all passed, it is the
// whole site. There is a check between every two shows' documents.
func TestBuildStopped(t *testing.T) {
	st, want := exampleSite(t, liveAt)
	recs, _ := Scan(context.Background(), st, nil, nil)
	for _, b := range []*Builder{nil, new(Builder)} {
		n := 0
		for ; ; n++ {
			ctx := stopctx.After(n)
			var site *Site
			var err error
			if b == nil {
				site, err = Build(ctx, st, recs, liveAt)
			} else {
				site, err = b.Build(ctx, st, recs, liveAt)
			}
			if err == nil {
				if !maps.EqualFunc(site.Files, want.Files, bytes.Equal) {
					t.Errorf("builder %v: the site after %d checks differs from Build's", b != nil, n)
				}
				break
			}
			if !errors.Is(err, context.Canceled) || site != nil {
				t.Fatalf("builder %v, stopped at check %d: %v, %v", b != nil, n, site, err)
			}
		}
		if least := 3*len(st.Shows) + 4; n < least {
			t.Errorf("builder %v: %d checks, want at least %d", b != nil, n, least)
		}
	}
}

// TestListingBetween: the windows a build cuts from its one listing are
// what the schedule lists for each, at instants over a month of the
// example (its moved and cancelled airings included), at the edges of an
// airing's start too.
func TestListingBetween(t *testing.T) {
	st, _ := exampleSite(t, liveAt)
	sched, days := st.Schedule, st.Days()
	for at := liveAt.Add(-14 * 24 * time.Hour); at.Before(liveAt.Add(30 * 24 * time.Hour)); at = NextChange(st, at) {
		l := listing(sched, at, days)
		for _, w := range [][2]time.Time{
			{at, at.Add(days)},
			{at.Add(-sched.MaxDuration()), at.Add(days)},
			{at.Add(-calendarLookback + 1), at.Add(days + 1)},
		} {
			got, want := l.between(w[0], w[1]), sched.Airings(w[0], w[1])
			if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
				t.Fatalf("at %s, [%s, %s): %d airings, the schedule lists %d", at, w[0], w[1], len(got), len(want))
			}
		}
	}
}
