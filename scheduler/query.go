package scheduler

import (
	"slices"
	"time"
)

// horizon is how far ahead Next looks before it gives up on a show.
const horizon = 5 * 366 * 24 * time.Hour

// replayLookback is how far back a window's rebroadcasts first look for
// the live episode they replay; deeper searches follow only on a miss.
const replayLookback = 36 * 24 * time.Hour

// Airings returns the airings of the named shows (all when none are named)
// that start in [from, to), sorted by start, then by the station's order of
// shows. Unknown show ids are ignored; callers validate them with Show.
func (s *Schedule) Airings(from, to time.Time, shows ...string) []Airing {
	var out []Airing
	for _, p := range s.plans(shows) {
		out = append(out, p.airings(from, to)...)
	}
	slices.SortStableFunc(out, airingLess)
	return out
}

// Next returns the first n airings that start at or after at.
func (s *Schedule) Next(at time.Time, n int, shows ...string) []Airing {
	var out []Airing
	plans := s.plans(shows)
	step := 7 * 24 * time.Hour
	for from := at; len(out) < n && from.Before(at.Add(horizon)); step *= 2 {
		to := from.Add(step)
		var window []Airing
		for _, p := range plans {
			window = append(window, p.airings(from, to)...)
		}
		slices.SortStableFunc(window, airingLess)
		out = append(out, window...)
		from = to
	}
	if len(out) > n {
		out = out[:n]
	}
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

// airings is generate with rebroadcasts resolved to the episodes they replay.
func (p *showPlan) airings(from, to time.Time) []Airing {
	if !p.hasRebro {
		return p.generate(from, to, false)
	}
	// One pass over a longer window yields the live episodes that this
	// window's rebroadcasts most likely replay.
	lookback := from.Add(-replayLookback)
	all := p.generate(lookback, to, false)
	var lives []Airing
	for _, a := range all {
		if a.Kind == Live {
			lives = append(lives, a)
		}
	}
	out := slices.DeleteFunc(all, func(a Airing) bool { return a.Start.Before(from) })
	deep, searched := "", false // the answer from before the window, found at most once
	for i := range out {
		a := &out[i]
		if a.Kind != Rebroadcast || a.Episode != "" {
			continue
		}
		if l, ok := lastEnded(lives, a.Start); ok {
			a.Episode = l.Episode
			continue
		}
		if !searched {
			// Nothing in the window ended before this rebroadcast: the
			// episode is older than the window, and the same for every
			// rebroadcast of the window until a live airing in it ends.
			deep, searched = p.lastLiveBefore(lookback.Add(-p.maxDuration)), true
		}
		a.Episode = deep
	}
	return out
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
// about twelve years. Called with `before` a show's longest airing ahead of
// a window, every live airing it finds ended before that window.
func (p *showPlan) lastLiveBefore(before time.Time) string {
	for w := 70 * 24 * time.Hour; w <= 4480*24*time.Hour; w *= 4 {
		if lives := p.generate(before.Add(-w), before, true); len(lives) > 0 {
			return lives[len(lives)-1].Episode
		}
	}
	return ""
}
