package scheduler

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// The engine's identities, made in one place and read in one place:
//
//   - an airing's id is its show and its slot's scheduled local start,
//     "prn-2026-11-29T1300": with seconds ("T130030") when the slot can
//     start off the minute, and "-s<slot>" ("T1300-s2") when an earlier
//     slot of the show can start at the same local date and time. Both are
//     decided per slot when the schedule is built, never per question.
//   - an episode's id is its show and the local date of the live airing,
//     "prn-2026-11-29", then "prn-2026-11-29-2" for a second one that day.

// EpisodeID is the id of the nth live episode of a show on a local date:
// "prn-2026-11-29", then "prn-2026-11-29-2". Recordings are named after it.
// ParseEpisodeID reads it back.
func EpisodeID(show string, d Date, n int) string {
	b := make([]byte, 0, len(show)+14)
	b = append(append(b, show...), '-')
	b = d.appendTo(b)
	if n > 1 {
		b = append(append(b, '-'), strconv.Itoa(n)...)
	}
	return string(b)
}

// ParseEpisodeID reads an episode id made by EpisodeID: the show, the
// local date and the episode's number on that date (1 when it has none).
func ParseEpisodeID(id string) (show string, d Date, n int, err error) {
	// With a number: "<show>-YYYY-MM-DD-<n>", n from 2, no leading zero.
	if i := strings.LastIndexByte(id, '-'); i > 0 {
		if num := id[i+1:]; num != "" && num[0] != '0' && allDigits(num) {
			if v, err := strconv.Atoi(num); err == nil && v >= 2 {
				if show, d, ok := splitDate(id[:i]); ok {
					return show, d, v, nil
				}
			}
		}
	}
	if show, d, ok := splitDate(id); ok {
		return show, d, 1, nil
	}
	return "", Date{}, 0, errors.New("not an episode id: want the show and a date, such as prn-2026-11-29 (or prn-2026-11-29-2 for a second episode that day)")
}

// splitDate reads "<show>-YYYY-MM-DD".
func splitDate(s string) (string, Date, bool) {
	const dl = len(time.DateOnly)
	if len(s) < dl+2 || s[len(s)-dl-1] != '-' {
		return "", Date{}, false
	}
	d, err := ParseDate(s[len(s)-dl:])
	if err != nil {
		return "", Date{}, false
	}
	return s[:len(s)-dl-1], d, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// idForm is how a slot's airings are named: decided once, when the
// schedule is built.
type idForm struct {
	seconds bool   // the clock has seconds: the slot can start off the minute
	suffix  string // "-s<slot>", when an earlier slot can start at the same local time
}

// idForms decides the id form of each of a show's slots. A slot takes the
// "-s<slot>" suffix when an earlier slot of the show may start at one of
// its local dates and times: their weekdays, times of day and seasons
// meet. (The test is on what the rules can produce, so it may give a suffix
// where the dates never meet; it never gives two slots one id.)
func idForms(slots []Slot) []idForm {
	out := make([]idForm, len(slots))
	shapes := make([]shape, len(slots))
	for i := range slots {
		shapes[i] = shapeOf(&slots[i])
		for _, c := range shapes[i].clocks {
			out[i].seconds = out[i].seconds || c%60 != 0
		}
		for j := 0; j < i; j++ {
			if shapes[i].meets(shapes[j]) {
				out[i].suffix = "-s" + strconv.Itoa(i)
				break
			}
		}
	}
	return out
}

// shape is what a slot's local start times can be: an over-estimate.
type shape struct {
	weekdays    uint8 // bit per time.Weekday
	clocks      []int // seconds of the day
	from, until Date  // zero: open
}

func shapeOf(sl *Slot) shape {
	s := shape{weekdays: 0x7f, from: sl.From, until: sl.Until}
	switch r := sl.Rule.(type) {
	case *cronRule:
		if r.spec.Dom&starBit != 0 && r.spec.Dow&starBit == 0 {
			s.weekdays = uint8(r.spec.Dow & 0x7f) // day of week alone decides
		}
		for _, h := range r.hours {
			for _, m := range r.minutes {
				for _, sec := range r.seconds {
					s.clocks = append(s.clocks, h*3600+m*60+sec)
				}
			}
		}
	case *weeklyRule:
		s.weekdays = 0
		for d, on := range r.days {
			if on {
				s.weekdays |= 1 << d
			}
		}
		s.clocks = []int{r.at.seconds()}
	case *monthlyRule:
		s.weekdays = 0
		for _, n := range r.on {
			s.weekdays |= 1 << n.Weekday
		}
		s.clocks = []int{r.at.seconds()}
	case onceRule:
		s.weekdays = 1 << r.at.Date.Weekday()
		s.clocks = []int{r.at.Clock.seconds()}
		s.from, s.until = r.at.Date, r.at.Date
	default: // a rule of a test's: any time
		for c := 0; c < 24*3600; c++ {
			s.clocks = append(s.clocks, c)
		}
	}
	return s
}

// meets says whether two shapes can produce one local date and time.
func (s shape) meets(o shape) bool {
	if s.weekdays&o.weekdays == 0 {
		return false
	}
	if !s.until.IsZero() && !o.from.IsZero() && s.until.Before(o.from) ||
		!o.until.IsZero() && !s.from.IsZero() && o.until.Before(s.from) {
		return false
	}
	for _, a := range s.clocks {
		for _, b := range o.clocks {
			if a == b {
				return true
			}
		}
	}
	return false
}

// airingID names an airing of slot by its scheduled local start w.
func (p *showPlan) airingID(slot int, w DateTime) string {
	f := p.ids[slot]
	b := make([]byte, 0, len(p.ID)+24)
	b = append(b, p.ID...)
	b = append(b, '-')
	b = w.Date.appendTo(b)
	b = append(b, 'T')
	b = append2(append2(b, w.Clock.Hour), w.Clock.Minute)
	if f.seconds {
		b = append2(b, w.Clock.Second)
	}
	return string(append(b, f.suffix...))
}
