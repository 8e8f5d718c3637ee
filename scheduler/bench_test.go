package scheduler

import (
	"fmt"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

// benchExprs are the expressions both engines are measured on: the model
// case's three weekly slots, a weekday morning show and an hourly bulletin.
var benchExprs = []string{"0 13 * * SUN", "0 10 * * TUE", "0 19 * * THU", "0 6 * * MON-FRI", "30 * * * *"}

// benchStation has n shows, each the model case (live Sunday, rebroadcasts
// Tuesday and Thursday), at staggered minutes and in three zones.
func benchStation(b *testing.B, n int) *Schedule {
	zones := []*time.Location{mustLoc(b, "America/Chicago"), mustLoc(b, "Europe/London"), mustLoc(b, "Australia/Sydney")}
	st := &Station{}
	for i := 0; i < n; i++ {
		m := i % 60
		st.Shows = append(st.Shows, &Show{
			ID: fmt.Sprintf("show-%d", i), Title: "Show", Location: zones[i%3],
			Slots: []Slot{
				{Kind: Live, Rule: mustCron(b, fmt.Sprintf("%d 13 * * SUN", m)), Duration: time.Hour},
				{Kind: Rebroadcast, Rule: mustCron(b, fmt.Sprintf("%d 10 * * TUE", m)), Duration: time.Hour},
				{Kind: Rebroadcast, Rule: mustCron(b, fmt.Sprintf("%d 19 * * THU", m)), Duration: time.Hour},
			},
		})
	}
	return New(st)
}

// BenchmarkNext answers "the next 10 airings" over stations of 1, 100 and
// 10,000 shows.
func BenchmarkNext(b *testing.B) {
	at := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC) // the week of the US spring-forward
	for _, n := range []int{1, 100, 10000} {
		s := benchStation(b, n)
		b.Run(fmt.Sprintf("shows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := s.Next(at, 10); len(got) != 10 {
					b.Fatalf("%d airings", len(got))
				}
			}
		})
	}
}

// BenchmarkPerAiring is the engine's cost per airing, over a year that holds
// both DST changes, beside robfig/cron's Schedule.Next on the same
// expression and zone (which gets those days wrong: see TestHourlyAcrossDST).
func BenchmarkPerAiring(b *testing.B) {
	chicago := mustLoc(b, "America/Chicago")
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, chicago)
	to := from.AddDate(1, 0, 0)
	for _, expr := range benchExprs {
		b.Run("onair/"+expr, func(b *testing.B) {
			s := oneShow(chicago, Slot{Kind: Live, Rule: mustCron(b, expr), Duration: 10 * time.Minute})
			n := 0
			for b.Loop() {
				n += len(s.Airings(from, to))
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/airing")
		})
		b.Run("robfig/"+expr, func(b *testing.B) {
			sched, err := cron.ParseStandard("CRON_TZ=America/Chicago " + expr)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for b.Loop() {
				for t := sched.Next(from.Add(-time.Second)); t.Before(to); t = sched.Next(t) {
					n++
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/airing")
		})
	}
}
