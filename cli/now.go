package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

// nowJSON is `onair now --json`.
type nowJSON struct {
	At    string `json:"at"`
	OnAir any    `json:"on_air"`
	Next  any    `json:"next"`
}

func newNowCmd(o *rootOptions) *cobra.Command {
	var (
		at, tz string
		count  int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "now",
		Short: "Say what is on air and what follows",
		Example: `  onair now --config config.example.yaml
  onair now --at 2026-11-29T13:25:00-06:00 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := o.question(at, tz, nil)
			if err != nil {
				return err
			}
			when, loc := q.at, q.loc
			onAir := q.sched.OnAir(when)
			next := q.sched.Next(when.Add(1), count)
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, nowJSON{At: when.In(loc).Format(time.RFC3339), OnAir: q.airingsJSON(cmd.Context(), o, onAir), Next: q.airingsJSON(cmd.Context(), o, next)})
			}
			stamp := when.In(loc).Format("Mon 2006-01-02 15:04 MST")
			if len(onAir) == 0 {
				fmt.Fprintf(w, "Nothing is on air at %s.\n", stamp)
			} else {
				fmt.Fprintf(w, "On air at %s:\n", stamp)
				tw := newTable(w)
				for _, a := range onAir {
					tw.row("  "+span(a, loc), a.Show.ID, string(a.Kind), a.Title, about(a), humanDuration(a.End.Sub(when))+" left")
				}
				if err := tw.flush(); err != nil {
					return err
				}
			}
			if len(next) == 0 {
				return nil
			}
			fmt.Fprintln(w, "Next:")
			tw := newTable(w)
			for _, a := range next {
				tw.row("  "+a.Start.In(loc).Format("Mon 01-02")+" "+span(a, loc), a.Show.ID, string(a.Kind), a.Title, about(a), "in "+humanDuration(a.Start.Sub(when)))
			}
			return tw.flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&at, "at", "", "as of this time: RFC 3339, or a date and time in the station's zone or --tz (default now)")
	f.StringVar(&tz, "tz", "", "show times in this IANA zone (default the station's)")
	f.IntVarP(&count, "count", "n", 3, "how many of the airings that follow")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
