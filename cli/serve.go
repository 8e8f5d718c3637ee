package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/spf13/cobra"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/config"
	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/internal/dirlock"
	"github.com/onair-radio/onair/lease"
	"github.com/onair-radio/onair/notify"
	"github.com/onair-radio/onair/output"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/server"
)

func newServeCmd(o *rootOptions) *cobra.Command {
	var (
		listen, out, atFlag, logFormat, cache, state, leaseURL string
		noCache                                                bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the service: publish on air time, reload on edits, serve over HTTP",
		Long: `serve publishes the station's feeds, schedule and calendars, keeps them
current as air time passes (at each airing's start and end), as the YAML is
edited (an invalid edit changes nothing) and as recordings land, and serves
them over HTTP:

  /  /shows/<show>/  /embed/now/     the web site
  /feeds/<show>.xml  /schedule.json  /calendar.ics  /calendar/<show>.ics
  /media/<show>/<file>  /healthz  /metrics

SIGINT or SIGTERM stops it: it stops accepting, finishes requests in flight
(for at most 10 seconds, then cuts them), stops its timers and watches and
exits 0; a second one ends it at once. SIGHUP reloads the configuration and
the recordings.

Unless the configuration sets station.base_url, feeds and pages link to the
address it listens on. A second service on the same --listen or --out fails
before it writes anything.

With --lease postgres://… (or $ONAIR_LEASE), it is one of several
replicas: each serves HTTP from its own snapshot, and only the holder of
the database's lease writes --out, drives Liquidsoap, records and
notifies; a standby takes over within seconds of the leader's end.

With station.notify, each change is told to Podping, WebSub hubs, the
Podcast Index and webhooks, through an outbox in --state: once, across
restarts.`,
		Example: `  onair serve --config config.example.yaml
  onair serve --listen :8080 --out /var/www/onair --log-format json
  onair serve --at 2026-11-29T12:59:50-06:00   # a clock shifted to just before air time`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var handler slog.Handler
			switch logFormat {
			case "text":
				handler = slog.NewTextHandler(o.env.Stderr, nil)
			case "json":
				handler = slog.NewJSONHandler(o.env.Stderr, nil)
			default:
				return usagef("--log-format %q: want text or json", logFormat)
			}
			log := slog.New(handler)
			var offset time.Duration
			if atFlag != "" {
				at, err := o.at(atFlag)
				if err != nil {
					return err
				}
				if at.wallOnly() {
					// A local time needs the station's zone.
					cfg, err := o.load()
					if err != nil {
						return err
					}
					at.When = scheduler.When{Instant: at.in(cfg.Station.Location)}
				}
				offset = at.Instant.Sub(o.env.Now())
			}
			var c *archive.Cache
			if !noCache {
				if cache == "" {
					cache = o.cachePath()
				}
				c = archive.OpenCache(cache)
			}
			// Listen first, and take --out next: a second service started by
			// mistake fails on one or the other before it writes anything.
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
			defer ln.Close()
			listening := listenURL(ln.Addr())
			// Connections are kept below what the process may open, so that
			// a flood of slow clients cannot leave it unable to open a file
			// or accept a request: past the budget, new ones wait in the
			// kernel's backlog.
			conns := connectionBudget(fdLimit())
			ln = server.LimitListener(ln, conns)
			path := config.Path(o.config, o.env.Getenv)
			opts := server.Options{
				ConfigPath: path, Load: o.loader(path, listening), Clock: clock.System(offset), Logger: log, Cache: c,
				MaxDownloads: conns * 3 / 4, FFmpeg: o.ffmpeg(),
			}
			// The air chain's claim: this service, restarted, is itself;
			// another (another --listen, another host) is refused.
			opts.AirGroup, opts.AirHolder = server.DefaultAirClaim(path, ln.Addr().String())
			if leaseURL == "" {
				leaseURL = o.env.Getenv("ONAIR_LEASE")
			}
			// The configuration as the command reads it, for what serve
			// decides before the service loads it: read once.
			var cfg *config.Config
			if output.IsBucketURL(out) || leaseURL != "" {
				if cfg, err = o.load(); err != nil {
					return err
				}
				// Published for others to fetch, from replicas that must
				// write the same bytes: links to this replica's own
				// address would be wrong for everyone else.
				if !cfg.BaseURLSet {
					what := "--out " + out
					if leaseURL != "" {
						what = "--lease"
					}
					return fmt.Errorf("serve: with %s, station.base_url must be set (in %s, or $ONAIR_STATION_BASE_URL) to the address listeners fetch feeds and media from, such as https://radio.example.org: without it, each replica would link to its own listen address", what, cfg.File)
				}
			}
			if out != "" {
				d, err := output.Open(cmd.Context(), out)
				if err != nil {
					return err
				}
				defer d.Close()
				opts.Out = d
			}
			if state == "" {
				state = o.statePath()
			}
			switch {
			case leaseURL != "":
				// Replicas of a station share the lock of its name, and
				// the outbox of notifications, in the lease's database:
				// a new leader neither repeats nor loses an event.
				key := lease.Key(cfg.Station.Name)
				opts.Lease = lease.New(leaseURL, key, clock.System(0), log)
				// ...and the air chain's claim: the leader of the moment
				// holds it for them all.
				opts.AirGroup = fmt.Sprintf("lease-%x", uint64(key))
				box, err := notify.OpenPostgres(cmd.Context(), leaseURL)
				if err != nil {
					return err
				}
				defer box.Close()
				box.Guard = opts.Lease.Guard // a deposed leader's commits fail in the database
				opts.Outbox = box
			case state != "":
				// One service a state directory: a second, on another
				// --listen, would drive the same air chain and send the
				// same notifications.
				held, err := dirlock.Take(state, opts.AirHolder)
				if err != nil {
					return fmt.Errorf("serve: the state directory is in use: %w; stop that service, or give this one a --state of its own", err)
				}
				defer held.Release()
				// The outbox of notifications: what each publish changed,
				// told once across restarts.
				box, err := notify.OpenFile(state)
				if err != nil {
					return err
				}
				defer box.Close()
				opts.Outbox = box
			}
			svc, err := server.NewService(cmd.Context(), opts)
			if err != nil {
				return err
			}
			warnBaseURL(log, svc.Station().BaseURL, ln.Addr())
			if o.env.Getenv("GOGC") == "" {
				// The service allocates little per request; collecting less
				// often buys throughput (measured with scripts/load.sh)...
				debug.SetGCPercent(400)
			}
			if o.env.Getenv("GOMEMLIMIT") == "" {
				// ...and this soft limit keeps the heap that buys from growing
				// past what a small host expects (GC runs more often near it),
				// but never below one and a half times the live heap (see
				// memoryLimit).
				stop := memoryLimit(160<<20, 10*time.Second)
				defer stop()
			}
			return serve(cmd.Context(), svc, ln, log, o.env.Hangup)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:8080", "the address to serve on")
	f.StringVarP(&out, "out", "o", "", "also write every publish to this directory, or to object storage in the cloud build (-tags cloud: s3://, gs://, azblob://, file://)")
	f.StringVar(&atFlag, "at", "", "run the clock shifted to start at this time: RFC 3339, or a date and time in the station's zone")
	f.StringVar(&logFormat, "log-format", "text", "text or json")
	f.StringVar(&cache, "cache", "", "the probe cache file (default in the user's cache directory)")
	f.BoolVar(&noCache, "no-cache", false, "keep no probe cache")
	f.StringVar(&leaseURL, "lease", "", "run as one of several replicas: act only while holding this PostgreSQL database's lease (postgres://…; default $ONAIR_LEASE)")
	f.StringVar(&state, "state", "", "the directory of the service's state: the notifications' outbox (default $XDG_STATE_HOME/onair, else ~/.local/state/onair)")
	return cmd
}

// fdReserve is what the service keeps of its file descriptors for itself:
// the archive's files, the configuration, the watches, --out.
const fdReserve = 128

// connectionBudget is how many connections the service accepts at once,
// given how many files it may open (0: unknown).
func connectionBudget(fds int) int {
	if fds <= 0 {
		return 4096
	}
	return min(max(fds-fdReserve, 16), 65536)
}

// listenURL is the address a listener serves as a base URL: a wildcard
// address (":8080", "0.0.0.0:8080") as localhost.
func listenURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// warnBaseURL says when base_url names this machine but not where the
// service listens: podcast apps would fetch feeds and media from a port
// nobody serves. (A public base_url, behind a proxy, differs on purpose.)
func warnBaseURL(log *slog.Logger, base string, addr net.Addr) {
	u, err := url.Parse(base)
	if err != nil {
		return
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return
	}
	if _, lport, err := net.SplitHostPort(addr.String()); err == nil && lport != port {
		log.Warn("station.base_url names this machine but another port: feeds and pages will link there; leave base_url unset to use the address served, or set it (or $ONAIR_STATION_BASE_URL) to the public address",
			"base_url", base, "listening", addr.String())
	}
}

// serve runs the service and its HTTP server until ctx is done, then shuts
// them down in order: the listener, the requests in flight, the service's
// loop. A signal on hangup reloads the configuration and rescans the
// recordings.
func serve(ctx context.Context, svc *server.Service, ln net.Listener, log *slog.Logger, hangup <-chan os.Signal) error {
	srv := &http.Server{
		Handler:           svc.HTTPHandler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second, // media lifts it per request
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	ran := make(chan error, 1)
	go func() { ran <- svc.Run(runCtx) }()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "url", "http://"+ln.Addr().String())

	var err error
	for waiting := true; waiting; {
		select {
		case <-ctx.Done():
			waiting = false
		case err = <-served:
			waiting = false
		case <-hangup:
			log.Info("reload asked (SIGHUP)")
			svc.Reload()
		}
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if e := srv.Shutdown(shutdown); errors.Is(e, context.DeadlineExceeded) {
		// Long downloads are cut, as the README says: a stop is a stop.
		log.Warn("requests still running were cut", "after", shutdownGrace)
		srv.Close()
	} else if e != nil {
		err = errors.Join(err, fmt.Errorf("shutdown: %w", e))
	}
	stopRun()
	if e := <-ran; e != nil {
		err = errors.Join(err, e)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("stopped")
	return err
}

// shutdownGrace is how long requests in flight may take to finish after a
// stop is asked for (a variable for tests).
var shutdownGrace = 10 * time.Second

// memoryLimit keeps the process's soft memory limit at floor, or at one and
// a half times the live heap once that is more, looking every period until
// stop is called. A limit under the live heap makes the collector run all
// the time and frees nothing: a busy station's live heap is gigabytes, and
// under the fixed limit its publish at an air time took twice as long
// (scripts/serve-busy.sh, with and without GOMEMLIMIT=160MiB).
func memoryLimit(floor int64, period time.Duration) (stop func()) {
	set := func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		limit := floor
		if sample[0].Value.Kind() == metrics.KindUint64 {
			limit = max(floor, 3*int64(sample[0].Value.Uint64())/2)
		}
		debug.SetMemoryLimit(limit)
	}
	set()
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				set()
			}
		}
	}()
	return func() { close(done); <-ended }
}
