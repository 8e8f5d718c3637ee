package scheduler

import (
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
	// episodeN numbers a live airing among its show's live airings of the
	// same local date (1, 2, ...).
	episodeN int
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
	// Whole local days, a day either side: every wall time that can
	// resolve into [from, to), and every live airing of the days it
	// touches, which episode numbering needs.
	p.walk(from, to, liveOnly, 48*time.Hour, func(slot int, w, start time.Time, exc *Exception, moved bool) {
		out = append(out, p.airing(slot, w, start, exc, moved))
	})
	slices.SortFunc(out, airingLess)
	// Two wall times of one slot can resolve to one instant (02:30 in a
	// spring-forward gap is 03:30): RFC 5545 counts such duplicates once.
	// An airing moved onto another of its slot is not one of them: both air.
	out = slices.CompactFunc(out, func(a, b Airing) bool {
		return a.Slot == b.Slot && a.Start.Equal(b.Start) && !a.Moved && !b.Moved
	})
	countEpisodes(out)
	out = slices.DeleteFunc(out, func(a Airing) bool { return a.Start.Before(from) || !a.Start.Before(to) })
	p.name(out)
	return out
}

// walk calls yield with every airing of the show that may start in
// [from, to): its slot, its scheduled wall time, its start, the exception
// that changes it and whether it was moved there; skipped and cancelled
// airings left out, in no order, and with the wall times a DST change
// folds onto one instant not yet counted once. It reaches a local day
// either side, and moved airings within margin either side.
func (p *showPlan) walk(from, to time.Time, liveOnly bool, margin time.Duration, yield func(slot int, w, start time.Time, exc *Exception, moved bool)) {
	for i := range p.Slots {
		sl := &p.Slots[i]
		if liveOnly && sl.Kind != Live {
			continue
		}
		loc := p.slotLocation(i)
		first, last, ok := sl.season(dateOf(from.In(loc)).AddDays(-1), dateOf(to.In(loc)).AddDays(1))
		if !ok {
			continue
		}
		zc := zoneCache{loc: loc}
		sl.Rule.each(first, last, func(w time.Time) bool {
			start := zc.resolve(w)
			exc := p.changes[airingKey{i, start.Unix()}]
			if exc != nil && (exc.Cancel || exc.MoveTo != nil) {
				return true // cancelled, or added where it moved to
			}
			if p.skip[dateOf(w)] {
				return true
			}
			yield(i, w, start, exc, false)
			return true
		})
	}
	for _, m := range p.moves {
		if liveOnly && p.Slots[m.slot].Kind != Live {
			continue
		}
		start := Resolve(*m.exc.MoveTo, p.Location)
		if start.Before(from.Add(-margin)) || !start.Before(to.Add(margin)) {
			continue
		}
		yield(m.slot, m.scheduled, start, m.exc, true)
	}
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

// countEpisodes numbers the live airings of each local date, in a list
// sorted by start that holds whole days.
func countEpisodes(as []Airing) {
	var day Date
	n := 0
	for i := range as {
		a := &as[i]
		if a.Kind != Live {
			continue
		}
		if d := dateOf(a.Start); d != day {
			day, n = d, 0
		}
		n++
		a.episodeN = n
	}
}

// name gives each airing its id, and each live airing its episode's.
func (p *showPlan) name(as []Airing) {
	for i := range as {
		a := &as[i]
		a.ID = p.airingID(a.Slot, a.Scheduled)
		if a.Kind == Live {
			a.Episode = EpisodeID(p.ID, dateOf(a.Start), a.episodeN)
		}
	}
}

// append2 appends n (0-99) as two digits.
func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }
