package scheduler

import (
	"slices"
	"time"
)

// horizon is how far ahead Next looks before it gives up on a show.
const horizon = 5 * 366 * 24 * time.Hour

// replayLookback is how far back the rebroadcasts of a list first look for
// the live episode they replay (a weekly show's last week); a deeper search
// follows only on a miss.
const replayLookback = 8 * 24 * time.Hour

// Airings returns the airings of the named shows (all when none are named)
// that start in [from, to), sorted by start, then by the station's order of
// shows. Unknown show ids are ignored; callers validate them with Show.
func (s *Schedule) Airings(from, to time.Time, shows ...string) []Airing {
	plans := s.plans(shows)
	lists := make([][]Airing, len(plans))
	for i, p := range plans {
		lists[i] = p.generate(from, to, false)
	}
	out := merge(lists)
	s.resolveReplays(out)
	return out
}

// merge merges lists each sorted by airingLess into one: each airing is
// moved once (an Airing is large, and a station's year has millions).
func merge(lists [][]Airing) []Airing {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]Airing, 0, n)
	kmerge(lists, func(a, b *Airing) bool { return airingLess(*a, *b) < 0 }, func(a *Airing) { out = append(out, *a) })
	return out
}

// kmerge calls yield with the elements of lists (each sorted by less) in
// order, through a heap of the lists' heads, and returns how many there
// were.
func kmerge[T any](lists [][]T, less func(a, b *T) bool, yield func(*T)) int {
	n := 0
	heads := make([]int, 0, len(lists)) // a min-heap of list indexes, by their next element
	idx := make([]int, len(lists))
	below := func(i, j int) bool { return less(&lists[heads[i]][idx[heads[i]]], &lists[heads[j]][idx[heads[j]]]) }
	down := func(i int) {
		for {
			l, r, m := 2*i+1, 2*i+2, i
			if l < len(heads) && below(l, m) {
				m = l
			}
			if r < len(heads) && below(r, m) {
				m = r
			}
			if m == i {
				return
			}
			heads[i], heads[m] = heads[m], heads[i]
			i = m
		}
	}
	for i, l := range lists {
		if len(l) > 0 {
			heads = append(heads, i)
		}
	}
	for i := len(heads)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(heads) > 0 {
		l := heads[0]
		yield(&lists[l][idx[l]])
		n++
		if idx[l]++; idx[l] == len(lists[l]) {
			heads[0] = heads[len(heads)-1]
			heads = heads[:len(heads)-1]
		}
		down(0)
	}
	return n
}

// Next returns the first n airings that start at or after at.
func (s *Schedule) Next(at time.Time, n int, shows ...string) []Airing {
	var out []Airing
	plans := s.plans(shows)
	// Windows that double from a day: a large station finds its next
	// airings in the first, a sparse show within a few.
	step := 24 * time.Hour
	for from := at; len(out) < n && from.Before(at.Add(horizon)); step *= 2 {
		to := from.Add(step)
		lists := make([][]Airing, len(plans))
		for i, p := range plans {
			lists[i] = p.generate(from, to, false)
		}
		out = append(out, merge(lists)...)
		from = to
	}
	if len(out) > n {
		out = out[:n]
	}
	s.resolveReplays(out)
	return out
}

// OnAir returns the airings in progress at instant at (start <= at < end).
func (s *Schedule) OnAir(at time.Time, shows ...string) []Airing {
	as := s.Airings(at.Add(-s.maxDuration), at.Add(time.Nanosecond), shows...)
	return slices.DeleteFunc(as, func(a Airing) bool { return !a.End.After(at) })
}

func (s *Schedule) plans(ids []string) []*showPlan {
	if len(ids) == 0 {
		return s.shows
	}
	var out []*showPlan
	for _, p := range s.shows {
		if slices.Contains(ids, p.ID) {
			out = append(out, p)
		}
	}
	return out
}

// resolveReplays sets, on each rebroadcast in as (sorted by start) that has
// no replay exception, the episode it replays: the show's live airing that
// ended last at or before the rebroadcast starts. It is done once a list is
// final, so that a large station resolves only the airings it returns.
func (s *Schedule) resolveReplays(as []Airing) {
	// The rebroadcasts to resolve, by index, in order of start, by the show
	// whose episodes they replay.
	bySource := make(map[*showPlan][]int)
	for i := range as {
		if a := &as[i]; a.Kind == Rebroadcast && a.Episode == "" {
			src := s.byID[a.Show.ID].source[a.Slot]
			bySource[src] = append(bySource[src], i)
		}
	}
	for p, idx := range bySource {
		// One pass yields the live episodes that these rebroadcasts most
		// likely replay: those that end from since on. A live airing that
		// starts before since-maxDuration ends before since.
		since := as[idx[0]].Start.Add(-replayLookback)
		lives := p.generate(since.Add(-p.maxDuration), as[idx[len(idx)-1]].Start, true)
		deep, searched := "", false // the answer from before since, found at most once
		for _, i := range idx {
			a := &as[i]
			if l, ok := lastEnded(lives, a.Start, p.maxDuration); ok && !l.End.Before(since) {
				a.Episode = l.Episode
				continue
			}
			if !searched {
				// No live airing ends between since and this rebroadcast:
				// the episode ended before since, and it is the same for
				// every rebroadcast here until one does.
				deep, searched = p.lastEndedBefore(since), true
			}
			a.Episode = deep
		}
	}
}

// lastEnded returns the live airing in lives (sorted by start) that ended
// last at or before t; of two that end together, the later to start. No
// airing lasts longer than maxDur.
func lastEnded(lives []Airing, t time.Time, maxDur time.Duration) (Airing, bool) {
	best, found := Airing{}, false
	// Only an airing that starts before t can have ended by then.
	end, _ := slices.BinarySearchFunc(lives, t, func(a Airing, t time.Time) int { return a.Start.Compare(t) })
	for i := end - 1; i >= 0; i-- {
		l := lives[i]
		if found && !l.Start.Add(maxDur).After(best.End) {
			break // it, and every airing before it, ends before best
		}
		if !l.End.After(t) && (!found || l.End.After(best.End)) {
			best, found = l, true
		}
	}
	return best, found
}

// lastEndedBefore searches ever longer windows for the live episode that
// ended last at or before t; "" when there is none within about twelve
// years.
func (p *showPlan) lastEndedBefore(t time.Time) string {
	for w := 70 * 24 * time.Hour; w <= 4480*24*time.Hour; w *= 4 {
		// Airings that start before t-w-maxDuration end before t-w: one
		// found that ends after t-w is the answer.
		lives := p.generate(t.Add(-w-p.maxDuration), t, true)
		if l, ok := lastEnded(lives, t, p.maxDuration); ok && !l.End.Before(t.Add(-w)) {
			return l.Episode
		}
	}
	return ""
}

// NextLive returns the show's first live airing that starts at or after at,
// within the horizon.
func (s *Schedule) NextLive(at time.Time, show string) (Airing, bool) {
	p := s.byID[show]
	if p == nil {
		return Airing{}, false
	}
	step := 7 * 24 * time.Hour
	for from := at; from.Before(at.Add(horizon)); step *= 2 {
		to := from.Add(step)
		if lives := p.generate(from, to, true); len(lives) > 0 {
			return lives[0], true
		}
		from = to
	}
	return Airing{}, false
}

// LiveAirings returns the show's live airings that start in [from, to),
// sorted by start: the episodes, without the cost of resolving rebroadcasts.
func (s *Schedule) LiveAirings(from, to time.Time, show string) []Airing {
	if p := s.byID[show]; p != nil {
		return p.generate(from, to, true)
	}
	return nil
}

// Count says how many airings start in [from, to), counting no further
// than limit+1: a day at a time, so that a caller asking whether a window
// holds more than limit stops there, whatever the window holds.
func (s *Schedule) Count(from, to time.Time, limit int) int {
	n := 0
	for day := from; day.Before(to) && n <= limit; day = day.Add(24 * time.Hour) {
		end := day.Add(24 * time.Hour)
		if end.After(to) {
			end = to
		}
		for _, p := range s.shows {
			n += len(p.generate(day, end, false))
		}
	}
	return min(n, limit+1)
}
