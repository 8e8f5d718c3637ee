package web

import (
	"html/template"
	"strconv"
	"time"

	"github.com/onair-radio/onair/scheduler"
)

// Days is how many days the week at a glance shows, today first.
const Days = 7

// airing is an airing as a page shows it, in one zone.
type airing struct {
	ID, Show, Title string
	Kind            string // "live" or "rebroadcast"
	Href            string // the show's page
	Start, End      time.Time
	Stream          string // the live stream, for a live airing
	State           string // "now", "next", "past" or ""
}

// KindLabel says the kind in words, so that it is not told by colour alone.
func (a airing) KindLabel() string {
	if a.Kind == "live" {
		return "Live"
	}
	return "Rebroadcast"
}

// part is the piece of an airing that falls on one day of the grid.
type part struct {
	airing
	Top, Bottom          int  // minutes after the day's midnight, on the wall clock
	Continued, Continues bool // it began the day before; it goes on past midnight
	// HTML is the part rendered (the "part" template), when a Parts has
	// it; the grid renders it in place otherwise.
	HTML template.HTML
}

// day is a column of the grid.
type day struct {
	Date  scheduler.Date
	Label string // "Sun 29 Nov"
	Today bool
	Parts []part
}

// hour is a line of the grid's ruler.
type hour struct {
	Label  string
	Minute int
}

// grid is the week at a glance in one zone: seven days, and the hours from
// the first airing's start to the last one's end.
type grid struct {
	Zone     string
	Days     []day
	Hours    []hour
	From, To int // the minutes of the day the grid spans
}

// dayLabel is how a grid names a day ("Sun 29 Nov"); the script writes the same.
func dayLabel(d scheduler.Date) string {
	return d.Weekday().String()[:3] + " " + strconv.Itoa(d.Day) + " " + d.Month.String()[:3]
}

// layWeek places airings on a grid of Days days starting with at's date in
// loc. Positions are wall-clock minutes, as the ruler is, so an airing
// lines up with its start time on a day the clocks change; an airing that
// runs past midnight is cut in two.
func layWeek(as []airing, at time.Time, loc *time.Location) grid {
	g := grid{Zone: loc.String()}
	today := dateOf(at.In(loc))
	index := make(map[scheduler.Date]int, Days)
	for i := range Days {
		d := today.AddDays(i)
		index[d] = i
		g.Days = append(g.Days, day{Date: d, Label: dayLabel(d), Today: i == 0})
	}
	from, to := 24*60, 0
	for _, a := range as {
		s, e := a.Start.In(loc), a.End.In(loc)
		sd, ed := dateOf(s), dateOf(e)
		endMin := minutes(e)
		if endMin == 0 && sd.Before(ed) { // ends at midnight: the day before's last minute
			ed, endMin = ed.AddDays(-1), 24*60
		}
		for d := sd; !ed.Before(d); d = d.AddDays(1) {
			p := part{airing: a, Top: 0, Bottom: 24 * 60, Continued: d != sd, Continues: d != ed}
			if d == sd {
				p.Top = minutes(s)
			}
			if d == ed {
				p.Bottom = endMin
			}
			if p.Bottom <= p.Top { // the clocks went back under it
				p.Bottom = min(24*60, p.Top+int(a.End.Sub(a.Start)/time.Minute))
			}
			i, ok := index[d]
			if !ok {
				continue
			}
			g.Days[i].Parts = append(g.Days[i].Parts, p)
			from, to = min(from, p.Top/60*60), max(to, (p.Bottom+59)/60*60)
		}
	}
	if from >= to {
		return g
	}
	g.From, g.To = from, to
	for m := from; m < to; m += 60 {
		g.Hours = append(g.Hours, hour{Label: time.Date(2000, 1, 1, m/60, 0, 0, 0, time.UTC).Format("15:04"), Minute: m})
	}
	return g
}

func dateOf(t time.Time) scheduler.Date {
	return scheduler.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

func minutes(t time.Time) int { return t.Hour()*60 + t.Minute() }

// mark sets each airing's state as of at: on air now, next (the first to
// start after at, and any starting with it), or past.
func mark(as []airing, at time.Time) (now, next []airing) {
	var first time.Time
	for i := range as {
		a := &as[i]
		switch {
		case !a.End.After(at):
			a.State = "past"
		case !a.Start.After(at):
			a.State = "now"
			now = append(now, *a)
		case first.IsZero() || a.Start.Equal(first):
			first = a.Start
			a.State = "next"
			next = append(next, *a)
		}
	}
	return now, next
}
