package publish

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/calendar"
	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/guide"
	"github.com/onair-radio/onair/internal/sink"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
	"github.com/onair-radio/onair/web"
)

// Site is every published document, by path relative to the site's root
// (feeds/prn.xml, schedule.json, calendar.ics, calendar/prn.ics, and the
// web pages: index.html, shows/prn/index.html, embed/now/index.html,
// assets/...).
type Site struct {
	At    time.Time
	Files map[string][]byte
	// Recordings are the recordings it publishes (those whose airing has
	// ended): what a query of the schedule names as an airing's media.
	Recordings Recordings
	// Media are the files on this machine the documents link to under
	// base_url/media/ (recordings, artwork, transcripts, chapters), by
	// path relative to the site's root: what object storage must hold
	// beside the documents. A show whose recordings.url names another
	// home has none here.
	Media map[string]string
}

// Paths lists the site's documents in order.
func (s *Site) Paths() []string {
	var out []string
	for p := range s.Files {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Recordings is every show's recordings, by show id.
type Recordings map[string][]archive.Recording

// Find is the recording of an episode, by its id (prn-2026-11-29); nil when
// there is none. A show's recordings are in order (archive.Scan sorts
// them), so it is a binary search.
func (r Recordings) Find(episode string) *archive.Recording {
	show, d, n, err := scheduler.ParseEpisodeID(episode)
	if err != nil {
		return nil
	}
	rs := r[show]
	i, ok := slices.BinarySearchFunc(rs, d, func(rec archive.Recording, d scheduler.Date) int {
		switch {
		case rec.Date.Before(d):
			return -1
		case d.Before(rec.Date):
			return 1
		}
		return cmp.Compare(rec.N, n)
	})
	if !ok {
		return nil
	}
	return &rs[i]
}

// AiringsJSON is airings as schedule.json and `onair next --json` give
// them, times in loc (nil: each show's zone), each with the media URL of
// the recording it plays: a rebroadcast's of the episode it replays, a
// live airing's once it is recorded.
func AiringsJSON(airings []scheduler.Airing, recs Recordings, loc *time.Location) []scheduler.AiringJSON {
	out := make([]scheduler.AiringJSON, 0, len(airings))
	for _, a := range airings {
		j := a.JSON(loc)
		if a.Episode != "" {
			if r := recs.Find(a.Episode); r != nil {
				j.Media = &r.URL
			}
		}
		out = append(out, j)
	}
	return out
}

// Scan reads the recordings of every show that names a directory. Problems
// (files left out) are returned with the rest. progress may be nil. Once
// ctx is done, the scan stops probing and returns what it has.
func Scan(ctx context.Context, st *station.Station, cache *archive.Cache, progress archive.Progress) (Recordings, []archive.Problem) {
	recs := make(Recordings)
	var problems []archive.Problem
	total, done := 0, 0
	for _, set := range st.Shows {
		if set.Recordings == nil {
			continue
		}
		var p archive.Progress
		if progress != nil {
			base := done
			p = func(d, n int) {
				total = max(total, base+n)
				progress(base+d, total)
			}
		}
		r, probs := archive.Scan(ctx, *set.Recordings, cache, p)
		recs[set.Recordings.Show] = r
		done += len(r) + len(probs)
		problems = append(problems, probs...)
	}
	return recs, problems
}

// ScheduleJSON is schedule.json: the one the site publishes, and the one
// the service computes for a query. Its keys are a contract: add, never
// rename.
type ScheduleJSON struct {
	Station StationJSON `json:"station"`
	At      string      `json:"at"` // RFC 3339, in the station's zone (or the query's tz)
	// From and To bound the airings' starts: [from, to).
	From string `json:"from"`
	To   string `json:"to"`
	// Days is how far ahead To is from From, when it is whole days (a
	// query bounded by to or count has none).
	Days    int                    `json:"days,omitempty"`
	Airings []scheduler.AiringJSON `json:"airings"`
}

// StationJSON is the station as schedule.json names it.
type StationJSON struct {
	Name     string `json:"name"`
	Timezone string `json:"timezone"`
	BaseURL  string `json:"base_url"`
}

// NewScheduleJSON is schedule.json for the airings that start in
// [at, to), days ahead (0: not whole days), with the media of recs. Times
// are in loc, or, when loc is nil, in the station's zone (at, from, to) and
// each show's (airings).
func NewScheduleJSON(st *station.Station, at, to time.Time, days int, airings []scheduler.Airing, recs Recordings, loc *time.Location) ScheduleJSON {
	out := AiringsJSON(airings, recs, loc)
	zone := cmp.Or(loc, st.Location)
	return ScheduleJSON{
		Station: StationJSON{st.Name, st.Location.String(), st.BaseURL},
		At:      at.In(zone).Format(time.RFC3339),
		From:    at.In(zone).Format(time.RFC3339),
		To:      to.In(zone).Format(time.RFC3339),
		Days:    days,
		Airings: out,
	}
}

// Encode is the document's bytes.
func (s ScheduleJSON) Encode() []byte {
	js, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // strings and numbers only
	}
	return append(js, '\n')
}

// calendarLookback is how far back the calendars reach, so that a
// subscribed calendar keeps the past week.
const calendarLookback = 7 * 24 * time.Hour

// Build renders the site as of instant at. It reads nothing: the recordings
// come in scanned. It stops, with ctx's cause, once ctx is done: between
// two documents, or within a large one's writes.
func Build(ctx context.Context, st *station.Station, recs Recordings, at time.Time) (*Site, error) {
	return build(ctx, nil, st, recs, at, nil)
}

// BuildTo is Build, giving each document to s as it is made rather than
// holding it: a large document (a busy station's calendars, guide and
// schedule are a hundred MB each) is written as it is rendered. The site
// it returns has no Files; s has them.
func BuildTo(ctx context.Context, s sink.Sink, st *station.Station, recs Recordings, at time.Time) (*Site, error) {
	return build(ctx, s, st, recs, at, nil)
}

// build is Build, to s (nil: the site's Files); with a Builder, it reuses
// the feeds, show calendars and show pages that did not change, and the
// large documents' parts (the calendars' events, schedule.json's airings,
// the guide's programmes, the week page's grid) that it has.
func build(ctx context.Context, s sink.Sink, st *station.Station, recs Recordings, at time.Time, b *Builder) (*Site, error) {
	sched := st.Schedule
	recs = Aired(st, recs, at)
	site := &Site{At: at, Recordings: recs, Media: media(st, recs)}
	if s == nil {
		mem := make(sink.Memory)
		site.Files, s = mem, mem
	}
	s = sink.Stopping(ctx, s)

	for _, set := range st.Shows {
		var doc []byte
		var err error
		if b != nil {
			doc, err = b.feed(st, set, recs, at)
		} else {
			pod := set.Podcast
			doc, err = feeds.Build(&pod, episodes(sched, set.ID, recs[set.ID]), liveAirings(sched, set.ID, at), at)
		}
		if err == nil {
			err = s.Put("feeds/"+set.ID+".xml", doc)
		}
		if err != nil {
			return nil, fmt.Errorf("publish %s: %w", set.ID, err)
		}
	}

	if err := stopped(ctx); err != nil {
		return nil, err
	}
	// The schedule, the guide and the calendars list windows of one
	// listing: the widest is listed once.
	days := st.Days()
	listed := listing(sched, at, days)
	upcoming := listed.between(at, at.Add(days))
	var parts *scheduleParts // a build without a Builder keeps nothing
	if b != nil {
		parts = &b.schedule
	}
	if err := sink.Write(s, "schedule.json", func(w io.Writer) error {
		return writeSchedule(w, parts, st, at, at.Add(days), st.ScheduleDays, upcoming, recs)
	}); err != nil {
		return nil, fmt.Errorf("publish schedule.json: %w", err)
	}

	// The guide (XMLTV, and the playlist that points at it) lists what is
	// on and what starts within the schedule's days; xmltv.xml.gz is
	// compressed as it is written.
	ch := guide.Channel{ID: guide.ChannelID(st.Name, st.BaseURL), Name: st.Name, URL: st.BaseURL + "/", Language: st.Language,
		Stream: st.StreamURL, GuideURL: st.BaseURL + "/xmltv.xml.gz"}
	var progs *guide.Programmes
	if b != nil {
		progs = &b.guide
	}
	if err := sink.Write(s, "xmltv.xml", func(w io.Writer) error {
		return sink.Write(s, "xmltv.xml.gz", func(gz io.Writer) error {
			zw := guide.NewGzipWriter(gz)
			if err := progs.Write(io.MultiWriter(w, zw), ch, programmes(st, listed.between(at.Add(-sched.MaxDuration()), at.Add(days)), at)); err != nil {
				return err
			}
			return zw.Close()
		})
	}); err != nil {
		return nil, fmt.Errorf("publish the guide: %w", err)
	}
	if m3u := guide.M3U(ch); m3u != nil {
		if err := s.Put("station.m3u", m3u); err != nil {
			return nil, fmt.Errorf("publish station.m3u: %w", err)
		}
	}

	// The calendars hold the airings that start in (at-lookback, at+days]:
	// an airing comes in at the very instant its start is days away and
	// goes at the instant it is lookback old, the instants NextChange names.
	window := listed.between(at.Add(-calendarLookback+1), at.Add(days+1))
	urls := make(map[string]string)
	for _, set := range st.Shows {
		urls[set.ID] = set.Podcast.Link
	}
	if b == nil {
		if err := writeCalendars(s, st, window, urls); err != nil {
			return nil, err
		}
	} else if err := b.writeCalendars(s, st, window, urls); err != nil {
		return nil, err
	}

	// The pages list a show's recent episodes; their count is enough of the rest.
	in := web.Input{Station: st, At: at, EpisodeCounts: make(map[string]int, len(st.Shows)),
		Episodes: func(id string) []feeds.Episode {
			rs := recs[id]
			return episodes(sched, id, rs[max(0, len(rs)-web.RecentEpisodes):])
		}}
	for id, rs := range recs {
		in.EpisodeCounts[id] = len(rs)
	}
	if b != nil {
		in.Parts = &b.parts
	}
	if err := stopped(ctx); err != nil {
		return nil, err
	}
	if err := web.RenderTo(s, in, func(set *station.Show, p *web.ShowPage) ([]byte, error) {
		if b == nil {
			return p.Render()
		}
		return b.showPage(st, set.ID, recs[set.ID], p)
	}); err != nil {
		return nil, fmt.Errorf("publish pages: %w", err)
	}
	return site, nil
}

// writeCalendars writes calendar.ics and every show's calendar in one
// pass of the window's airings, each event rendered once and written to
// the two calendars it is in: a build that keeps nothing holds no event
// past its writes.
func writeCalendars(s sink.Sink, st *station.Station, window []scheduler.Airing, urls map[string]string) (err error) {
	var files []io.Closer
	defer func() {
		for _, f := range files {
			if e := f.Close(); err == nil && e != nil {
				err = e
			}
		}
	}()
	open := func(p string, c calendar.Calendar) (*calendar.Writer, error) {
		f, err := s.Create(p)
		if err != nil {
			return nil, fmt.Errorf("publish %s: %w", p, err)
		}
		files = append(files, f)
		return calendar.NewWriter(f, c), nil
	}
	all, err := open("calendar.ics", calendar.Calendar{Name: st.Name, Zone: st.Location, URLs: urls})
	if err != nil {
		return err
	}
	writers := []*calendar.Writer{all}
	byShow := make(map[*scheduler.Show]*calendar.Writer, len(st.Shows))
	for _, set := range st.Shows {
		sh := set.Show
		w, err := open("calendar/"+sh.ID+".ics", calendar.Calendar{Name: st.Name + ": " + sh.Title, Description: sh.Description, Zone: sh.Location, URLs: urls})
		if err != nil {
			return err
		}
		byShow[sh] = w
		writers = append(writers, w)
	}
	var none *calendar.Events
	for _, a := range window {
		ev := none.Event(a, urls[a.Show.ID])
		if err := all.Event(ev); err != nil {
			return fmt.Errorf("publish calendar.ics: %w", err)
		}
		if w := byShow[a.Show]; w != nil {
			if err := w.Event(ev); err != nil {
				return fmt.Errorf("publish calendar/%s.ics: %w", a.Show.ID, err)
			}
		}
	}
	for _, w := range writers {
		if err := w.Close(); err != nil {
			return fmt.Errorf("publish the calendars: %w", err)
		}
	}
	return nil
}

// listed is a listing of airings, sorted by start (Schedule.Airings).
type listed []scheduler.Airing

// listing is what the station-wide documents at at list: the airings that
// start from the guide's and the calendars' earliest to the calendars'
// end.
func listing(sched *scheduler.Schedule, at time.Time, days time.Duration) listed {
	from := at.Add(-calendarLookback + 1)
	if onNow := at.Add(-sched.MaxDuration()); onNow.Before(from) {
		from = onNow // the guide lists what is on at at
	}
	return sched.Airings(from, at.Add(days+1))
}

// between is the airings of l that start in [from, to): what
// Schedule.Airings(from, to) lists, when l covers it.
func (l listed) between(from, to time.Time) []scheduler.Airing {
	i, _ := slices.BinarySearchFunc(l, from, func(a scheduler.Airing, t time.Time) int { return a.Start.Compare(t) })
	j, _ := slices.BinarySearchFunc(l, to, func(a scheduler.Airing, t time.Time) int { return a.Start.Compare(t) })
	return l[i:j:j]
}

// media maps the files the documents link to under base_url/media/ to the
// files of the archives that they are.
func media(st *station.Station, recs Recordings) map[string]string {
	out := make(map[string]string)
	for _, set := range st.Shows {
		src := set.Recordings
		prefix := "media/" + set.ID + "/"
		if src == nil || src.URL != st.BaseURL+"/"+prefix {
			continue
		}
		add := func(name string) {
			if name != "" && !strings.ContainsAny(name, `/\`) {
				out[prefix+name] = filepath.Join(src.Dir, name)
			}
		}
		// The recordings were checked by the scan; the other files a
		// document links to are checked here: none that leads outside
		// the directory is published.
		addChecked := func(name string) {
			if name != "" && archive.Inside(src.Dir, filepath.Join(src.Dir, name)) == nil {
				add(name)
			}
		}
		if set.ImageFile != "" {
			addChecked(filepath.Base(set.ImageFile))
		}
		for _, r := range recs[set.ID] {
			add(r.File)
			if r.Sidecar != nil {
				for _, link := range []string{r.Sidecar.Image, r.Sidecar.Transcript, r.Sidecar.Chapters} {
					if name, ok := strings.CutPrefix(link, st.BaseURL+"/"+prefix); ok {
						addChecked(name)
					}
				}
			}
		}
	}
	return out
}

// programmes are the guide's airings, one at a time: those of as that
// have not ended at at, with what the shows say of themselves, and for
// each rebroadcast the start of the live airing it replays.
func programmes(st *station.Station, as []scheduler.Airing, at time.Time) iter.Seq[guide.Programme] {
	return func(yield func(guide.Programme) bool) {
		starts := liveStarts{sched: st.Schedule}
		cats := make(map[string][]string, len(st.Shows)) // one slice a show, shared
		for _, a := range as {
			if !a.End.After(at) {
				continue
			}
			set := st.Show(a.Show.ID)
			c, ok := cats[set.ID]
			if !ok {
				for _, cat := range set.Podcast.Categories {
					c = append(c, cat.Name)
					if cat.Sub != "" {
						c = append(c, cat.Sub)
					}
				}
				cats[set.ID] = c
			}
			p := guide.Programme{Airing: a, Description: a.Show.Description, Image: set.Podcast.ImageURL, URL: set.Podcast.Link, Categories: c}
			if a.Kind == scheduler.Rebroadcast && a.Episode != "" {
				p.Replays = starts.of(a.Episode)
			}
			if !yield(p) {
				return
			}
		}
	}
}

// liveStarts says when the live airing of an episode started; zero when
// the schedule does not know it. It lists a show's live airings around a
// date once, for every episode of that date: a guide's rebroadcasts replay
// a few episodes many times.
type liveStarts struct {
	sched  *scheduler.Schedule
	listed map[showDate]bool
	start  map[string]time.Time
}

type showDate struct {
	show string
	date scheduler.Date
}

func (l *liveStarts) of(episode string) time.Time {
	if t, ok := l.start[episode]; ok {
		return t
	}
	show, d, _, err := scheduler.ParseEpisodeID(episode)
	sh := l.sched.Show(show)
	if err != nil || sh == nil || l.listed[showDate{show, d}] {
		return time.Time{}
	}
	if l.listed == nil {
		l.listed, l.start = make(map[showDate]bool), make(map[string]time.Time)
	}
	l.listed[showDate{show, d}] = true
	// An episode's date is its live airing's local date; the day either
	// side covers a zone's offset and an airing moved across midnight.
	from := scheduler.Resolve(scheduler.DateTime{Date: d.AddDays(-1)}, sh.Location)
	to := scheduler.Resolve(scheduler.DateTime{Date: d.AddDays(2)}, sh.Location)
	for _, a := range l.sched.LiveAirings(from, to, show) {
		if _, ok := l.start[a.Episode]; !ok {
			l.start[a.Episode] = a.Start
		}
	}
	return l.start[episode]
}

// stopped is ctx's cause, once ctx is done: a build that is stopped ends
// between two documents, and publishes nothing.
func stopped(ctx context.Context) error {
	if ctx.Err() != nil {
		return fmt.Errorf("publish: stopped: %w", context.Cause(ctx))
	}
	return nil
}

// episodes pairs a show's recordings with the live airings they recorded.
func episodes(sched *scheduler.Schedule, show string, recs []archive.Recording) []feeds.Episode {
	if len(recs) == 0 {
		return nil
	}
	loc := sched.Show(show).Location
	from := scheduler.Resolve(scheduler.DateTime{Date: recs[0].Date.AddDays(-1)}, loc)
	to := scheduler.Resolve(scheduler.DateTime{Date: recs[len(recs)-1].Date.AddDays(2)}, loc)
	byEpisode := make(map[string]scheduler.Airing)
	for _, a := range sched.LiveAirings(from, to, show) {
		byEpisode[a.Episode] = a
	}
	out := make([]feeds.Episode, len(recs))
	for i, r := range recs {
		out[i] = feeds.Episode{Recording: r}
		if a, ok := byEpisode[r.Episode]; ok {
			out[i].Airing = &a
		}
	}
	return out
}

// liveAirings are the show's live airings that may have a podcast:liveItem
// as of at: those within the live horizon either side, and the next one
// however far.
func liveAirings(sched *scheduler.Schedule, show string, at time.Time) []scheduler.Airing {
	var out []scheduler.Airing
	pending := false
	for _, a := range sched.LiveAirings(at.Add(-feeds.LiveHorizon-sched.MaxDuration()), at.Add(feeds.LiveHorizon), show) {
		out = append(out, a)
		pending = pending || !a.Start.Before(at)
	}
	if !pending {
		if a, ok := sched.NextLive(at, show); ok {
			out = append(out, a)
		}
	}
	return out
}

// Aired is recs without the recordings of live airings that have not
// ended at at (a file made ahead of its airing, or named so by mistake):
// an episode is published once it has aired, not beside its own pending
// live item. A recording whose date the schedule does not know waits for
// the start of that date. Where nothing waits, a show's list is the same
// slice (a Builder reuses its feed).
func Aired(st *station.Station, recs Recordings, at time.Time) Recordings {
	var out Recordings
	for show, rs := range recs {
		if kept := aired(st, show, rs, at); len(kept) != len(rs) {
			if out == nil {
				out = maps.Clone(recs)
			}
			out[show] = kept
		}
	}
	if out == nil {
		return recs
	}
	return out
}

func aired(st *station.Station, show string, rs []archive.Recording, at time.Time) []archive.Recording {
	sh := st.Show(show)
	if sh == nil || len(rs) == 0 {
		return rs
	}
	// Only the newest can be waiting: those dated from the day before the
	// longest airing could have started.
	since := scheduler.Date{Year: at.Year(), Month: at.Month(), Day: at.Day()}.AddDays(-1 - int(st.Schedule.MaxDuration()/(24*time.Hour)))
	first := len(rs)
	for first > 0 && !rs[first-1].Date.Before(since) {
		first--
	}
	if first == len(rs) {
		return rs
	}
	ends := make(map[string]time.Time)
	from := scheduler.Resolve(scheduler.DateTime{Date: rs[first].Date.AddDays(-1)}, sh.Location)
	to := scheduler.Resolve(scheduler.DateTime{Date: rs[len(rs)-1].Date.AddDays(2)}, sh.Location)
	for _, a := range st.Schedule.LiveAirings(from, to, show) {
		ends[a.Episode] = a.End
	}
	kept := rs[:first:first]
	for _, r := range rs[first:] {
		end, ok := ends[r.Episode]
		if !ok {
			end = scheduler.Resolve(scheduler.DateTime{Date: r.Date}, sh.Location)
		}
		if !end.After(at) {
			kept = append(kept, r)
		}
	}
	if len(kept) == len(rs) {
		return rs
	}
	return kept
}

// Unaired is each show's recordings whose episode no live airing of the
// show has: a file dated a day the show does not air live (or a second
// episode of a day with one airing). They are published, dated by their
// name, but belong to no airing, so `onair check` asks about them. Shows
// with no live slots (a podcast only) have none.
func Unaired(st *station.Station, recs Recordings) Recordings {
	out := make(Recordings)
	for _, set := range st.Shows {
		live := false
		for _, sl := range set.Slots {
			live = live || sl.Kind == scheduler.Live
		}
		if !live {
			continue
		}
		for _, e := range episodes(st.Schedule, set.ID, recs[set.ID]) {
			if e.Airing == nil {
				out[set.ID] = append(out[set.ID], e.Recording)
			}
		}
	}
	return out
}
