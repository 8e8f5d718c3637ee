package feeds

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/mmcdole/gofeed"
	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/scheduler"
)

func TestPodcastGUID(t *testing.T) {
	// The namespace's own test vector.
	for _, u := range []string{"https://podnews.net/rss", "http://podnews.net/rss/", "podnews.net/rss"} {
		if got := PodcastGUID(u); got != "9b024349-ccf0-5f69-a609-6b82873eab3c" {
			t.Errorf("PodcastGUID(%q) = %s", u, got)
		}
	}
}

func TestParseCategory(t *testing.T) {
	for in, want := range map[string]string{
		"News": "", "News > Politics": "", "Society & Culture>Documentary": "", "TV & Film": "",
		"Newz":                 "not one of Apple's categories",
		"News > Gardening":     "not a subcategory of News",
		"Technology > Gadgets": "Technology has no subcategories",
	} {
		_, err := ParseCategory(in)
		if (err == nil) != (want == "") || err != nil && !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCategory(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestClean(t *testing.T) {
	in := "a\x00b\x07c\td\ne\x1bf\uFFFEg\xffh 🎙 שלום"
	if got, want := clean(in), "abc\td\nefgh 🎙 שלום"; got != want {
		t.Errorf("clean = %q, want %q", got, want)
	}
	if got := truncateBytes("ééé", 5); got != "éé" {
		t.Errorf("truncateBytes = %q", got)
	}
}

func chicago(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func testShow(t testing.TB) (*scheduler.Schedule, *Podcast) {
	r, _, err := scheduler.ParseCron("0 13 * * SUN")
	if err != nil {
		t.Fatal(err)
	}
	sh := &scheduler.Show{ID: "prn", Title: "News Hour", Description: "News.", Location: chicago(t),
		Slots: []scheduler.Slot{{Kind: scheduler.Live, Rule: r, Duration: time.Hour}}}
	s := scheduler.New(&scheduler.Station{Shows: []*scheduler.Show{sh}})
	return s, &Podcast{Show: sh, FeedURL: "https://radio.example.org/feeds/prn.xml", Link: "https://radio.example.org/shows/prn/", StreamURL: "https://stream.example.org/live.mp3"}
}

func recording(id string, d scheduler.Date) archive.Recording {
	return archive.Recording{Episode: id, Date: d, URL: "https://radio.example.org/media/prn/" + id + ".mp3", Size: 1000,
		Probe: archive.Probe{Type: "audio/mpeg", Duration: 3600 * time.Second}}
}

// TestLiveItemLifecycle follows one live airing: pending before it, live
// during it, ended after it, and gone once its recording is an item.
func TestLiveItemLifecycle(t *testing.T) {
	s, p := testShow(t)
	start := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	airing := s.Airings(start, start.Add(time.Minute))[0]
	tests := []struct {
		at       time.Time
		recorded bool
		want     string // status of the 2026-11-29 liveItem; "" for none
	}{
		{start.Add(-6 * 24 * time.Hour), false, "pending"},
		{start.Add(-time.Second), false, "pending"},
		{start, false, "live"},
		{start.Add(59 * time.Minute), false, "live"},
		{start.Add(time.Hour), false, "ended"},
		{start.Add(3 * 24 * time.Hour), false, "ended"},
		{start.Add(2 * time.Hour), true, ""},
		{start.Add(time.Hour + LiveHorizon + time.Second), false, ""},
	}
	for _, tc := range tests {
		var eps []Episode
		if tc.recorded {
			eps = []Episode{{Recording: recording("prn-2026-11-29", scheduler.MustDate("2026-11-29")), Airing: &airing}}
		}
		b, err := Build(p, eps, []scheduler.Airing{airing}, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		lives := feed.Extensions["podcast"]["liveItem"]
		got := ""
		if len(lives) == 1 {
			got = lives[0].Attrs["status"]
			if lives[0].Attrs["start"] != "2026-11-29T13:00:00-06:00" || lives[0].Attrs["end"] != "2026-11-29T14:00:00-06:00" {
				t.Errorf("at %s: times %v", tc.at, lives[0].Attrs)
			}
		}
		if got != tc.want {
			t.Errorf("at %s (recorded %v): status %q, want %q", tc.at, tc.recorded, got, tc.want)
		}
		if tc.recorded && (len(feed.Items) != 1 || feed.Items[0].GUID != "prn-2026-11-29") {
			t.Errorf("recorded airing is not an item: %+v", feed.Items)
		}
	}
}

// TestHostileText: show notes with markup, CDATA ends, emoji, right-to-left
// text and control characters give a valid feed that says the same text,
// less what XML forbids.
func TestHostileText(t *testing.T) {
	_, p := testShow(t)
	hostile := "<b>Bold</b> & \"quotes\" 'too' ]]> <![CDATA[x]]> 🎙️ مرحبا بالعالم \u202Eevil\u202C\x00\x01\x08\x0B\x0C\x1F end"
	p.Show.Title = "News <&> Hour ]]>"
	p.Show.Description = hostile
	p.Hosts = []archive.Person{{Name: "Zoë & <Ana>"}}
	rec := recording("prn-2026-11-22", scheduler.MustDate("2026-11-22"))
	rec.Sidecar = &archive.Sidecar{Title: "Ep ]]> 1 <i>", Notes: hostile, Guests: []archive.Person{{Name: "\x07Bell"}}}
	b, err := Build(p, []Episode{{Recording: rec}}, nil, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed XML: %v\n%s", err, b)
			}
			break
		}
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := "<b>Bold</b> & \"quotes\" 'too' ]]> <![CDATA[x]]> 🎙️ مرحبا بالعالم \u202Eevil\u202C end"
	if feed.Items[0].Description != want {
		t.Errorf("description\n got %q\nwant %q", feed.Items[0].Description, want)
	}
	if feed.ITunesExt.Summary != want {
		t.Errorf("itunes:summary (CDATA)\n got %q\nwant %q", feed.ITunesExt.Summary, want)
	}
	if feed.Title != "News <&> Hour ]]>" || feed.Items[0].Title != "Ep ]]> 1 <i>" {
		t.Errorf("titles %q %q", feed.Title, feed.Items[0].Title)
	}
	if ps := feed.Items[0].Extensions["podcast"]["person"]; ps[0].Value != "Bell" {
		t.Errorf("guest %q", ps[0].Value)
	}
	if bytes.ContainsAny(b, "\x00\x01\x07\x08\x0B\x0C\x1F") {
		t.Error("a forbidden control character reached the feed")
	}
}

func TestDescriptionLimitInBytes(t *testing.T) {
	_, p := testShow(t)
	p.Show.Description = strings.Repeat("é", 3000) // 6000 bytes, 3000 runes
	b, err := Build(p, nil, nil, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	feed, _ := gofeed.NewParser().Parse(bytes.NewReader(b))
	if n := len(feed.Description); n > 4000 || n < 3998 {
		t.Errorf("description is %d bytes, want at most 4000 (cut at a rune)", n)
	}
}

// An episode the schedule does not know (archived before onair) is dated at
// its air date and still published.
func TestEpisodeWithoutAiring(t *testing.T) {
	_, p := testShow(t)
	b, err := Build(p, []Episode{{Recording: recording("prn-2019-05-01", scheduler.MustDate("2019-05-01"))}}, nil, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	feed, _ := gofeed.NewParser().Parse(bytes.NewReader(b))
	if len(feed.Items) != 1 || !feed.Items[0].PublishedParsed.Equal(time.Date(2019, 5, 1, 5, 0, 0, 0, time.UTC)) || feed.Items[0].Title != "News Hour, May 1, 2019" {
		t.Errorf("items = %d, %s, %q", len(feed.Items), feed.Items[0].PublishedParsed.Format(time.RFC3339), feed.Items[0].Title)
	}
}

// TestNotifyTags: a feed names its WebSub hubs beside itself, and says
// when Podping is told of it.
func TestNotifyTags(t *testing.T) {
	_, p := testShow(t)
	at := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	plain, err := Build(p, nil, nil, at)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain, []byte(`rel="hub"`)) || bytes.Contains(plain, []byte("podcast:podping")) {
		t.Errorf("a feed with no one to notify names hubs or podping:\n%s", plain)
	}
	p.Hubs, p.Podping = []string{"https://hub.example/", "https://hub2.example/"}, true
	b, err := Build(p, nil, nil, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<atom:link href="https://radio.example.org/feeds/prn.xml" rel="self" type="application/rss+xml"></atom:link>`,
		`<atom:link href="https://hub.example/" rel="hub"></atom:link>`,
		`<atom:link href="https://hub2.example/" rel="hub"></atom:link>`,
		`<podcast:podping usesPodping="true"></podcast:podping>`,
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the feed lacks %s", want)
		}
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(b))
	if err != nil || feed.FeedLink != "https://radio.example.org/feeds/prn.xml" {
		t.Errorf("parsed: %v, self %q", err, feed.FeedLink)
	}
}

// TestTitleOf: an episode's title is its airing's (a special's own title),
// and a day's second live episode is told from its first.
func TestTitleOf(t *testing.T) {
	loc, _ := time.LoadLocation("America/Chicago")
	p := &Podcast{Show: &scheduler.Show{ID: "prn", Title: "News Hour", Location: loc}}
	at := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ episode, airing, want string }{
		{"prn-2026-11-29", "", "News Hour, November 29, 2026"},
		{"prn-2026-11-29", "Election Night Special", "Election Night Special, November 29, 2026"},
		{"prn-2026-11-29-2", "News Hour", "News Hour, November 29, 2026 (2)"},
	} {
		if got := p.TitleOf(tc.episode, at, tc.airing); got != tc.want {
			t.Errorf("TitleOf(%s, %q) = %q, want %q", tc.episode, tc.airing, got, tc.want)
		}
	}
	p.EpisodeTitle = "{title}: {episode}"
	if got := p.TitleOf("prn-2026-11-29-2", at, ""); got != "News Hour: prn-2026-11-29-2" {
		t.Errorf("a template with {episode}: %q", got)
	}
}
