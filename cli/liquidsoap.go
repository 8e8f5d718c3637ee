package cli

import (
	"github.com/onair-radio/onair/playout"
	"github.com/spf13/cobra"
)

func newLiquidsoapCmd(o *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "liquidsoap",
		Short: "Print the station's Liquidsoap script, for its air chain",
		Long: `liquidsoap prints the Liquidsoap script of the station's air chain
(station.playout): the studio's harbor input, on air only during live
airings; the episode of each rebroadcast, from its start, cut at its end;
the fallback otherwise; all sent to Icecast. The script holds no times:
onair serve drives it over Liquidsoap's server at each airing's start and
end. Run it as an unprivileged user (Liquidsoap refuses root).`,
		Example: `  onair liquidsoap --config onair.yaml > station.liq
  liquidsoap station.liq`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := o.load()
			if err != nil {
				return err
			}
			script, err := playout.Script(cfg.Station, cfg.File)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(script)
			return err
		},
	}
}
