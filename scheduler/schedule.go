package scheduler

import (
	"fmt"
	"time"
)

// Schedule is a station prepared for questions: exceptions bound to the
// airings they change, skip dates indexed. It is immutable and safe for
// concurrent use.
type Schedule struct {
	Station *Station
	shows   []*showPlan
	byID    map[string]*showPlan
	// maxDuration is the longest any airing lasts: how far back an airing
	// that is still on air may have started.
	maxDuration time.Duration
}

// showPlan is a show with its exceptions bound to slots.
type showPlan struct {
	*Show
	order    int
	skip     map[Date]bool
	changes  map[airingKey]*Exception // scheduled airings that are changed
	moves    []move                   // airings moved elsewhere
	unbound  []Problem                // exceptions that change nothing
	hasRebro bool
	ids      []idForm    // each slot's, decided once
	source   []*showPlan // each slot's: whose episodes a rebroadcast replays
	// maxDuration is the longest of the show's airings.
	maxDuration time.Duration
}

// airingKey names a scheduled airing: its slot and its scheduled instant.
type airingKey struct {
	slot int
	unix int64
}

type move struct {
	slot      int
	scheduled time.Time // wall time, in the slot's zone
	exc       *Exception
}

// New prepares a station for questions. It never fails: exceptions that
// match no airing are kept as problems for [Schedule.Check].
func New(st *Station) *Schedule {
	s := &Schedule{Station: st, byID: make(map[string]*showPlan)}
	for i, sh := range st.Shows {
		p := &showPlan{Show: sh, order: i, skip: make(map[Date]bool), changes: make(map[airingKey]*Exception), ids: idForms(sh.Slots)}
		for _, d := range sh.Skip {
			p.skip[d] = true
		}
		for _, d := range st.Skip {
			p.skip[d] = true
		}
		for _, sl := range sh.Slots {
			p.maxDuration = max(p.maxDuration, sl.Duration)
			p.hasRebro = p.hasRebro || sl.Kind == Rebroadcast
		}
		for j := range sh.Exceptions {
			e := &sh.Exceptions[j]
			p.maxDuration = max(p.maxDuration, e.Duration)
			p.bind(j, e)
		}
		s.maxDuration = max(s.maxDuration, p.maxDuration)
		s.shows = append(s.shows, p)
		s.byID[sh.ID] = p
	}
	// A rebroadcast replays its own show's episodes, or those of the show
	// it names.
	for _, p := range s.shows {
		p.source = make([]*showPlan, len(p.Slots))
		for i, sl := range p.Slots {
			p.source[i] = p
			if src := s.byID[sl.Of]; sl.Of != "" && src != nil {
				p.source[i] = src
			}
		}
	}
	return s
}

// bind finds the scheduled airing an exception names.
func (p *showPlan) bind(idx int, e *Exception) {
	at := Resolve(e.Airing, p.Location)
	for i := range p.Slots {
		w, ok := p.slotAiringAt(i, at)
		if !ok {
			continue
		}
		key := airingKey{i, at.Unix()}
		if _, dup := p.changes[key]; dup {
			p.unbound = append(p.unbound, Problem{Show: p.ID, Exception: idx, Slot: -1,
				Message: fmt.Sprintf("another exception already changes the airing at %s", e.Airing)})
			return
		}
		if e.Replay != "" && p.Slots[i].Kind != Rebroadcast {
			p.unbound = append(p.unbound, Problem{Show: p.ID, Exception: idx, Slot: -1,
				Message: fmt.Sprintf("replay is set on the airing at %s, which is live; replay applies to rebroadcasts", e.Airing)})
			return
		}
		// A rebroadcast replays an episode that has aired: judged by the
		// day it airs on, where it is moved to if it is moved.
		airing, airs := e.Airing.String(), e.Airing.Date
		if e.MoveTo != nil {
			airing, airs = fmt.Sprintf("%s, moved to %s,", e.Airing, *e.MoveTo), e.MoveTo.Date
		}
		if _, d, _, err := ParseEpisodeID(e.Replay); err == nil && airs.Before(d) {
			p.unbound = append(p.unbound, Problem{Show: p.ID, Exception: idx, Slot: -1,
				Message: fmt.Sprintf("the airing at %s cannot replay %s, which airs later", airing, e.Replay)})
			return
		}
		p.changes[key] = e
		if e.MoveTo != nil && !e.Cancel {
			p.moves = append(p.moves, move{slot: i, scheduled: w, exc: e})
		}
		return
	}
	p.unbound = append(p.unbound, Problem{Show: p.ID, Exception: idx, Slot: -1,
		Message: fmt.Sprintf("no airing of %s is scheduled at %s %s", p.ID, e.Airing, p.Location)})
}

// slotAiringAt reports whether slot i has an airing starting at instant at,
// and its wall time.
func (p *showPlan) slotAiringAt(i int, at time.Time) (time.Time, bool) {
	loc := p.slotLocation(i)
	d := dateOf(at.In(loc))
	first, last, ok := p.Slots[i].season(d.AddDays(-1), d.AddDays(1))
	var found time.Time
	if ok {
		p.Slots[i].Rule.each(first, last, func(w time.Time) bool {
			if resolveWall(w, loc).Equal(at) {
				found = w
				return false
			}
			return true
		})
	}
	return found, !found.IsZero()
}

// season clamps first..last to the slot's From..Until.
func (sl *Slot) season(first, last Date) (Date, Date, bool) {
	if !sl.From.IsZero() && first.Before(sl.From) {
		first = sl.From
	}
	if !sl.Until.IsZero() && sl.Until.Before(last) {
		last = sl.Until
	}
	return first, last, !last.Before(first)
}

// scheduledOn says whether any slot of the show has a scheduled start on
// local date d (in the slot's zone), skip dates and exceptions aside.
func (p *showPlan) scheduledOn(d Date) bool {
	for i := range p.Slots {
		sl := &p.Slots[i]
		first, last, ok := sl.season(d, d)
		if !ok {
			continue
		}
		found := false
		sl.Rule.each(first, last, func(time.Time) bool { found = true; return false })
		if found {
			return true
		}
	}
	return false
}

// Show returns the show with the given id, or nil.
func (s *Schedule) Show(id string) *Show {
	if p := s.byID[id]; p != nil {
		return p.Show
	}
	return nil
}

// MaxDuration is the longest any airing of the schedule lasts: how far
// before a window an airing that is still on the air in it may have started.
func (s *Schedule) MaxDuration() time.Duration { return s.maxDuration }
