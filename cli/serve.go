package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/config"
	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/output"
	"github.com/onair-radio/onair/server"
)

func newServeCmd(o *rootOptions) *cobra.Command {
	var (
		listen, out, atFlag, logFormat, cache string
		noCache                               bool
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
(for at most 10 seconds), stops its timers and watches and exits 0.`,
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
					at.instant = at.in(cfg.Station.Location)
				}
				offset = at.instant.Sub(o.env.Now())
			}
			var c *archive.Cache
			if !noCache {
				if cache == "" {
					cache = o.cachePath()
				}
				c = archive.OpenCache(cache)
			}
			path := config.Path(o.config, o.env.Getenv)
			opts := server.Options{
				ConfigPath: path, Load: o.loader(path), Clock: clock.System(offset), Logger: log, Cache: c,
			}
			if out != "" {
				opts.Out = output.Dir(out)
			}
			svc, err := server.NewService(opts)
			if err != nil {
				return err
			}
			if os.Getenv("GOGC") == "" {
				// The service allocates little per request; collecting less
				// often buys throughput (measured with scripts/load.sh)...
				debug.SetGCPercent(400)
			}
			if os.Getenv("GOMEMLIMIT") == "" {
				// ...and this soft limit keeps the heap that buys from growing
				// past what a small host expects (GC runs more often near it).
				debug.SetMemoryLimit(160 << 20)
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
			return serve(cmd.Context(), svc, ln, log)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:8080", "the address to serve on")
	f.StringVarP(&out, "out", "o", "", "also write every publish to this directory")
	f.StringVar(&atFlag, "at", "", "run the clock shifted to start at this time: RFC 3339, or a date and time in the station's zone")
	f.StringVar(&logFormat, "log-format", "text", "text or json")
	f.StringVar(&cache, "cache", "", "the probe cache file (default in the user's cache directory)")
	f.BoolVar(&noCache, "no-cache", false, "keep no probe cache")
	return cmd
}

// serve runs the service and its HTTP server until ctx is done, then shuts
// them down in order: the listener, the requests in flight, the service's loop.
func serve(ctx context.Context, svc *server.Service, ln net.Listener, log *slog.Logger) error {
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
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if e := srv.Shutdown(shutdown); e != nil {
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
