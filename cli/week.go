package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/onair-radio/onair/scheduler"
)

func newWeekCmd(o *rootOptions) *cobra.Command {
	var at, tz string
	cmd := &cobra.Command{
		Use:   "week [SHOW...]",
		Short: "Show the next seven days, day by day",
		Example: `  onair week --config config.example.yaml
  onair week --tz Europe/Berlin --at 2026-12-21T00:00:00Z`,
		RunE: func(cmd *cobra.Command, shows []string) error {
			q, err := o.question(at, tz, shows)
			if err != nil {
				return err
			}
			when, loc, sched := q.at, q.loc, q.sched
			// Seven whole local days, from the start of today.
			local := when.In(loc)
			today := scheduler.Date{Year: local.Year(), Month: local.Month(), Day: local.Day()}
			start := scheduler.Resolve(scheduler.DateTime{Date: today}, loc)
			end := scheduler.Resolve(scheduler.DateTime{Date: today.AddDays(7)}, loc)
			airings := sched.Airings(start, end, shows...)

			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s, %s to %s (%s)\n\n", q.st.Name,
				start.Format("Mon 2006-01-02"), end.Add(-time.Second).Format("Mon 2006-01-02"), loc)
			tw := newTable(w)
			i := 0
			for d := 0; d < 7; d++ {
				day := scheduler.Resolve(scheduler.DateTime{Date: today.AddDays(d)}, loc)
				dayEnd := scheduler.Resolve(scheduler.DateTime{Date: today.AddDays(d + 1)}, loc)
				label := day.Format("Mon Jan 2")
				if i == len(airings) || !airings[i].Start.Before(dayEnd) {
					tw.row(label, "-")
				}
				for ; i < len(airings) && airings[i].Start.Before(dayEnd); i++ {
					a := airings[i]
					note := about(a)
					if !when.Before(a.Start) && when.Before(a.End) {
						note += "  ◀ on air now"
					}
					tw.row(label, span(a, loc), a.Show.ID, kindMark(a.Kind), a.Title, note)
					label = ""
				}
			}
			return tw.flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&at, "at", "", "as of this time: RFC 3339, or a date and time in the station's zone or --tz (default now)")
	f.StringVar(&tz, "tz", "", "show times in this IANA zone (default the station's)")
	return cmd
}

// kindMark tells live from rebroadcast in words, not by colour.
func kindMark(k scheduler.Kind) string {
	if k == scheduler.Live {
		return "● live"
	}
	return "↻ rebroadcast"
}
