package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/internal/sink"
	"github.com/onair-radio/onair/output"
	"github.com/onair-radio/onair/publish"
	"github.com/onair-radio/onair/web"
)

func newPublishCmd(o *rootOptions) *cobra.Command {
	var (
		out, atFlag, cache string
		noCache            bool
	)
	cmd := &cobra.Command{
		Use:   "publish --out DIR",
		Short: "Write the podcast feeds, schedule.json, calendars and web pages to a directory",
		Long: `publish writes everything the station publishes, as of --at (default now):

  DIR/feeds/<show>.xml     each show's podcast feed
  DIR/schedule.json        the airings of the next station.schedule_days days
  DIR/calendar.ics         every show's airings, for calendar apps
  DIR/calendar/<show>.ics  one show's
  DIR/index.html           the week at a glance, with DIR/shows/<show>/index.html,
                           DIR/embed/now/index.html (a widget) and DIR/assets/

The directory is replaced whole and atomically: readers see the old set or
the new one. Recordings that cannot be published are reported and left out.
Probes of the recordings are cached by path, size and modification time.`,
		Example: `  onair publish --config config.example.yaml --out public
  onair publish --out /var/www/onair --at 2026-11-29T13:00:00-06:00`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("publish needs --out DIR: where to write the feeds, schedule, calendars and pages")
			}
			at, err := o.at(atFlag)
			if err != nil {
				return err
			}
			cfg, err := o.load()
			if err != nil {
				return err
			}
			when := at.in(cfg.Station.Location)
			if err := unlessStopped(cmd.Context(), func() error { return sized(cfg, when) }); err != nil {
				return err
			}
			var c *archive.Cache
			if !noCache {
				if cache == "" {
					cache = o.cachePath()
				}
				c = archive.OpenCache(cache)
			}
			recs, problems := publish.Scan(cmd.Context(), cfg.Station, c, progressTo(o.env.Stderr))
			for _, p := range problems {
				fmt.Fprintf(o.env.Stderr, "onair: %v\n", p)
			}
			d, err := output.Open(cmd.Context(), out)
			if err != nil {
				return err
			}
			defer d.Close()
			// A directory takes each document as it is rendered (a busy
			// station's are a hundred MB each); object storage, the site
			// built whole.
			if err := unlessStopped(cmd.Context(), func() error {
				if s, ok := d.(output.Streamer); ok {
					return s.Publish(cmd.Context(), func(to sink.Sink) error {
						_, err := publish.BuildTo(cmd.Context(), to, cfg.Station, recs, when)
						return err
					})
				}
				site, err := publish.Build(cmd.Context(), cfg.Station, recs, when)
				if err != nil {
					return err
				}
				return d.Write(cmd.Context(), site)
			}); err != nil {
				return err
			}
			if c != nil {
				if err := c.Save(); err != nil {
					fmt.Fprintf(o.env.Stderr, "onair: %v\n", err)
				}
			}
			episodes := 0
			for _, r := range recs {
				episodes += len(r)
			}
			guide := "XMLTV"
			if cfg.Station.StreamURL != "" {
				guide = "XMLTV, M3U" // only with a stream to list
			}
			fmt.Fprintf(cmd.OutOrStdout(), "published %s (%s), schedule.json, %s, the guide (%s) and %s to %s as of %s\n",
				plural(len(cfg.Station.Shows), "feed"), plural(episodes, "episode"), plural(len(cfg.Station.Shows)+1, "calendar"), guide,
				plural(len(web.Pages(cfg.Station)), "web page"), out, when.In(cfg.Station.Location).Format("2006-01-02T15:04:05Z07:00"))
			if len(problems) > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s left out (see above)\n", plural(len(problems), "recording"))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "the directory to write (replaced whole), or object storage in the cloud build (-tags cloud): s3://bucket?region=…, gs://bucket, azblob://container, file:///dir")
	f.StringVar(&atFlag, "at", "", "as of this time: RFC 3339, or a date and time in the station's zone (default now)")
	f.StringVar(&cache, "cache", "", "the probe cache file (default in the user's cache directory)")
	f.BoolVar(&noCache, "no-cache", false, "probe every recording, and keep no cache")
	return cmd
}

// unlessStopped runs f, and returns f's error, or ctx's cause as soon as
// ctx is done (a signal): a build stops between two documents and within a
// large one's writes, but listing a busy station's airings takes a second
// or two, and a command that was told to stop must not take them. The
// output is replaced only at the end of a whole write (in one rename), so
// what a stop leaves is the site before, and the process ends, with f's
// goroutine, when the command returns.
func unlessStopped(ctx context.Context, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// A write stops at its next write, and removes what it had written:
	// give it that long, not the rest of a listing.
	select {
	case <-done:
	case <-time.After(stopGrace):
	}
	return fmt.Errorf("publish: stopped, the site before left in place: %w", context.Cause(ctx))
}

// stopGrace is how long a stopped publish waits for its write to clean
// up after itself: well within a second of the signal.
const stopGrace = 300 * time.Millisecond

// cachePath is the default probe cache, in the user's cache directory
// ($XDG_CACHE_HOME, else ~/.cache), read from the command's environment;
// "" (no cache kept) when neither is set.
func (o *rootOptions) cachePath() string {
	dir := o.env.Getenv("XDG_CACHE_HOME")
	if dir == "" {
		home := o.env.Getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".cache")
	}
	return filepath.Join(dir, "onair", "probes.json")
}

// progressTo shows a scan's progress on w when w is a terminal; elsewhere
// (logs, pipes, tests) it says nothing.
func progressTo(w io.Writer) archive.Progress {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(done, total int) {
		fmt.Fprintf(f, "\rprobing recordings: %d/%d", done, total)
		if done == total {
			fmt.Fprint(f, "\r\033[K")
		}
	}
}
