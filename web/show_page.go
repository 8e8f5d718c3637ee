package web

import (
	"cmp"
	"fmt"
	"html/template"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// The show page lists so many upcoming airings and recent episodes; the
// feed has them all.
const (
	upcomingAirings = 8
	RecentEpisodes  = 20
)

// showPage is shows/<id>/index.html.
type showPage struct {
	ID, Title, Description string
	Image                  string
	Hosts                  []string
	FeedURL                string
	Apps                   []app
	// ReplaysOf, for a show with no live slot (a best-of), is the show
	// whose episodes it replays: its own feed has none, so its page
	// offers that show's podcast, not its own.
	ReplaysOf *showLink
	Webcal    template.URL
	ICS       string
	Zone      string
	Upcoming  []upcoming
	Episodes  []episode
	More      int // episodes in the feed and not on the page
}

// app is a subscribe link; its URL may have an app's own scheme, which
// html/template would otherwise refuse.
type app struct {
	Name string
	URL  template.URL
}

type upcoming struct {
	airing
	Replays string // for a rebroadcast, which episode it replays: "of “Title”"
	episode string // the episode it airs
}

// replays says which episode a rebroadcast replays: by its title once it
// is recorded, by its air date before.
func replays(episode string, titles map[string]string) string {
	if title, ok := titles[episode]; ok {
		return "of “" + title + "”"
	}
	if _, d, n, err := scheduler.ParseEpisodeID(episode); err == nil {
		which := ""
		if n > 1 { // the day's second (or third) live episode
			which = " (" + ordinal(n) + " that day)"
		}
		return "of the episode of " + d.Weekday().String() + ", " + d.Month.String() + " " + strconv.Itoa(d.Day) + which
	}
	return ""
}

// ordinal is n as "second", "third", ...: n is a day's live episode's
// number, a few at most.
func ordinal(n int) string {
	if words := []string{"", "first", "second", "third", "fourth", "fifth"}; n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n) + "th"
}

type episode struct {
	ID, Title, Notes string
	Aired            time.Time
	Length           string // "58 min"
	Audio            string
	Type             string // its MIME type
	Format           string // "MP3"
	Size             string // "4.2 MB"
}

// ShowPage is a show's page, ready to render.
type ShowPage struct {
	page page
	body *showPage
	fill func() // adds the episodes' part
}

// Key says everything the page shows that changes with time: the airings
// it lists and which is on the air. Two pages of the same show, the same
// configuration and the same episodes are the same bytes when their keys
// are equal.
func (p *ShowPage) Key() string {
	var b strings.Builder
	for _, a := range p.body.Upcoming {
		b.WriteString(a.ID)
		b.WriteByte(':')
		b.WriteString(a.State)
		b.WriteByte(' ')
	}
	return b.String()
}

// Render renders the page.
func (p *ShowPage) Render() ([]byte, error) {
	if p.fill != nil {
		p.fill()
		p.fill = nil
	}
	return execute("show", p.page)
}

// Show prepares the page of a show: shows/<id>/index.html.
func (r *Renderer) Show(set *station.Show) *ShowPage {
	const root = "../../"
	st := r.st
	pod := &set.Podcast
	sh := set.Show
	p := &showPage{
		ID: sh.ID, Title: sh.Title, Description: sh.Description,
		Image:   relative(pod.ImageURL, st.BaseURL, root),
		FeedURL: pod.FeedURL,
		Webcal:  template.URL(Webcal(st.BaseURL + "/calendar/" + sh.ID + ".ics")),
		ICS:     root + "calendar/" + sh.ID + ".ics",
		Zone:    sh.Location.String(),
	}
	for _, h := range pod.Hosts {
		p.Hosts = append(p.Hosts, h.Name)
	}
	if !sh.HasLive() {
		for _, sl := range sh.Slots {
			if of := st.Show(sl.Of); of != nil && p.ReplaysOf == nil {
				p.ReplaysOf = &showLink{Title: of.Show.Title, Href: "../" + of.ID + "/"}
			}
		}
	}
	if p.ReplaysOf == nil {
		for _, a := range SubscribeLinks(pod.FeedURL, sh.Title) {
			p.Apps = append(p.Apps, app{a.Name, template.URL(a.URL)})
		}
	}

	// What is on the air now, then what comes next: an airing leaves the
	// list at its end, the instant publish.NextChange names.
	at := r.in.At
	var next []scheduler.Airing
	for _, a := range st.Schedule.Airings(at.Add(-st.Schedule.MaxDuration()), at.Add(1), sh.ID) {
		if a.End.After(at) {
			next = append(next, a)
		}
	}
	next = append(next, st.Schedule.Next(at.Add(1), upcomingAirings, sh.ID)...)
	for _, a := range next[:min(len(next), upcomingAirings)] {
		v := upcoming{airing: r.airing(a, root)}
		if !a.Start.After(at) {
			v.State = "now"
		}
		v.Start, v.End = a.Start.In(sh.Location), a.End.In(sh.Location)
		v.episode = a.Episode
		p.Upcoming = append(p.Upcoming, v)
	}
	sp := &ShowPage{page: page{Lang: cmp.Or(pod.Language, st.Language), Title: sh.Title + " · " + st.Name, Station: st.Name, Root: root, Class: "show", Body: p,
		LD: r.showLD(p, pod.ImageURL)}, body: p}
	// The episodes are read only for a page that is rendered: a service
	// reuses most show pages at most publishes.
	sp.fill = func() {
		var eps []feeds.Episode
		if r.in.Episodes != nil {
			eps = r.in.Episodes(sh.ID)
		}
		sums := pod.Summarize(eps)
		titles := make(map[string]string, len(eps))
		for i, e := range eps {
			titles[e.Episode] = sums[i].Title
		}
		for i := range p.Upcoming {
			if v := &p.Upcoming[i]; v.Kind == "rebroadcast" {
				v.Replays = replays(v.episode, titles)
			}
		}
		for i := len(eps) - 1; i >= 0 && len(p.Episodes) < RecentEpisodes; i-- {
			p.Episodes = append(p.Episodes, r.episode(&eps[i].Recording, sums[i], root))
		}
		p.More = max(len(eps), r.in.EpisodeCounts[sh.ID]) - len(p.Episodes)
	}
	return sp
}

func (r *Renderer) episode(rec *archive.Recording, sum feeds.EpisodeSummary, root string) episode {
	e := episode{
		ID: rec.Episode, Title: sum.Title, Notes: sum.Notes, Aired: sum.Aired,
		Audio:  relative(rec.URL, r.st.BaseURL, root),
		Type:   rec.Type,
		Format: strings.ToUpper(strings.TrimPrefix(path.Ext(rec.File), ".")),
		Size:   megabytes(rec.Size),
	}
	if rec.Duration > 0 {
		e.Length = fmt.Sprintf("%d min", max(1, int(rec.Duration.Round(time.Minute)/time.Minute)))
	}
	return e
}

func megabytes(n int64) string {
	if n < 100_000 {
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
