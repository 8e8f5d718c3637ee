package publish

import (
	"context"
	"fmt"
	"io"
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

// Builder builds the same sites as Build, remembering each show's feed,
// calendar and page, so that a publish rebuilds only those whose inputs
// changed: the configuration, the show's recordings, the state of its live
// items, the airings in its calendar's window. It keeps the station-wide
// documents' parts too (the calendars' events, schedule.json's airings,
// the guide's programmes, the week page's grid), each keyed by all it
// says, and writes at an air time only those new to the window. A service
// publishing a large station at every air time rebuilds a few feeds, not
// all. It is not safe for concurrent use.
type Builder struct {
	memo      map[string]*feedMemo
	calendars map[string]*calendarMemo
	pages     map[string]*pageMemo
	events    calendar.Events
	parts     web.Parts        // the week page's grid
	schedule  scheduleParts    // schedule.json's airings
	guide     guide.Programmes // xmltv.xml's
	// Rebuilt counts the feeds built (not reused) by the last Build, and
	// RenderedShows the show pages rendered.
	Rebuilt, RenderedShows int
}

type feedMemo struct {
	st       *station.Station
	recs     []archive.Recording // the scan this feed was built from (compared by identity)
	recorded map[string]bool
	live     string // feeds.LiveState
	doc      []byte
}

// calendarMemo is a show's calendar and the airings it was made of: given
// the configuration, an airing's id determines all it says.
type calendarMemo struct {
	st  *station.Station
	ids string
	doc []byte
}

// Build is publish.Build, reusing what it can.
func (b *Builder) Build(ctx context.Context, st *station.Station, recs Recordings, at time.Time) (*Site, error) {
	if b.memo == nil {
		b.memo, b.calendars, b.pages = make(map[string]*feedMemo), make(map[string]*calendarMemo), make(map[string]*pageMemo)
	}
	b.Rebuilt, b.RenderedShows = 0, 0
	return build(ctx, nil, st, recs, at, b)
}

// pageMemo is a show's page and what it was made of: the configuration,
// the show's recordings (their scan, by identity) and the page's key (the
// airings it lists and their states).
type pageMemo struct {
	st   *station.Station
	recs []archive.Recording
	key  string
	doc  []byte
}

func (b *Builder) showPage(st *station.Station, show string, recs []archive.Recording, p *web.ShowPage) ([]byte, error) {
	key := p.Key()
	if m := b.pages[show]; m != nil && m.st == st && sameScan(m.recs, recs) && m.key == key {
		return m.doc, nil
	}
	doc, err := p.Render()
	if err != nil {
		return nil, err
	}
	b.RenderedShows++
	b.pages[show] = &pageMemo{st: st, recs: recs, key: key, doc: doc}
	return doc, nil
}

// writeCalendars writes calendar.ics and every show's calendar from the
// events the Builder keeps: a show's calendar whose airings did not
// change is the one it made before.
func (b *Builder) writeCalendars(s sink.Sink, st *station.Station, window []scheduler.Airing, urls map[string]string) error {
	events := &b.events
	events.Turn()
	if err := sink.Write(s, "calendar.ics", func(w io.Writer) error {
		return events.Write(w, calendar.Calendar{Name: st.Name, Zone: st.Location, URLs: urls}, window)
	}); err != nil {
		return fmt.Errorf("publish calendar.ics: %w", err)
	}
	byShow := make(map[*scheduler.Show][]scheduler.Airing, len(st.Shows))
	for _, a := range window {
		byShow[a.Show] = append(byShow[a.Show], a)
	}
	for _, set := range st.Shows {
		sh := set.Show
		mine := byShow[sh]
		c := calendar.Calendar{Name: st.Name + ": " + sh.Title, Description: sh.Description, Zone: sh.Location, URLs: urls}
		p := "calendar/" + sh.ID + ".ics"
		if err := s.Put(p, b.calendar(st, sh.ID, mine, func() []byte { return events.Build(c, mine) })); err != nil {
			return fmt.Errorf("publish %s: %w", p, err)
		}
	}
	return nil
}

func (b *Builder) calendar(st *station.Station, show string, airings []scheduler.Airing, render func() []byte) []byte {
	var ids strings.Builder
	for _, a := range airings {
		ids.WriteString(a.ID)
		ids.WriteByte(' ')
	}
	if m := b.calendars[show]; m != nil && m.st == st && m.ids == ids.String() {
		return m.doc
	}
	doc := render()
	b.calendars[show] = &calendarMemo{st: st, ids: ids.String(), doc: doc}
	return doc
}

func (b *Builder) feed(st *station.Station, set *station.Show, recs Recordings, at time.Time) ([]byte, error) {
	id, sched := set.ID, st.Schedule
	rs := recs[id]
	m := b.memo[id]
	if m == nil || m.st != st || !sameScan(m.recs, rs) {
		m = &feedMemo{st: st, recs: rs, recorded: make(map[string]bool, len(rs))}
		for _, r := range rs {
			m.recorded[r.Episode] = true
		}
		b.memo[id] = m
	}
	lives := liveAirings(sched, id, at)
	state := feeds.LiveState(m.recorded, lives, at)
	if m.doc != nil && state == m.live {
		return m.doc, nil
	}
	pod := set.Podcast
	doc, err := feeds.Build(&pod, episodes(sched, id, rs), lives, at)
	if err != nil {
		return nil, err
	}
	m.live, m.doc = state, doc
	b.Rebuilt++
	return doc, nil
}

// sameScan says whether two recording lists are the same scan's.
func sameScan(a, b []archive.Recording) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
