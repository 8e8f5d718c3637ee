package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"

	"golang.org/x/net/html"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/publish"
	"github.com/onair-radio/onair/web"
)

func exampleSite(t *testing.T, at time.Time) (*station.Station, *publish.Site) {
	t.Helper()
	return site(t, "../config.example.yaml", at)
}

func site(t *testing.T, path string, at time.Time) (*station.Station, *publish.Site) {
	t.Helper()
	st, err := teststation.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := publish.Scan(context.Background(), st, nil, nil)
	s, err := publish.Build(context.Background(), st, recs, at)
	if err != nil {
		t.Fatal(err)
	}
	return st, s
}

// TestPageWeight: every page, with the stylesheet and the script it loads,
// is under 100 KB before recordings and artwork: for the example, and for
// a station on the air around the clock (168 airings a week).
func TestPageWeight(t *testing.T) {
	at, _ := time.Parse(time.RFC3339, liveAt)
	for _, path := range []string{"../config.example.yaml", "../testdata/config/around-the-clock.yaml"} {
		st, site := site(t, path, at)
		assets := 0
		for p, b := range web.Assets() {
			if !bytes.Equal(site.Files[p], b) {
				t.Errorf("the site lacks %s", p)
			}
			assets += len(b)
		}
		for _, p := range web.Pages(st) {
			if n := len(site.Files[p]) + assets; n == assets || n >= 100_000 {
				t.Errorf("%s: %s weighs %d bytes with its assets", path, p, n)
			} else if !strings.HasPrefix(p, "shows/") || strings.HasSuffix(p, "/prn/index.html") || strings.HasSuffix(p, "/hour-00/index.html") {
				t.Logf("%s: %s: %d bytes, %d with its assets", filepath.Base(path), p, len(site.Files[p]), n)
			}
		}
	}
}

// TestPagesWellFormed reads every page as a browser would and checks what
// a validator and an accessibility audit check first: a language, a title,
// unique ids, labels that name a control, alt text on images, links that
// html/template did not have to refuse.
func TestPagesWellFormed(t *testing.T) {
	at, _ := time.Parse(time.RFC3339, liveAt)
	st, site := exampleSite(t, at)
	for _, p := range web.Pages(st) {
		t.Run(p, func(t *testing.T) {
			body := site.Files[p]
			if bytes.Contains(body, []byte("ZgotmplZ")) {
				t.Errorf("html/template refused a value: %s", body)
			}
			doc, err := html.Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			ids := make(map[string]int)
			var fors []string
			var title, lang string
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode {
					attr := make(map[string]string)
					for _, a := range n.Attr {
						attr[a.Key] = a.Val
					}
					if id, ok := attr["id"]; ok {
						ids[id]++
					}
					switch n.Data {
					case "html":
						lang = attr["lang"]
					case "title":
						if n.FirstChild != nil {
							title = n.FirstChild.Data
						}
					case "label":
						fors = append(fors, attr["for"])
					case "img":
						if _, ok := attr["alt"]; !ok {
							t.Errorf("an image without alt: %s", attr["src"])
						}
					case "a":
						if attr["href"] == "" || attr["href"] == "#" {
							t.Errorf("a link to nowhere: %v", n.Attr)
						}
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
			if lang == "" || title == "" {
				t.Errorf("lang %q, title %q", lang, title)
			}
			for id, n := range ids {
				if n > 1 {
					t.Errorf("id %q is used %d times", id, n)
				}
			}
			for _, f := range fors {
				if ids[f] != 1 {
					t.Errorf("a label for %q, which is no element", f)
				}
			}
		})
	}
}

// TestPagesAtAnotherTime: the pages say what is on at the instant they are
// rendered for, and nothing of the clock's.
func TestPagesAtAnotherTime(t *testing.T) {
	for _, tc := range []struct {
		at, now, next string
	}{
		{"2026-11-29T13:30:00-06:00", "prn-2026-11-29T1300", "prn-2026-12-01T1000"},
		{"2026-11-29T14:00:00-06:00", "", "prn-2026-12-01T1000"},
		{"2026-12-12T21:00:00-06:00", "jazz-2026-12-12T2000", "prn-2026-12-13T1300"},
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		_, site := exampleSite(t, at)
		index := string(site.Files["index.html"])
		if tc.now != "" && !strings.Contains(index, `now" data-id="`+tc.now+`"`) {
			t.Errorf("at %s: %s is not marked on air", tc.at, tc.now)
		}
		if !strings.Contains(index, `next" data-id="`+tc.next+`"`) {
			t.Errorf("at %s: %s is not marked next", tc.at, tc.next)
		}
		for _, p := range []string{"index.html", "embed/now/index.html"} {
			if idle := strings.Contains(string(site.Files[p]), "Nothing is on the air."); idle != (tc.now == "") {
				t.Errorf("%s at %s says nothing is on the air: %v", p, tc.at, idle)
			}
		}
	}
}

// TestTimesAcrossAClockChange: where the clocks change during an airing,
// the pages name each end's zone; elsewhere, one zone for both.
func TestTimesAcrossAClockChange(t *testing.T) {
	for _, tc := range []struct {
		at, show, week string
	}{
		{"2027-11-06T12:00:00-04:00", "November 7, 2027, 01:30 EDT–01:30 EST</time>", `2027-11-07T05:30:00Z">01:30 EDT</time>–01:30 EST</span>`},
		{"2027-03-13T12:00:00-05:00", "March 14, 2027, 01:30 EST–03:30 EDT</time>", `2027-03-14T06:30:00Z">01:30 EST</time>–03:30 EDT</span>`},
		{"2027-01-13T12:00:00-05:00", "January 14, 2027, 01:30–02:30 EST</time>", `2027-01-14T06:30:00Z">01:30</time>–02:30</span>`},
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		_, site := site(t, "../testdata/config/dst.yaml", at)
		if page := string(site.Files["shows/owl/index.html"]); !strings.Contains(page, tc.show) {
			t.Errorf("at %s the show page does not say %q:\n%s", tc.at, tc.show, page)
		}
		if page := string(site.Files["index.html"]); !strings.Contains(page, tc.week) {
			t.Errorf("at %s the week's page does not say %q:\n%s", tc.at, tc.week, page)
		}
	}
}

func ExampleSubscribeLinks() {
	for _, app := range web.SubscribeLinks("https://radio.example.org/feeds/prn.xml", "News Hour") {
		fmt.Printf("%s: %s\n", app.Name, app.URL)
	}
	fmt.Println(web.Webcal("https://radio.example.org/calendar/prn.ics"))
	// Output:
	// Apple Podcasts: podcast://radio.example.org/feeds/prn.xml
	// Overcast: overcast://x-callback-url/add?url=https%3A%2F%2Fradio.example.org%2Ffeeds%2Fprn.xml
	// Pocket Casts: pktc://subscribe/radio.example.org/feeds/prn.xml
	// Castro: castro://subscribe/radio.example.org/feeds/prn.xml
	// AntennaPod: https://antennapod.org/deeplink/subscribe?url=https%3A%2F%2Fradio.example.org%2Ffeeds%2Fprn.xml&title=News+Hour
	// Podcast Addict: podcastaddict://https://radio.example.org/feeds/prn.xml
	// RSS: https://radio.example.org/feeds/prn.xml
	// webcal://radio.example.org/calendar/prn.ics
}

// jsonLD is the JSON-LD a page carries, parsed.
func jsonLD(t *testing.T, page []byte) map[string]any {
	t.Helper()
	const open = `<script type="application/ld+json">`
	i := bytes.Index(page, []byte(open))
	if i < 0 {
		t.Fatal("no JSON-LD")
	}
	rest := page[i+len(open):]
	j := bytes.Index(rest, []byte("</script>"))
	var doc map[string]any
	if err := json.Unmarshal(rest[:j], &doc); err != nil {
		t.Fatalf("the JSON-LD does not parse: %v\n%s", err, rest[:j])
	}
	if doc["@context"] != "https://schema.org" {
		t.Errorf("@context %v", doc["@context"])
	}
	return doc
}

// TestJSONLD: a show page says it is a RadioSeries whose publications are
// its upcoming airings, each a BroadcastEvent on the station's
// BroadcastService, at the schedule's instants; the week page lists the
// station's airings of the next day the same way.
func TestJSONLD(t *testing.T) {
	at, _ := time.Parse(time.RFC3339, liveAt)
	st, site := site(t, "../config.example.yaml", at)
	station := st.BaseURL + "/#station"
	check := func(what string, ev map[string]any, want scheduler.Airing) {
		t.Helper()
		start, _ := time.Parse(time.RFC3339, fmt.Sprint(ev["startDate"]))
		end, _ := time.Parse(time.RFC3339, fmt.Sprint(ev["endDate"]))
		on, _ := ev["publishedOn"].(map[string]any)
		if ev["@type"] != "BroadcastEvent" || !start.Equal(want.Start) || !end.Equal(want.End) || ev["isLiveBroadcast"] != (want.Kind == scheduler.Live) || on["@id"] != station {
			t.Errorf("%s: %v, want %s %s-%s", what, ev, want.Kind, want.Start, want.End)
		}
	}
	services := func(g []any) int {
		n := 0
		for _, node := range g {
			if m := node.(map[string]any); m["@type"] == "BroadcastService" && m["@id"] == station && m["name"] == st.Name {
				n++
			}
		}
		return n
	}

	doc := jsonLD(t, site.Files["shows/prn/index.html"])
	graph := doc["@graph"].([]any)
	series := graph[0].(map[string]any)
	if series["@type"] != "RadioSeries" || series["name"] != "Progressive Radio News Hour" || series["webFeed"] != st.BaseURL+"/feeds/prn.xml" || services(graph) != 1 {
		t.Errorf("the show: %v", graph)
	}
	pubs := series["publication"].([]any)
	on := st.Schedule.Airings(at.Add(-st.Schedule.MaxDuration()), at.Add(1), "prn")
	want := append(on[len(on)-1:], st.Schedule.Next(at.Add(1), len(pubs)-1, "prn")...)
	if len(pubs) != 8 {
		t.Errorf("%d publications, want 8", len(pubs))
	}
	for i, p := range pubs {
		check(fmt.Sprint("prn's publication ", i), p.(map[string]any), want[i])
	}

	doc = jsonLD(t, site.Files["index.html"])
	graph = doc["@graph"].([]any)
	if services(graph) != 1 {
		t.Errorf("the week page's station: %v", graph)
	}
	events := graph[1:]
	all := st.Schedule.Airings(at.Add(-st.Schedule.MaxDuration()), at.Add(24*time.Hour+1))
	var day []scheduler.Airing
	for _, a := range all {
		if a.End.After(at) {
			day = append(day, a)
		}
	}
	if len(events) != len(day) || len(day) == 0 {
		t.Fatalf("%d events on the week page, want %d", len(events), len(day))
	}
	for i, e := range events {
		ev := e.(map[string]any)
		check(fmt.Sprint("the week's event ", i), ev, day[i])
		if w := ev["workPerformed"].(map[string]any); w["@type"] != "RadioSeries" || w["url"] != st.BaseURL+"/shows/"+day[i].Show.ID+"/" {
			t.Errorf("event %d performs %v", i, w)
		}
	}
}

// TestBestOfPage: a show with no live slot has no episodes of its own: its
// page offers the podcast of the show it replays, not an empty feed.
func TestBestOfPage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "onair.yaml")
	if err := os.WriteFile(path, []byte(`station: {name: T, timezone: UTC, base_url: "https://radio.example.org"}
shows:
  - id: t
    title: Test Hour
    slots: [{kind: live, cron: "0 13 * * SUN", duration: 1h}]
  - id: best
    title: Best Of
    slots: [{kind: rebroadcast, of: t, cron: "0 17 * * FRI", duration: 1h}]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	at, _ := time.Parse(time.RFC3339, liveAt)
	_, site := site(t, path, at)
	best, own := string(site.Files["shows/best/index.html"]), string(site.Files["shows/t/index.html"])
	if strings.Contains(best, `id="feed-url"`) || strings.Contains(best, "overcast://") || !strings.Contains(best, `replays episodes of <a href="../t/">Test Hour</a>`) {
		t.Errorf("the best-of show's page:\n%s", best)
	}
	if !strings.Contains(own, `id="feed-url"`) {
		t.Errorf("the live show's page offers no feed")
	}
}

// TestWeekParts: the week page rendered with a Parts is the page rendered
// without, and at the next instant it renders only the parts that
// changed (the airings whose state moved, and those new to the week).
func TestWeekParts(t *testing.T) {
	st, err := teststation.Load("../testdata/config/around-the-clock.yaml")
	if err != nil {
		t.Fatal(err)
	}
	at, _ := time.Parse(time.RFC3339, liveAt)
	var parts web.Parts
	for i, step := range []struct {
		by   time.Duration
		most int // parts rendered: new to the week, or their state moved
	}{{0, 168}, {time.Hour, 4}, {time.Hour, 4}, {3 * 24 * time.Hour, 100}} {
		at = at.Add(step.by)
		plain, err := web.NewRenderer(web.Input{Station: st, At: at}).Week()
		if err != nil {
			t.Fatal(err)
		}
		got, err := web.NewRenderer(web.Input{Station: st, At: at, Parts: &parts}).Week()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, plain) {
			t.Fatalf("at %s, the page with Parts differs", at)
		}
		t.Logf("at %s: %d parts rendered", at, parts.Rendered())
		if parts.Rendered() == 0 || parts.Rendered() > step.most || i == 0 && parts.Rendered() < 100 {
			t.Errorf("at %s, %d parts rendered (at most %d) of a week of 168 airings", at, parts.Rendered(), step.most)
		}
	}
}
