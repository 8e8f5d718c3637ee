package feeds

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/eduncan911/podcast"
	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/scheduler"
)

// Owner is who answers for a podcast: itunes:owner, and podcast:locked's owner.
type Owner struct{ Name, Email string }

// Numbering says how episodes are numbered.
const (
	NumberNone       = "none"       // no itunes:episode
	NumberSequential = "sequential" // 1, 2, 3... from the oldest recording
	NumberYearly     = "yearly"     // season = year, episodes counted within it
)

// DefaultEpisodeTitle is the title of an episode that neither its sidecar
// nor its tags name.
const DefaultEpisodeTitle = "{title}, {date}"

// Podcast is a show's podcast channel: what the feed says about the show.
type Podcast struct {
	Show       *scheduler.Show
	FeedURL    string // where the feed is served: atom:link rel="self", podcast:guid
	Link       string // the show's web page
	ImageURL   string
	Language   string
	Copyright  string
	Author     string
	Owner      Owner
	Categories []Category
	Explicit   bool
	Locked     bool
	GUID       string // podcast:guid; derived from FeedURL when empty
	Hosts      []archive.Person
	StreamURL  string // the live stream, for podcast:liveItem
	StreamType string // its MIME type
	// EpisodeTitle is the template of an episode's title: {title} (the
	// show's), {date} (the air date, "November 29, 2026"), {episode} (its id).
	EpisodeTitle string
	Numbering    string
	// UpdateFrequency is an RFC 5545 rule for podcast:updateFrequency, empty for none.
	UpdateFrequency string
	// Hubs are the WebSub hubs told of every change (atom:link rel="hub");
	// Podping says that Podping is told (podcast:podping).
	Hubs    []string
	Podping bool
}

// Episode is a recording with the live airing it recorded, when the
// schedule knows that airing.
type Episode struct {
	archive.Recording
	Airing *scheduler.Airing
}

// LiveHorizon is how far ahead live airings get a podcast:liveItem (the next
// one always does), and how long an ended one stays while its recording has
// not appeared.
const LiveHorizon = 7 * 24 * time.Hour

// maxDescription is Apple's limit on a description, in bytes.
const maxDescription = 4000

// Build renders the podcast's feed as of instant at: an item per episode,
// newest first, and a podcast:liveItem for each live airing in lives that is
// pending, live, or ended and not yet recorded. episodes must be oldest
// first (as archive.Scan returns them).
func Build(p *Podcast, episodes []Episode, lives []scheduler.Airing, at time.Time) ([]byte, error) {
	sh := p.Show
	description := truncateBytes(clean(cmp.Or(sh.Description, sh.Title)), maxDescription)
	ch := &channel{Podcast: podcast.New(clean(sh.Title), p.Link, description, nil, nil)}
	c := &ch.Podcast
	// New fills in the clock, en-us and a stale generator: replace them.
	c.PubDate, c.LastBuildDate = "", ""
	c.Language = cmp.Or(p.Language, "en")
	c.Generator = "onair"
	c.Copyright = clean(p.Copyright)
	c.IAuthor = clean(p.Author)
	c.IExplicit = strconv.FormatBool(p.Explicit)
	c.ISummary = &podcast.ISummary{Text: description}
	ch.AtomLinks = append(ch.AtomLinks, atomLink{Href: p.FeedURL, Rel: "self", Type: "application/rss+xml"})
	for _, h := range p.Hubs {
		ch.AtomLinks = append(ch.AtomLinks, atomLink{Href: h, Rel: "hub"})
	}
	if p.Podping {
		ch.Podping = &podpingTag{UsesPodping: "true"}
	}
	c.AddImage(p.ImageURL)
	if p.Owner.Email != "" {
		c.IOwner = &podcast.Author{Name: clean(p.Owner.Name), Email: p.Owner.Email}
	}
	for _, cat := range p.Categories {
		var subs []string
		if cat.Sub != "" {
			subs = []string{cat.Sub}
		}
		c.AddCategory(cat.Name, subs)
	}
	ch.IType = "episodic"
	ch.GUID = cmp.Or(p.GUID, PodcastGUID(p.FeedURL))
	if p.Locked {
		ch.Locked = &locked{Owner: p.Owner.Email, Value: "yes"}
	} else {
		ch.Locked = &locked{Value: "no"}
	}
	ch.Persons = persons(p.Hosts, "host")
	if p.UpdateFrequency != "" {
		ch.UpdateFrequency = &updateFrequency{RRule: p.UpdateFrequency, Value: describeRRule(p.UpdateFrequency)}
	}

	// The content's own time, never the clock's nor a file's: the newest
	// episode's air time, or the last change of a live item.
	var newest time.Time
	recorded := make(map[string]bool, len(episodes))
	numbers := number(episodes, p.Numbering)
	titles := p.titleTemplate()
	for i := len(episodes) - 1; i >= 0; i-- {
		e := &episodes[i]
		recorded[e.Episode] = true
		it, err := p.item(c, e, numbers[i], titles)
		if err != nil {
			return nil, fmt.Errorf("episode %s: %w", e.Episode, err)
		}
		ch.Items = append(ch.Items, it)
		newest = latest(newest, *it.Item.PubDate)
	}
	if len(ch.Items) > 0 {
		c.PubDate = ch.Items[0].PubDateFormatted
	}

	for _, a := range lives {
		li, changed, ok := p.liveItem(a, at, recorded[a.Episode])
		if ok {
			ch.LiveItems = append(ch.LiveItems, li)
			newest = latest(newest, changed)
		}
	}
	if !newest.IsZero() {
		c.LastBuildDate = newest.In(sh.Location).Format(time.RFC1123Z)
	}

	// Size the buffer from the content, to grow it once rather than through
	// every doubling of a large feed.
	size := 8<<10 + 1500*len(ch.LiveItems)
	for _, it := range ch.Items {
		size += 420 + len(it.Title) + len(it.Description) + 2*len(it.Link) + len(it.Enclosure.URL)
	}
	var buf bytes.Buffer
	buf.Grow(size)
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	doc := rssDoc{Version: "2.0", Itunes: nsItunes, Atom: nsAtom, Podcast: nsPodcast, Channel: ch}
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode feed of %s: %w", sh.ID, err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func (p *Podcast) item(c *podcast.Podcast, e *Episode, n episodeNumber, titles *titleTemplate) (*item, error) {
	sh := p.Show
	side := e.Sidecar
	if side == nil {
		side = &archive.Sidecar{}
	}
	pubDate := e.aired(sh)
	title := e.title(sh, side, titles, pubDate)
	notes := truncateBytes(clean(cmp.Or(side.Notes, e.Comment, sh.Description, title)), maxDescription)
	it := podcast.Item{
		Title:       title,
		Description: notes,
		Link:        p.Link + "#" + e.Episode,
		PubDate:     &pubDate,
	}
	typ := podcast.MP3
	if e.Type == archive.Extensions["m4a"] {
		typ = podcast.M4A
	}
	it.AddEnclosure(e.URL, typ, e.Size)
	if _, err := c.AddItem(it); err != nil {
		return nil, err
	}
	// AddItem stored a copy with its formatted fields: take it back.
	added := c.Items[len(c.Items)-1]
	c.Items = c.Items[:len(c.Items)-1]
	// AddItem copies the channel's author into every item; Apple reads it
	// from the channel.
	added.IAuthor, added.Author, added.AuthorFormatted = "", nil, ""
	if secs := int64(e.Duration.Round(time.Second) / time.Second); secs > 0 {
		added.IDuration = strconv.FormatInt(secs, 10)
	}
	// An item says explicit only where it differs from the channel.
	if side.Explicit != nil && *side.Explicit != p.Explicit {
		added.IExplicit = strconv.FormatBool(*side.Explicit)
	}
	// AddItem also copies the channel's image into every item; an item
	// carries one only when it has its own.
	added.IImage = nil
	if side.Image != "" {
		added.IImage = &podcast.IImage{HREF: side.Image}
	}
	out := &item{
		Item:        added,
		GUID:        guid{IsPermaLink: "false", Value: e.Episode},
		EpisodeType: cmp.Or(side.EpisodeType, "full"),
		Season:      n.season, Episode: n.episode, PSeason: n.season, PEpisode: n.episode,
		Persons: persons(side.Guests, "guest"),
	}
	if side.Transcript != "" {
		out.Transcript = &transcript{URL: side.Transcript, Type: cmp.Or(side.TranscriptType, transcriptType(side.Transcript))}
	}
	if side.Chapters != "" {
		out.Chapters = &chapters{URL: side.Chapters, Type: "application/json+chapters"}
	}
	return out, nil
}

// titleTemplate is an episode-title template split at its placeholders
// once per feed, rather than once per episode.
type titleTemplate struct {
	parts []string // literal text, and "{date}" and "{episode}" as themselves
}

// aired is when the episode aired: its live airing's start, or for an
// episode the schedule does not know (archived before onair, say) the start
// of its air date.
func (e *Episode) aired(sh *scheduler.Show) time.Time {
	if e.Airing != nil {
		return e.Airing.Start
	}
	return scheduler.Resolve(scheduler.DateTime{Date: e.Date}, sh.Location)
}

// title is the episode's title: its sidecar's, its tags', or the show's
// template's.
func (e *Episode) title(sh *scheduler.Show, side *archive.Sidecar, titles *titleTemplate, aired time.Time) string {
	title := side.Title
	if title == "" {
		title = e.Title
	}
	if title == "" {
		airing := sh.Title
		if e.Airing != nil {
			airing = e.Airing.Title // a special's own title
		}
		title = titles.render(e.Episode, aired.In(sh.Location), airing)
	}
	return clean(title)
}

// TitleOf is the title the show's template gives an episode whose airing
// (titled airingTitle: a special's own, else the show's) began at aired:
// what a recording's title tag holds.
func (p *Podcast) TitleOf(episode string, aired time.Time, airingTitle string) string {
	return clean(p.titleTemplate().render(episode, aired.In(p.Show.Location), cmp.Or(airingTitle, p.Show.Title)))
}

// EpisodeSummary is what the feed says of an episode, for other renderings
// of it (the show's web page).
type EpisodeSummary struct {
	Title string
	Aired time.Time // in the show's zone
	Notes string    // the sidecar's notes or the file's comment; empty without
}

// Summarize says of each episode what its feed item says.
func (p *Podcast) Summarize(episodes []Episode) []EpisodeSummary {
	titles := p.titleTemplate()
	out := make([]EpisodeSummary, len(episodes))
	for i := range episodes {
		e := &episodes[i]
		side := e.Sidecar
		if side == nil {
			side = &archive.Sidecar{}
		}
		aired := e.aired(p.Show).In(p.Show.Location)
		out[i] = EpisodeSummary{Title: e.title(p.Show, side, titles, aired), Aired: aired, Notes: clean(cmp.Or(side.Notes, e.Comment))}
	}
	return out
}

func (p *Podcast) titleTemplate() *titleTemplate {
	t := cmp.Or(p.EpisodeTitle, DefaultEpisodeTitle)
	tt := &titleTemplate{}
	for t != "" {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			tt.parts = append(tt.parts, t)
			break
		}
		for _, ph := range []string{"{title}", "{date}", "{episode}"} {
			if strings.HasPrefix(t[i:], ph) {
				tt.parts = append(tt.parts, t[:i], ph)
				t = t[i+len(ph):]
				i = -1
				break
			}
		}
		if i >= 0 { // a brace that is no placeholder: keep it
			tt.parts = append(tt.parts, t[:i+1])
			t = t[i+1:]
		}
	}
	return tt
}

// render is the title of episode, whose airing is titled title and began
// at pub. A second or third live episode of a day is told from the first,
// (2), when the template names no {episode}.
func (tt *titleTemplate) render(episode string, pub time.Time, title string) string {
	var b strings.Builder
	numbered := false
	for _, part := range tt.parts {
		switch part {
		case "{title}":
			b.WriteString(title)
		case "{date}":
			b.WriteString(pub.Format("January 2, 2006"))
		case "{episode}":
			b.WriteString(episode)
			numbered = true
		default:
			b.WriteString(part)
		}
	}
	if _, _, n, err := scheduler.ParseEpisodeID(episode); err == nil && n > 1 && !numbered {
		fmt.Fprintf(&b, " (%d)", n)
	}
	return b.String()
}

// liveItem describes a live airing as of at. ok is false when it has no
// place in the feed: further off than the horizon (unless it is the next),
// or ended and either recorded or longer ago than the horizon. changed is
// when its status last changed, at or before at.
func (p *Podcast) liveItem(a scheduler.Airing, at time.Time, recorded bool) (li liveItem, changed time.Time, ok bool) {
	status, changed, ok := liveStatus(a, at, recorded)
	if !ok {
		return li, changed, false
	}
	li = liveItem{
		Status: status,
		Start:  a.Start.Format(time.RFC3339),
		End:    a.End.Format(time.RFC3339),
		Title:  clean(a.Title + " (live)"),
		Link:   p.Link,
		GUID:   guid{IsPermaLink: "false", Value: a.Episode},
	}
	if d := clean(p.Show.Description); d != "" {
		li.Description = truncateBytes(d, maxDescription)
	}
	if p.StreamURL != "" {
		li.Enclosure = &podcast.Enclosure{URL: p.StreamURL, TypeFormatted: cmp.Or(p.StreamType, "audio/mpeg"), LengthFormatted: "0"}
	}
	if p.Link != "" {
		li.ContentLink = &contentLink{Href: p.Link, Value: "Listen live"}
	}
	li.Persons = persons(p.Hosts, "host")
	return li, changed, true
}

// liveStatus is a live airing's podcast:liveItem status as of at, and when
// it last changed; ok is false when the airing has no live item.
func liveStatus(a scheduler.Airing, at time.Time, recorded bool) (status string, changed time.Time, ok bool) {
	switch {
	case at.Before(a.Start):
		return "pending", changed, true
	case at.Before(a.End):
		return "live", a.Start, true
	case recorded || at.Sub(a.End) > LiveHorizon:
		return "", changed, false
	}
	return "ended", a.End, true
}

// LiveState says, in a string, everything about a feed's live items that
// depends on the instant at: which live airings have an item and in which
// status. Two instants with the same LiveState (and the same podcast and
// episodes) give the same feed; publish uses it to skip rebuilding feeds
// that did not change.
// recorded holds the ids of the episodes that have recordings.
func LiveState(recorded map[string]bool, lives []scheduler.Airing, at time.Time) string {
	var b strings.Builder
	for _, a := range lives {
		if status, _, ok := liveStatus(a, at, recorded[a.Episode]); ok {
			b.WriteString(a.ID)
			b.WriteByte('=')
			b.WriteString(status)
			b.WriteByte(' ')
		}
	}
	return b.String()
}

type episodeNumber struct{ season, episode int }

// number numbers episodes (oldest first) as the podcast says.
func number(es []Episode, how string) []episodeNumber {
	out := make([]episodeNumber, len(es))
	year, n := 0, 0
	for i, e := range es {
		switch how {
		case NumberSequential:
			out[i].episode = i + 1
		case NumberYearly:
			if e.Date.Year != year {
				year, n = e.Date.Year, 0
			}
			n++
			out[i] = episodeNumber{season: year, episode: n}
		}
	}
	return out
}

func persons(ps []archive.Person, role string) []person {
	var out []person
	for _, p := range ps {
		out = append(out, person{Role: cmp.Or(p.Role, role), Img: p.Img, Href: p.Href, Value: clean(p.Name)})
	}
	return out
}

// transcriptType guesses a transcript's MIME type from its URL.
func transcriptType(url string) string {
	switch {
	case strings.HasSuffix(url, ".vtt"):
		return "text/vtt"
	case strings.HasSuffix(url, ".srt"):
		return "application/x-subrip"
	case strings.HasSuffix(url, ".json"):
		return "application/json"
	case strings.HasSuffix(url, ".html"):
		return "text/html"
	}
	return "text/plain"
}

// describeRRule says an RRULE in words, as podcast:updateFrequency's text.
func describeRRule(rule string) string {
	switch {
	case strings.HasPrefix(rule, "FREQ=DAILY"):
		return "Daily"
	case strings.Contains(rule, "INTERVAL=2") && strings.HasPrefix(rule, "FREQ=WEEKLY"):
		return "Biweekly"
	case strings.HasPrefix(rule, "FREQ=WEEKLY"):
		return "Weekly"
	case strings.HasPrefix(rule, "FREQ=MONTHLY"):
		return "Monthly"
	}
	return "Periodic"
}

func latest(ts ...time.Time) time.Time {
	var m time.Time
	for _, t := range ts {
		if t.After(m) {
			m = t
		}
	}
	return m
}
