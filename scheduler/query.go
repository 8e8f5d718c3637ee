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
	var out []Airing
	for _, p := range s.plans(shows) {
		out = append(out, p.generate(from, to, false)...)
	}
	slices.SortStableFunc(out, airingLess)
	s.resolveReplays(out)
	return out
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
		var window []Airing
		for _, p := range plans {
			window = append(window, p.generate(from, to, false)...)
		}
		slices.SortStableFunc(window, airingLess)
		out = append(out, window...)
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
	// The first and last rebroadcast start of each show in the list.
	type span struct{ first, last time.Time }
	spans := make(map[*Show]*span)
	for _, a := range as {
		if a.Kind != Rebroadcast || a.Episode != "" {
			continue
		}
		if sp := spans[a.Show]; sp != nil {
			sp.last = a.Start
		} else {
			spans[a.Show] = &span{a.Start, a.Start}
		}
	}
	for sh, sp := range spans {
		p := s.byID[sh.ID]
		// One pass yields the live episodes that these rebroadcasts most
		// likely replay.
		lookback := sp.first.Add(-replayLookback - p.maxDuration)
		lives := p.generate(lookback, sp.last, true)
		deep, searched := "", false // the answer from before lookback, found at most once
		for i := range as {
			a := &as[i]
			if a.Show != sh || a.Kind != Rebroadcast || a.Episode != "" {
				continue
			}
			if l, ok := lastEnded(lives, a.Start); ok {
				a.Episode = l.Episode
				continue
			}
			if !searched {
				// Nothing since lookback ended before this rebroadcast: the
				// episode is older, and the same for every rebroadcast here
				// until a live airing since lookback ends.
				deep, searched = p.lastLiveBefore(lookback), true
			}
			a.Episode = deep
		}
	}
}

// lastEnded returns the latest-starting live airing in lives (sorted by start)
// that ended at or before t.
func lastEnded(lives []Airing, t time.Time) (Airing, bool) {
	for i := len(lives) - 1; i >= 0; i-- {
		if !lives[i].End.After(t) {
			return lives[i], true
		}
	}
	return Airing{}, false
}

// lastLiveBefore searches ever longer windows ending at `before` for the
// live episode that started last before then; "" when there is none within
// about twelve years. lookback is a show's longest airing ahead of the
// rebroadcasts it serves, so every live airing found ended before them.
func (p *showPlan) lastLiveBefore(before time.Time) string {
	for w := 70 * 24 * time.Hour; w <= 4480*24*time.Hour; w *= 4 {
		if lives := p.generate(before.Add(-w), before, true); len(lives) > 0 {
			return lives[len(lives)-1].Episode
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
