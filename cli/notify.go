package cli

import (
	"cmp"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/onair-radio/onair/notify"
)

func newNotifyCmd(o *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Look at the notifications' outbox",
		Args:  cobra.ArbitraryArgs,
		RunE:  needsCommand,
	}
	cmd.AddCommand(newNotifyStatusCmd(o))
	return cmd
}

func newNotifyStatusCmd(o *rootOptions) *cobra.Command {
	var (
		state  string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Say what the outbox holds, by endpoint: pending, failing, delivered, given up",
		Long: `status reads the outbox of a service's --state directory (while the service
runs, too) and prints, for each endpoint, the notifications waiting
(pending; failing: tried and refused), delivered and given up in the last
7 days, how long the oldest waiting one has waited, and the last error.`,
		Example: `  onair notify status --state /var/lib/onair
  onair notify status --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if state == "" {
				state = o.statePath()
			}
			if state == "" {
				return usagef("notify status needs --state DIR (neither $XDG_STATE_HOME nor $HOME is set)")
			}
			box, err := notify.OpenReadOnly(state)
			if err != nil {
				return err
			}
			defer box.Close()
			stats, err := box.Stats(cmd.Context(), o.env.Now(), nil)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, stats)
			}
			if len(stats) == 0 {
				fmt.Fprintf(w, "The outbox in %s is empty: nothing has been told yet.\n", state)
				return nil
			}
			tw := newTable(w)
			tw.row("ENDPOINT", "PENDING", "FAILING", "DELIVERED", "GIVEN UP", "OLDEST PENDING", "LAST ERROR")
			for _, s := range stats {
				oldest := "-"
				if s.OldestAgeSeconds > 0 {
					oldest = humanDuration(time.Duration(s.OldestAgeSeconds * float64(time.Second)))
				}
				tw.row(s.Endpoint, strconv.Itoa(s.Pending), strconv.Itoa(s.Failing), strconv.Itoa(s.Delivered), strconv.Itoa(s.GivenUp), oldest, cmp.Or(s.LastError, "-"))
			}
			return tw.flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&state, "state", "", "the service's state directory (default $XDG_STATE_HOME/onair, else ~/.local/state/onair)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
