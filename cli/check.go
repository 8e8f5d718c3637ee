package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/config"
	"github.com/onair-radio/onair/playout"
	"github.com/onair-radio/onair/publish"
	"github.com/onair-radio/onair/ready"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

func newCheckCmd(o *rootOptions) *cobra.Command {
	var (
		atFlag string
		days   int
		online bool
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate the configuration and look for overlapping airings",
		Long: `check validates the configuration, reporting every problem with its file,
line, key path and value, then looks at the airings from --at for --days days
for overlaps, exceptions that change nothing, skip dates that skip nothing
and rebroadcasts with nothing to replay, and reads the recordings as publish
would, reporting each that would be left out of its feed (and each file
named almost like a recording: in another case, or with no real date),
artwork that is missing, what Apple Podcasts and Spotify would refuse
(artwork that is not a square of 1400 to 3000 pixels, JPEG or PNG, RGB; no
owner email, category or language; an enclosure URL twice), recordings
dated a day their show does not air live, and files an archive holds that no recording name matches (audio,
sidecars, the .part of a recording that did not finish). It exits 0 when there are no errors (warnings are
printed), 1 otherwise. It holds a week of airings at a time: a year of a
busy station takes seconds and little memory.`,
		Example: `  onair check --config config.example.yaml
  ONAIR_CONFIG=/etc/onair/onair.yaml onair check --days 730`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if days < 1 {
				return usagef("--days %d: want 1 or more", days)
			}
			at, err := o.at(atFlag)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			cfg, err := o.load()
			var ce config.Errors
			if errors.As(err, &ce) {
				// Reporting these is check's job: on standard output, like its findings.
				fmt.Fprintln(w, ce.Error())
				fmt.Fprintf(w, "%s: %s\n", ce[0].File, plural(len(ce), "error"))
				return errReported
			}
			if err != nil {
				return err
			}
			st, sched := cfg.Station, cfg.Station.Schedule
			when := at.in(st.Location)
			if err := sized(cfg, when); err != nil {
				fmt.Fprintln(w, err)
				fmt.Fprintf(w, "%s: 1 error\n", cfg.File)
				return errReported
			}
			to := when.Add(time.Duration(days) * 24 * time.Hour)
			problems, n := sched.CheckWindow(when, to)
			errs := 0
			for _, p := range problems {
				if p.Severity == scheduler.Error {
					errs++
				}
				fmt.Fprintf(w, "%s: %s: %s\n", cfg.Locate(p), p.Severity, p.Message)
			}
			// The recordings: what publish would leave out.
			cache := archive.OpenCache(o.cachePath())
			recs, bad := publish.Scan(cmd.Context(), st, cache, nil)
			if err := cache.Save(); err != nil {
				fmt.Fprintf(o.env.Stderr, "onair: %v\n", err)
			}
			for _, p := range bad {
				errs++
				fmt.Fprintf(w, "%s: error: %v (left out of the feed)\n", p.Path, p.Err)
			}
			// A recording of an airing that has not ended waits for its end.
			aired := publish.Aired(st, recs, when)
			for _, set := range st.Shows {
				published := make(map[string]bool, len(aired[set.ID]))
				for _, r := range aired[set.ID] {
					published[r.Path] = true
				}
				for _, r := range recs[set.ID] {
					if !published[r.Path] {
						fmt.Fprintf(w, "%s: warning: its airing (episode %s) has not ended: it is published once it has\n", r.Path, r.Episode)
					}
				}
			}
			// Files that look meant for the archive but are not recordings.
			for _, set := range st.Shows {
				if set.Recordings == nil {
					continue
				}
				for _, s := range archive.Strays(*set.Recordings) {
					fmt.Fprintf(w, "%s: warning: %s\n", s.Path, s.Why)
				}
			}
			// Recordings that lack part of their airing, or failed: what
			// the service found as each airing ended. The newest few a
			// show, then a count.
			const shownVerdicts = 3
			for _, set := range st.Shows {
				if set.Recordings == nil {
					continue
				}
				vs, err := playout.Verdicts(set.Recordings.Dir)
				if err != nil {
					fmt.Fprintf(w, "%s: warning: %v\n", filepath.Join(set.Recordings.Dir, playout.VerdictLog), err)
				}
				var bad []playout.Verdict
				for _, v := range vs {
					_, exists := os.Stat(filepath.Join(set.Recordings.Dir, v.File))
					if v.Verdict == playout.Failed || v.Verdict == playout.Partial && exists == nil {
						bad = append(bad, v)
					}
				}
				for i, v := range slices.Backward(bad) {
					if len(bad)-i > shownVerdicts {
						fmt.Fprintf(w, "%s: warning: and %s of show %s partial or failed before these\n", set.Recordings.Dir, plural(i+1, "more recording"), set.ID)
						break
					}
					file := filepath.Join(set.Recordings.Dir, v.File)
					if v.Verdict == playout.Partial {
						fmt.Fprintf(w, "%s: warning: partial: %.0f s of airing %s are missing (published as it is)\n", file, v.Missing, v.Airing)
					} else {
						fmt.Fprintf(w, "%s: warning: the recording of airing %s failed, at %s: %s\n", file, v.Airing, v.At.In(st.Location).Format(time.RFC3339), v.Error)
					}
				}
			}
			// Recordings dated a day the show does not air live: a wrong
			// date in a name, or a schedule that no longer says when the
			// show aired. A few a show, then a count.
			const shownUnaired = 3
			unaired := publish.Unaired(st, recs)
			for _, set := range st.Shows {
				rs := unaired[set.ID]
				for i, r := range rs {
					if i == shownUnaired {
						fmt.Fprintf(w, "%s: warning: and %s dated days %s does not air live\n", set.Recordings.Dir, plural(len(rs)-shownUnaired, "more recording"), set.ID)
						break
					}
					day := r.Date.Weekday().String()[:3] + " " + r.Date.String()
					what := "no live airing on " + day
					if r.N > 1 {
						what = fmt.Sprintf("no live airing number %d on %s", r.N, day)
					}
					fmt.Fprintf(w, "%s: warning: show %s has %s (episode %s): it is published, belonging to no airing; check the date in its name, or the show's slots and exceptions\n", r.Path, set.ID, what, r.Episode)
				}
			}
			// Recordings are finished by ffmpeg, where there is one.
			if o.ffmpeg() == "" {
				for _, set := range st.Shows {
					if set.Record {
						fmt.Fprintf(w, "%s: warning: no ffmpeg in $PATH: recordings are published as the stream sends them, untagged%s, and an AAC stream's cannot be published (apt-get install ffmpeg)\n",
							cfg.Locate(scheduler.Problem{Show: set.ID, Slot: -1, Exception: -1, Key: "recordings"}), map[bool]string{true: " and not normalized"}[set.Normalize])
						break
					}
				}
			}
			// A best-of show (rebroadcasts of another's episodes) has none
			// of its own: its feed stays empty, and its page says whose
			// podcast to subscribe to.
			for _, set := range st.Shows {
				if set.Show.HasLive() {
					continue
				}
				of := set.ID
				for _, sl := range set.Show.Slots {
					if sl.Of != "" {
						of = sl.Of
						break
					}
				}
				fmt.Fprintf(w, "%s: warning: show %s has no live slot, so its feed has no episodes of its own: its page offers the podcast of %s, whose episodes it replays, instead\n",
					cfg.Locate(scheduler.Problem{Show: set.ID, Slot: -1, Exception: -1}), set.ID, of)
			}
			// What Apple Podcasts and Spotify would refuse.
			refused := ready.Check(st, recs)
			if online {
				refused = append(refused, checkOnline(cmd.Context(), st, aired)...)
			}
			for _, p := range refused {
				switch {
				case p.Show == "" && p.File == "":
					fmt.Fprintf(w, "%s: warning: %s\n", cfg.File, p.Rule)
				case p.File == "":
					fmt.Fprintf(w, "%s: warning: %s\n", cfg.Locate(scheduler.Problem{Show: p.Show, Slot: -1, Exception: -1}), p.Rule)
				default:
					fmt.Fprintf(w, "%s: warning: show %s: %s\n", p.File, p.Show, p.Rule)
				}
			}
			for _, p := range checkPlayout(st) {
				if strings.HasPrefix(p, "error: ") {
					errs++
				}
				fmt.Fprintf(w, "%s: %s\n", cfg.Locate(scheduler.Problem{Slot: -1, Exception: -1, Key: "playout"}), p)
			}
			episodes, withArt := 0, 0
			for _, set := range st.Shows {
				if set.Podcast.ImageURL != "" {
					withArt++
				}
			}
			if withArt == 0 && len(st.Shows) > 1 {
				// One line for the station, not one a show.
				fmt.Fprintf(w, "%s: warning: no show has an image: Apple Podcasts requires artwork (1400 to 3000 pixels square); set station.image for every show, or image: per show\n", cfg.File)
			}
			for _, set := range st.Shows {
				episodes += len(recs[set.ID])
				if set.ImageFile != "" {
					if info, err := os.Stat(set.ImageFile); err != nil || !info.Mode().IsRegular() {
						errs++
						fmt.Fprintf(w, "%s: error: image: no file %s in the show's recordings.dir\n", cfg.Locate(scheduler.Problem{Show: set.ID, Slot: -1, Exception: -1, Key: "image"}), filepath.Base(set.ImageFile))
					}
				}
				if set.Podcast.ImageURL == "" && (withArt > 0 || len(st.Shows) == 1) {
					fmt.Fprintf(w, "%s: warning: no image: Apple Podcasts requires artwork (1400 to 3000 pixels square)\n", cfg.Locate(scheduler.Problem{Show: set.ID, Slot: -1, Exception: -1}))
				}
			}
			slots, excs := 0, 0
			for _, sh := range st.Shows {
				slots += len(sh.Slots)
				excs += len(sh.Exceptions)
			}
			loc := st.Location
			summary := fmt.Sprintf("%s: %s, %s, %s, %s; %s from %s to %s",
				cfg.File, plural(len(st.Shows), "show"), plural(slots, "slot"), plural(excs, "exception"), plural(episodes, "recorded episode"),
				plural(n, "airing"), when.In(loc).Format(time.DateOnly), to.In(loc).Format(time.DateOnly))
			if errs > 0 {
				fmt.Fprintf(w, "%s; %s\n", summary, plural(errs, "error"))
				return errReported
			}
			fmt.Fprintf(w, "%s; ok\n", summary)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&atFlag, "at", "", "check from this time: RFC 3339, or a date and time in the station's zone (default now)")
	f.IntVar(&days, "days", 366, "how many days of airings to check")
	f.BoolVar(&online, "online", false, "also fetch base_url's media and artwork: HEAD, byte ranges, artwork sizes")
	return cmd
}

// checkOnline runs the checks that need the served site, when base_url
// answers; when it does not, it says so once.
func checkOnline(ctx context.Context, st *station.Station, recs publish.Recordings) []ready.Problem {
	client := &http.Client{Timeout: 10 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, st.BaseURL+"/", nil)
	if err == nil {
		var resp *http.Response
		if resp, err = client.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	if err != nil {
		return []ready.Problem{{Show: "-", File: st.BaseURL, Rule: fmt.Sprintf("--online: base_url does not answer (%v): media and artwork were not checked; run it where the site is reachable", err)}}
	}
	return ready.Online(ctx, st, recs, client)
}

// audioExts are the files a fallback folder plays.
var audioExts = map[string]bool{".mp3": true, ".m4a": true, ".aac": true, ".ogg": true, ".opus": true, ".flac": true, ".wav": true}

// checkPlayout looks at what the air chain needs on disk and on the
// network: a fallback that exists and holds audio, and a stream_url that
// is the Icecast mount Liquidsoap sends to (what is recorded is what aired).
func checkPlayout(st *station.Station) []string {
	po := st.Playout
	if po == nil {
		return nil
	}
	var out []string
	if po.Fallback != "" {
		info, err := os.Stat(po.Fallback)
		switch {
		case err != nil:
			out = append(out, fmt.Sprintf("error: fallback %s: %v", po.Fallback, err))
		case info.IsDir():
			entries, _ := os.ReadDir(po.Fallback)
			audio := false
			for _, e := range entries {
				audio = audio || audioExts[strings.ToLower(filepath.Ext(e.Name()))]
			}
			if !audio {
				out = append(out, fmt.Sprintf("error: fallback %s holds no audio (mp3, m4a, ogg, flac, wav): silence would air", po.Fallback))
			}
		case !audioExts[strings.ToLower(filepath.Ext(po.Fallback))]:
			out = append(out, fmt.Sprintf("error: fallback %s is not an audio file (mp3, m4a, ogg, flac, wav)", po.Fallback))
		}
	}
	ic := po.Icecast
	want := fmt.Sprintf("http://%s%s", net.JoinHostPort(ic.Host, strconv.Itoa(ic.Port)), ic.Mount)
	if st.StreamURL != want {
		out = append(out, fmt.Sprintf("warning: stream_url %q is not the mount Liquidsoap sends to (%s): listeners, and recordings, get another stream", st.StreamURL, want))
	}
	return out
}
