package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/onair-radio/onair/output"
	"github.com/spf13/pflag"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/config"
	"github.com/onair-radio/onair/internal/suggest"
	"github.com/onair-radio/onair/publish"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// Env is what a command may use of the world outside it.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// Hangup receives SIGHUP, which makes onair serve reload; nil never does.
	Hangup <-chan os.Signal
}

// Exit statuses.
const (
	ExitOK      = 0
	ExitFailure = 1 // the configuration is invalid, or the work failed
	ExitUsage   = 2 // the command line is wrong
)

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errReported means the command has already printed what went wrong.
var errReported = errors.New("reported")

// Run runs the onair command line with args (without the program name) and
// returns the exit status.
func Run(ctx context.Context, args []string, env Env) int {
	root := newRootCmd(env)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errReported):
		return ExitFailure
	}
	var ue usageError
	var ce config.Errors
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "onair: %v\n", err)
		return ExitUsage
	case strings.HasPrefix(err.Error(), "unknown command"):
		// Cobra's own (its suggestions are off): one line, with the one
		// way onair suggests a name.
		line, _, _ := strings.Cut(strings.TrimSpace(err.Error()), "\n")
		hint := " (see onair --help)"
		if word, _, ok := strings.Cut(strings.TrimPrefix(line, `unknown command "`), `"`); ok {
			var names []string
			for _, c := range root.Commands() {
				names = append(names, c.Name())
			}
			if h := suggest.Hint(word, names); h != "" {
				hint = h
			}
		}
		fmt.Fprintf(env.Stderr, "onair: %s%s\n", line, hint)
		return ExitUsage
	case errors.As(err, &ce):
		fmt.Fprintln(env.Stderr, ce.Error())
		fmt.Fprintf(env.Stderr, "onair: %s\n", plural(len(ce), "problem"))
		return ExitFailure
	}
	fmt.Fprintf(env.Stderr, "onair: %v\n", err)
	return ExitFailure
}

type rootOptions struct {
	env    Env
	config string
}

func newRootCmd(env Env) *cobra.Command {
	o := &rootOptions{env: env}
	root := &cobra.Command{
		Use:   "onair",
		Short: "Schedule radio shows and publish their podcasts",
		Long: `onair schedules a station's radio shows, described in YAML, and answers
"what airs next, and when?".

The configuration is read from --config, else $ONAIR_CONFIG, else ./onair.yaml.`,
		SilenceUsage:       true,
		SilenceErrors:      true,
		DisableSuggestions: true, // suggest.Nearest, as for every name
		Version:            version(debug.ReadBuildInfo()),
	}
	root.SetVersionTemplate("onair {{.Version}}\n" + storage(output.Schemes()) + "\n")
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.PersistentFlags().StringVarP(&o.config, "config", "c", "", "the station's YAML (default $ONAIR_CONFIG, else ./onair.yaml)")
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newNextCmd(o), newNowCmd(o), newWeekCmd(o), newCheckCmd(o), newPublishCmd(o), newServeCmd(o), newLiquidsoapCmd(o), newNotifyCmd(o), newVersionCmd(o))
	root.CompletionOptions.DisableDefaultCmd = true
	return root
}

// flagError is a mistake in a command's flags, with the flag meant when
// one is near ("unknown flag: --cout (did you mean \"--count\"?)").
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		var names []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		if n := suggest.Nearest(name, names); n != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", "--"+n)
		}
	}
	return usageError{msg}
}

// needsCommand is the RunE of a command that only groups others: a word
// that names none of them is a mistake (with the one meant, when one is
// near), not a reason to print help and succeed.
func needsCommand(cmd *cobra.Command, args []string) error {
	var names []string
	for _, c := range cmd.Commands() {
		names = append(names, c.Name())
	}
	if len(args) == 0 {
		return usagef("%s needs a command: %s", cmd.CommandPath(), strings.Join(names, ", "))
	}
	return usagef("%s: no command %q%s (it has %s)", cmd.CommandPath(), args[0], suggest.Hint(args[0], names), strings.Join(names, ", "))
}

// load reads and validates the configuration, with the command's
// environment.
func (o *rootOptions) load() (*config.Config, error) {
	path := config.Path(o.config, o.env.Getenv)
	cfg, err := config.Load(path, config.Options{Getenv: o.env.Getenv})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no configuration at %s: pass --config FILE or set $ONAIR_CONFIG", path)
	}
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// sized refuses a station whose publish at at would list more than
// publish.MaxAirings, at its schedule_days: check, publish and serve (at
// start and at each reload) say so before anything is built.
func sized(cfg *config.Config, at time.Time) error {
	if err := publish.CheckSize(cfg.Station, at); err != nil {
		return fmt.Errorf("%s: %w", cfg.Locate(scheduler.Problem{Key: "schedule_days", Slot: -1, Exception: -1}), err)
	}
	return nil
}

// loader is how the service reads the configuration at path again: with
// the command's environment, as load does, and base as the base_url when
// none is set.
func (o *rootOptions) loader(path, base string) func([]byte) (*station.Station, error) {
	return func(data []byte) (*station.Station, error) {
		cfg, err := config.Parse(path, data, config.Options{Getenv: o.env.Getenv, BaseURL: base})
		if err != nil {
			return nil, err
		}
		if err := sized(cfg, o.env.Now()); err != nil {
			return nil, err
		}
		return cfg.Station, nil
	}
}

// atTime is a --at: a scheduler.When, or unset (the clock).
type atTime struct{ scheduler.When }

// at reads --at with scheduler.ParseWhen: an RFC 3339 time, or a local
// date and time ("2027-03-14 10:00", "2027-03-14T10:00", with seconds or
// not) or a bare date (its midnight), read later in a zone.
func (o *rootOptions) at(flag string) (atTime, error) {
	if flag == "" {
		return atTime{scheduler.When{Instant: o.env.Now()}}, nil
	}
	w, err := scheduler.ParseWhen(flag)
	if err != nil {
		return atTime{}, usagef("--at %q: %v", flag, err)
	}
	return atTime{w}, nil
}

// in is the instant, reading a wall time in loc.
func (a atTime) in(loc *time.Location) time.Time { return a.In(loc) }

// wallOnly says whether the time needs a zone to be an instant.
func (a atTime) wallOnly() bool { return a.IsWall() }

// question is what next, now and week share: the instant asked at (--at),
// the schedule, and the zone to show times in (--tz, else the station's).
type question struct {
	at    time.Time
	st    *station.Station
	sched *scheduler.Schedule
	loc   *time.Location
	// jsonLoc is where JSON times are written: --tz, or nil for each
	// airing's own show's zone.
	jsonLoc *time.Location
	recs    publish.Recordings // read once, for JSON
}

func (o *rootOptions) question(at, tz string, shows []string) (*question, error) {
	when, err := o.at(at)
	if err != nil {
		return nil, err
	}
	cfg, err := o.load()
	if err != nil {
		return nil, err
	}
	st := cfg.Station
	loc, err := zone(tz, st.Location)
	if err != nil {
		return nil, err
	}
	if err := checkShows(st, shows); err != nil {
		return nil, err
	}
	q := &question{at: when.in(loc), st: st, sched: st.Schedule, loc: loc}
	if tz != "" {
		q.jsonLoc = loc
	}
	return q, nil
}

// airingsJSON is airings as --json prints them, with the media URL of the
// recordings they play. It reads the archives (through the probe cache),
// as publish does, keeping the recordings publish would publish as of the
// question's time.
func (q *question) airingsJSON(ctx context.Context, o *rootOptions, airings []scheduler.Airing) []scheduler.AiringJSON {
	if q.recs == nil {
		cache := archive.OpenCache(o.cachePath())
		recs, _ := publish.Scan(ctx, q.st, cache, nil) // check reports what is left out
		if err := cache.Save(); err != nil {
			fmt.Fprintf(o.env.Stderr, "onair: %v\n", err)
		}
		q.recs = publish.Aired(q.st, recs, q.at)
	}
	return publish.AiringsJSON(airings, q.recs, q.jsonLoc)
}

// statePath is the service's default state directory: $XDG_STATE_HOME/onair,
// else ~/.local/state/onair, from the command's environment; "" when
// neither is set.
func (o *rootOptions) statePath() string {
	dir := o.env.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home := o.env.Getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "onair")
}

// ffmpeg is the path of ffmpeg in the command's $PATH; "" when it has none.
// It finishes recordings: their tags, an AAC stream's M4A file, their
// loudness.
func (o *rootOptions) ffmpeg() string {
	for _, dir := range filepath.SplitList(o.env.Getenv("PATH")) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, "ffmpeg")
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// zone reads --tz, or returns def.
func zone(flag string, def *time.Location) (*time.Location, error) {
	if flag == "" {
		return def, nil
	}
	if flag == "Local" {
		return nil, usagef("--tz %q: want an IANA time zone, such as Europe/Berlin", flag)
	}
	loc, err := time.LoadLocation(flag)
	if err != nil {
		return nil, usagef("--tz %q: unknown time zone%s; want an IANA name, such as Europe/Berlin", flag, suggest.Hint(flag, config.KnownZones()))
	}
	return loc, nil
}

// checkShows refuses show ids the station does not have.
func checkShows(st *station.Station, ids []string) error {
	for _, id := range ids {
		if st.Show(id) == nil {
			var known []string
			for _, sh := range st.Shows {
				known = append(known, sh.ID)
			}
			return usagef("no show %q%s (the station has %s)", id, suggest.Hint(id, known), strings.Join(known, ", "))
		}
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
