package scheduler

import (
	"fmt"
	"slices"
	"time"
)

// Airing is one concrete broadcast of a show.
type Airing struct {
	// ID is stable and unique per airing: the show and the slot's scheduled
	// local start ("prn-2026-11-29T1300"). Moving an airing keeps its ID, so
	// calendars update the event rather than add one.
	ID    string
	Show  *Show
	Slot  int // index into Show.Slots
	Kind  Kind
	Title string
	// Start and End are instants in the show's zone.
	Start, End time.Time
	// Scheduled is the slot's wall-clock start before any move, in the slot's zone.
	Scheduled DateTime
	Moved     bool
	// Episode is a live airing's episode id ("prn-2026-11-29"; a second live
	// airing on the same local date is "prn-2026-11-29-2"), or for a
	// rebroadcast the id of the episode it replays; empty when it has none.
	Episode string
	// order is the show's position in the station, for a stable sort.
	order int
}

// Duration is how long the airing lasts.
func (a Airing) Duration() time.Duration { return a.End.Sub(a.Start) }

func airingLess(a, b Airing) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	if a.order != b.order {
		return a.order - b.order
	}
	if a.Slot != b.Slot {
		return a.Slot - b.Slot
	}
	return a.Scheduled.wall().Compare(b.Scheduled.wall())
}

// generate lists the show's airings that start in [from, to), with live
// episode ids but rebroadcasts not yet resolved. With liveOnly it lists live
// airings only.
func (p *showPlan) generate(from, to time.Time, liveOnly bool) []Airing {
	var out []Airing
	for i := range p.Slots {
		sl := &p.Slots[i]
		if liveOnly && sl.Kind != Live {
			continue
		}
		loc := p.slotLocation(i)
		// Whole local days, a day either side: every wall time that can
		// resolve into [from, to), and every live airing of the days it
		// touches, which episode numbering needs.
		first, last, ok := sl.season(dateOf(from.In(loc)).AddDays(-1), dateOf(to.In(loc)).AddDays(1))
		if !ok {
			continue
		}
		sl.Rule.each(first, last, func(w time.Time) bool {
			start := resolveWall(w, loc)
			exc := p.changes[airingKey{i, start.Unix()}]
			if exc != nil && (exc.Cancel || exc.MoveTo != nil) {
				return true // cancelled, or added where it moved to
			}
			if p.skip[dateOf(w)] {
				return true
			}
			out = append(out, p.airing(i, w, start, exc, false))
			return true
		})
	}
	for _, m := range p.moves {
		if liveOnly && p.Slots[m.slot].Kind != Live {
			continue
		}
		start := Resolve(*m.exc.MoveTo, p.Location)
		if start.Before(from.Add(-48*time.Hour)) || !start.Before(to.Add(48*time.Hour)) {
			continue
		}
		out = append(out, p.airing(m.slot, m.scheduled, start, m.exc, true))
	}
	slices.SortFunc(out, airingLess)
	// Two wall times of one slot can resolve to one instant (02:30 in a
	// spring-forward gap is 03:30): RFC 5545 counts such duplicates once.
	out = slices.CompactFunc(out, func(a, b Airing) bool { return a.Slot == b.Slot && a.Start.Equal(b.Start) })
	p.number(out)
	return slices.DeleteFunc(out, func(a Airing) bool { return a.Start.Before(from) || !a.Start.Before(to) })
}

func (p *showPlan) airing(slot int, w, start time.Time, exc *Exception, moved bool) Airing {
	sl := &p.Slots[slot]
	a := Airing{
		Show: p.Show, Slot: slot, Kind: sl.Kind, Title: sl.Title,
		Start: start.In(p.Location), Scheduled: dateTimeOf(w), Moved: moved, order: p.order,
	}
	if a.Title == "" {
		a.Title = p.Title
	}
	d := sl.Duration
	if exc != nil {
		if exc.Duration > 0 {
			d = exc.Duration
		}
		if exc.Title != "" {
			a.Title = exc.Title
		}
		if sl.Kind == Rebroadcast {
			a.Episode = exc.Replay
		}
	}
	a.End = a.Start.Add(d)
	return a
}

// number gives ids to sorted airings: each airing its own, each live airing
// its episode's.
func (p *showPlan) number(as []Airing) {
	perDate := make(map[Date]int)
	seen := make(map[string]bool, len(as))
	for i := range as {
		a := &as[i]
		a.ID = fmt.Sprintf("%s-%sT%s", p.ID, a.Scheduled.Date, compactClock(a.Scheduled.Clock))
		if seen[a.ID] {
			// Two slots of one show at the same time (allowed overlap).
			a.ID = fmt.Sprintf("%s-s%d", a.ID, a.Slot)
		}
		seen[a.ID] = true
		if a.Kind == Live {
			d := dateOf(a.Start)
			perDate[d]++
			a.Episode = EpisodeID(p.ID, d, perDate[d])
		}
	}
}

// EpisodeID is the id of the nth live episode of a show on a local date:
// "prn-2026-11-29", then "prn-2026-11-29-2". Recordings are named after it.
func EpisodeID(show string, d Date, n int) string {
	if n <= 1 {
		return show + "-" + d.String()
	}
	return fmt.Sprintf("%s-%s-%d", show, d, n)
}

func compactClock(c Clock) string {
	if c.Second != 0 {
		return fmt.Sprintf("%02d%02d%02d", c.Hour, c.Minute, c.Second)
	}
	return fmt.Sprintf("%02d%02d", c.Hour, c.Minute)
}
