package scheduler

import (
	"fmt"
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
	return s.CheckAirings(s.Airings(from, to))
}

// CheckAirings is Check over airings a caller has listed already (with
// Airings, for the window it checks), so that it need not list them twice.
func (s *Schedule) CheckAirings(as []Airing) []Problem {
	var out []Problem
	for _, p := range s.shows {
		out = append(out, p.unbound...)
	}
	out = append(out, s.checkSkips()...)
	out = append(out, checkReplays(as)...)
	out = append(out, checkOverlaps(as)...)
	return out
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

func checkReplays(as []Airing) []Problem {
	var out []Problem
	seen := make(map[string]bool)
	for _, a := range as {
		if a.Kind != Rebroadcast {
			continue
		}
		key := fmt.Sprintf("%s/%d", a.Show.ID, a.Slot)
		if a.Episode == "" && !seen[key] {
			seen[key] = true
			out = append(out, Problem{Severity: Warning, Show: a.Show.ID, Slot: a.Slot, Exception: -1,
				Message: fmt.Sprintf("the rebroadcast at %s has no earlier live episode to replay", formatLocal(a.Start))})
		}
	}
	return out
}

type overlap struct {
	first [2]Airing
	count int
	last  time.Time
}

func checkOverlaps(as []Airing) []Problem {
	groups := make(map[string]*overlap)
	var order []string
	var active []Airing
	for _, a := range as {
		kept := active[:0]
		for _, b := range active {
			if b.End.After(a.Start) {
				kept = append(kept, b)
			}
		}
		active = kept
		for _, b := range active {
			if a.Show.AllowOverlap || b.Show.AllowOverlap {
				continue
			}
			key := fmt.Sprintf("%s/%d~%s/%d", b.Show.ID, b.Slot, a.Show.ID, a.Slot)
			g := groups[key]
			if g == nil {
				g = &overlap{first: [2]Airing{b, a}}
				groups[key] = g
				order = append(order, key)
			}
			g.count++
			g.last = a.Start
		}
		active = append(active, a)
	}
	var out []Problem
	for _, key := range order {
		g := groups[key]
		b, a := g.first[0], g.first[1]
		msg := fmt.Sprintf("%s overlaps %s", describe(b), describe(a))
		if g.count > 1 {
			msg += fmt.Sprintf(" (and %d more times through %s)", g.count-1, g.last.Format(time.DateOnly))
		}
		out = append(out, Problem{Severity: Error, Show: a.Show.ID, Slot: a.Slot, Exception: -1, Message: msg})
	}
	return out
}

func describe(a Airing) string {
	return fmt.Sprintf("%s %s (slot %d) %s-%s", a.Show.ID, a.Kind, a.Slot, formatLocal(a.Start), a.End.Format("15:04 MST"))
}

func formatLocal(t time.Time) string {
	return strings.TrimSpace(t.Format("Mon 2006-01-02 15:04 MST"))
}
