package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newNextCmd(o *rootOptions) *cobra.Command {
	var (
		count  int
		at, tz string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "next [SHOW...]",
		Short: "List the next airings, of every show or of those named",
		Example: `  onair next --config config.example.yaml
  onair next prn --count 3 --at 2026-11-27T12:00:00-06:00
  onair next --tz Europe/Berlin --json`,
		RunE: func(cmd *cobra.Command, shows []string) error {
			if count < 1 {
				return usagef("--count %d: want 1 or more", count)
			}
			q, err := o.question(at, tz, shows)
			if err != nil {
				return err
			}
			loc := q.loc
			airings := q.sched.Next(q.at, count, shows...)
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, q.airingsJSON(cmd.Context(), o, airings))
			}
			if len(airings) == 0 {
				fmt.Fprintln(w, "Nothing is scheduled.")
				return nil
			}
			tw := newTable(w)
			tw.row("DAY", "TIME ("+loc.String()+")", "SHOW", "KIND", "TITLE", "EPISODE")
			for _, a := range airings {
				tw.row(a.Start.In(loc).Format("Mon 2006-01-02"), span(a, loc), a.Show.ID, string(a.Kind), a.Title, about(a))
			}
			return tw.flush()
		},
	}
	f := cmd.Flags()
	f.IntVarP(&count, "count", "n", 10, "how many airings")
	f.StringVar(&at, "at", "", "as of this time: RFC 3339, or a date and time in the station's zone or --tz (default now)")
	f.StringVar(&tz, "tz", "", "show times in this IANA zone (default the station's)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
