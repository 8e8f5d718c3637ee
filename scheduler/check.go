package scheduler

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Severity tells a problem that makes a configuration wrong from one worth a look.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is something wrong with a schedule, located at a show and, where it
// applies, one of its slots or exceptions (-1 when not).
type Problem struct {
	Severity  Severity
	Show      string // "" for the station's own settings
	Slot      int
	Exception int
	Key       string // a key under the show (or the station) where no slot or exception says: "skip[2]"
	Message   string
}

// Check reports what is wrong with the schedule between from and to:
// exceptions that change no airing, overlapping airings of shows that do not
// allow overlap, and rebroadcasts with no episode to replay. Each kind of
// overlap (a pair of slots) is reported once, with its first occurrence and
// how often it recurs.
func (s *Schedule) Check(from, to time.Time) []Problem {
	out, _ := s.CheckWindow(from, to)
	return out
}

// checkStep is how much of the schedule CheckWindow holds at once.
const checkStep = 7 * 24 * time.Hour

// CheckWindow is Check, and how many airings start between from and to. It
// looks at a week at a time, and at each airing only as far as the checks
// need (when, and which slot), so that a year of a busy station costs a
// week's memory and a fraction of what listing it would.
func (s *Schedule) CheckWindow(from, to time.Time) ([]Problem, int) {
	var out []Problem
	for _, p := range s.shows {
		out = append(out, p.unbound...)
	}
	out = append(out, s.checkSkips()...)
	c := checker{s: s, groups: make(map[slotPair]*overlap), firstRebro: make(map[slotKey]int64)}
	n := 0
	// A list a slot, and one a show for its moved airings: each comes
	// sorted, or nearly (DST), and the lists are merged.
	var lists [][]span
	at := make([]int, len(s.shows))
	for i, p := range s.shows {
		at[i] = len(lists)
		lists = append(lists, make([][]span, len(p.Slots)+1)...)
	}
	for w := from; w.Before(to); w = w.Add(checkStep) {
		end := w.Add(checkStep)
		if end.After(to) {
			end = to
		}
		for i, p := range s.shows {
			p.spans(w, end, lists[at[i]:at[i]+len(p.Slots)+1])
		}
		n += kmerge(lists, func(a, b *span) bool {
			if a.start != b.start { // nearly always: decided here
				return a.start < b.start
			}
			return spanLess(a, b) < 0
		}, c.add)
	}
	out = append(out, c.replayProblems()...)
	return append(out, c.overlapProblems()...), n
}

// span is an airing as the checks need it.
type span struct {
	start, end int64 // Unix seconds
	wall       int64 // the scheduled wall time, for order among equals
	p          *showPlan
	slot       int32
	moved      bool
	// exc is the exception that moved it (an index into the show's
	// exceptions), -1 for an airing where its slot puts it.
	exc int32
}

func spanLess(a, b *span) int {
	switch {
	case a.start != b.start:
		return cmp.Compare(a.start, b.start)
	case a.p.order != b.p.order:
		return a.p.order - b.p.order
	case a.slot != b.slot:
		return int(a.slot - b.slot)
	}
	return cmp.Compare(a.wall, b.wall)
}

// spans fills lists (one a slot, then one for moved airings) with the
// show's airings that start in [from, to), each list in the order of
// Airings, with what generate makes of them: the same walk, the same
// folding of a DST change's duplicates.
func (p *showPlan) spans(from, to time.Time, lists [][]span) {
	for i := range lists {
		lists[i] = lists[i][:0]
	}
	lo, hi := from.Unix(), to.Unix()
	p.walk(from, to, false, 0, func(slot int, w, start time.Time, exc *Exception, moved bool) {
		st := start.Unix()
		if st < lo || st >= hi {
			return
		}
		d := p.Slots[slot].Duration
		if exc != nil && exc.Duration > 0 {
			d = exc.Duration
		}
		l := slot
		if moved {
			l = len(p.Slots)
		}
		excIdx := int32(-1)
		if moved {
			for i := range p.Exceptions {
				if &p.Exceptions[i] == exc {
					excIdx = int32(i)
				}
			}
		}
		lists[l] = append(lists[l], span{start: st, end: st + int64(d/time.Second), wall: w.Unix(), p: p, slot: int32(slot), moved: moved, exc: excIdx})
	})
	less := func(a, b span) int { return spanLess(&a, &b) }
	for i, l := range lists {
		if !slices.IsSortedFunc(l, less) {
			slices.SortFunc(l, less)
		}
		if i < len(p.Slots) {
			lists[i] = slices.CompactFunc(l, func(a, b span) bool { return a.start == b.start })
		}
	}
}

type slotKey struct {
	p    *showPlan
	slot int32
}

type slotPair struct{ a, b slotKey }

type overlap struct {
	first [2]span
	count int
	last  int64
}

// checker checks spans given in order of start, across windows.
type checker struct {
	s *Schedule
	// active are the spans still on the air at the last start seen, of
	// shows that do not allow overlaps.
	active []span
	groups map[slotPair]*overlap
	order  []slotPair
	// firstRebro is each rebroadcast slot's first start, and rebroOrder
	// the slots in the order they first air.
	firstRebro map[slotKey]int64
	rebroOrder []slotKey
}

func (c *checker) add(a *span) {
	if a.p.Slots[a.slot].Kind == Rebroadcast {
		if k := (slotKey{a.p, a.slot}); c.firstRebro[k] == 0 {
			c.firstRebro[k] = a.start
			c.rebroOrder = append(c.rebroOrder, k)
		}
	}
	if a.p.AllowOverlap {
		return // it overlaps what it likes, and nothing it overlaps is at fault
	}
	kept := c.active[:0]
	for _, b := range c.active {
		if b.end > a.start {
			kept = append(kept, b)
		}
	}
	c.active = kept
	for _, b := range c.active {
		key := slotPair{slotKey{b.p, b.slot}, slotKey{a.p, a.slot}}
		g := c.groups[key]
		if g == nil {
			g = &overlap{first: [2]span{b, *a}}
			c.groups[key] = g
			c.order = append(c.order, key)
		}
		g.count++
		g.last = a.start
	}
	c.active = append(c.active, *a)
}

// replayProblems reports, once per rebroadcast slot, a rebroadcast with
// nothing to replay: the first to have none. Resolving replays needs the
// full airing; a slot's airings after one that replays an episode replay
// one too (what ended before it ended before them), so at most a few are
// resolved, those whose episode an exception named.
func (c *checker) replayProblems() []Problem {
	var out []Problem
	for _, k := range c.rebroOrder {
		at := time.Unix(c.firstRebro[k], 0)
		for tries := 0; tries < 1000; tries++ {
			a, ok := c.s.nextOfSlot(k.p, int(k.slot), at)
			if !ok {
				break
			}
			if a.Episode == "" {
				out = append(out, Problem{Severity: Warning, Show: a.Show.ID, Slot: a.Slot, Exception: -1,
					Message: fmt.Sprintf("the rebroadcast at %s has no earlier live episode to replay", formatLocal(a.Start))})
				break
			}
			if exc := k.p.changes[airingKey{a.Slot, Resolve(a.Scheduled, k.p.slotLocation(a.Slot)).Unix()}]; exc == nil || exc.Replay == "" {
				break
			}
			at = a.Start.Add(time.Second)
		}
	}
	return out
}

// nextOfSlot is the slot's first airing that starts at or after at, its
// replay resolved.
func (s *Schedule) nextOfSlot(p *showPlan, slot int, at time.Time) (Airing, bool) {
	for step := 24 * time.Hour; step <= horizon; step *= 4 {
		for _, a := range s.Airings(at, at.Add(step), p.ID) {
			if a.Slot == slot {
				return a, true
			}
		}
	}
	return Airing{}, false
}

func (c *checker) overlapProblems() []Problem {
	var out []Problem
	for _, key := range c.order {
		g := c.groups[key]
		sb, sa := g.first[0], g.first[1]
		b, a := sb.airing(), sa.airing()
		// An airing an exception moved is told as moved, at the
		// exception's line, whichever of the two it is.
		at, moved := sa, sa
		if !sa.moved && sb.moved {
			at, moved = sb, sb
		}
		msg := fmt.Sprintf("%s overlaps %s", describeSpan(sb, b), describeSpan(sa, a))
		if g.count > 1 {
			msg += fmt.Sprintf(" (and %d more times through %s)", g.count-1, time.Unix(g.last, 0).In(a.Show.Location).Format(time.DateOnly))
		}
		pr := Problem{Severity: Error, Show: at.p.ID, Slot: int(at.slot), Exception: -1, Message: msg}
		if moved.moved && moved.exc >= 0 {
			pr.Slot, pr.Exception = -1, int(moved.exc)
		}
		out = append(out, pr)
	}
	return out
}

// airing is as much of the span's airing as describe says.
func (sp span) airing() Airing {
	loc := sp.p.Location
	return Airing{Show: sp.p.Show, Slot: int(sp.slot), Kind: sp.p.Slots[sp.slot].Kind,
		Start: time.Unix(sp.start, 0).In(loc), End: time.Unix(sp.end, 0).In(loc)}
}

// checkSkips reports skip dates that skip nothing: a show's own on which
// it has no airing scheduled, and the station's on which no show has.
func (s *Schedule) checkSkips() []Problem {
	var out []Problem
	for _, p := range s.shows {
		for i, d := range p.Skip {
			if !p.scheduledOn(d) {
				out = append(out, Problem{Severity: Warning, Show: p.ID, Slot: -1, Exception: -1, Key: fmt.Sprintf("skip[%d]", i),
					Message: fmt.Sprintf("no airing of %s is scheduled on %s, a %s: the skip date skips nothing", p.ID, d, d.Weekday())})
			}
		}
	}
	for i, d := range s.Station.Skip {
		aired := false
		for _, p := range s.shows {
			aired = aired || p.scheduledOn(d)
		}
		if !aired {
			out = append(out, Problem{Severity: Warning, Slot: -1, Exception: -1, Key: fmt.Sprintf("skip[%d]", i),
				Message: fmt.Sprintf("no show airs on %s, a %s: the skip date skips nothing", d, d.Weekday())})
		}
	}
	return out
}

// describeSpan is describe, for an airing that an exception may have
// moved: where from, and by which exception.
func describeSpan(sp span, a Airing) string {
	if !sp.moved || sp.exc < 0 {
		return describe(a)
	}
	from := time.Unix(sp.wall, 0).UTC() // the slot's wall time, kept as if in UTC
	return fmt.Sprintf("%s %s moved by exceptions[%d] from %s to %s-%s", a.Show.ID, a.Kind, sp.exc,
		from.Format("Mon 2006-01-02 15:04"), formatLocal(a.Start), a.End.Format("15:04 MST"))
}

func describe(a Airing) string {
	return fmt.Sprintf("%s %s (slot %d) %s-%s", a.Show.ID, a.Kind, a.Slot, formatLocal(a.Start), a.End.Format("15:04 MST"))
}

func formatLocal(t time.Time) string {
	return strings.TrimSpace(t.Format("Mon 2006-01-02 15:04 MST"))
}
