package server

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/config"
	"github.com/onair-radio/onair/publish"
	"github.com/onair-radio/onair/scheduler"
	"github.com/robfig/cron/v3"
)

// Options configure a Service.
type Options struct {
	ConfigPath string
	Out        string           // also write every publish here, when set
	Clock      func() time.Time // the service's notion of now (shifted by --at)
	Logger     *slog.Logger
	Cache      *archive.Cache
	// Settle is how long the config file or a recording must be left alone
	// before it is read (one save can be several writes; a recording is
	// copied in over time). Default 1s. A recorder that pauses longer than
	// this mid-file should write to a temporary name and rename the file
	// when done (names that do not match the pattern are not published).
	Settle time.Duration
}

// Service keeps a station's site current: it publishes on start, at every
// instant the site changes for time's sake (robfig/cron, on instants the
// engine computes), when the configuration is edited and when recordings
// land, and serves it through its Handler.
type Service struct {
	opts    Options
	log     *slog.Logger
	handler *Handler
	metrics *Metrics
	cron    *cron.Cron
	watcher *fsnotify.Watcher

	// stopped is set when Run returns: a timer that fires later does nothing.
	stopped atomic.Bool

	// reschedule asks Run to restart the cron: its next instant was
	// computed from a schedule or a clock that no longer holds.
	reschedule chan struct{}
	// watching closes when Run watches the files and the clock.
	watching chan struct{}

	mu        sync.Mutex // one publish or reload at a time; guards the fields below
	cfg       *config.Config
	sched     *scheduler.Schedule
	recs      publish.Recordings
	cfgHash   [32]byte // of the configuration in use
	triedHash [32]byte // of the last content read, good or bad
	loadedAt  time.Time
	reloadErr string
	nextEvent time.Time
	onAir     map[string]scheduler.Airing // by id, as of the last publish
	builder   publish.Builder             // rebuilds only the feeds that changed
}

// NewService loads the configuration (which must be valid to start), scans
// the recordings and publishes once.
func NewService(opts Options) (*Service, error) {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Settle == 0 {
		opts.Settle = time.Second
	}
	s := &Service{opts: opts, log: opts.Logger, metrics: NewMetrics(), reschedule: make(chan struct{}, 1), watching: make(chan struct{})}
	data, err := os.ReadFile(opts.ConfigPath)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg, err := config.Parse(opts.ConfigPath, data)
	if err != nil {
		return nil, err
	}
	s.cfg, s.sched, s.cfgHash, s.loadedAt = cfg, scheduler.New(cfg.Station), sha256.Sum256(data), opts.Clock()
	// Watch before the first scan, so that a recording landing from here on
	// is an event for Run.
	if s.watcher, err = fsnotify.NewWatcher(); err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	s.watch(s.watcher)
	s.scanLocked()
	site, err := s.buildLocked("start")
	if err != nil {
		s.watcher.Close()
		return nil, err
	}
	s.handler = NewHandler(NewSnapshot(s.cfg, s.sched, site, nil))
	s.handler.Now = opts.Clock
	s.handler.Health = s.health
	s.handler.Metrics = s.metrics
	return s, nil
}

// HTTPHandler is Handler with request metrics.
func (s *Service) HTTPHandler() http.Handler { return s.metrics.Instrument(s.handler) }

// boundaries is the cron schedule of the instants the site changes: the
// engine decides them (DST included), not robfig's Next.
type boundaries struct{ s *Service }

func (b boundaries) Next(t time.Time) time.Time {
	// Under a shifted clock (--at), cron's time and the station's differ.
	offset := b.s.opts.Clock().Sub(time.Now())
	b.s.mu.Lock()
	cfg, sched := b.s.cfg, b.s.sched
	b.s.mu.Unlock()
	return publish.NextChange(cfg, sched, t.Add(offset)).Add(-offset)
}

// Run keeps the site current until ctx is done, then stops its cron and
// waits for a running publish to finish.
func (s *Service) Run(ctx context.Context) error {
	s.startCron()
	defer func() { <-s.cron.Stop().Done() }()

	w := s.watcher
	defer w.Close()
	// An edit of the configuration between its reading and its watching
	// (the hash says whether there was one).
	s.Reload()

	var (
		configTimer, recTimer *time.Timer
		clockCheck            = time.NewTicker(2 * time.Second)
		lastWall, lastMono    = s.opts.Clock().Round(0), time.Now()
	)
	defer clockCheck.Stop()
	close(s.watching)
	fire := func(t **time.Timer, f func()) {
		if *t != nil {
			(*t).Stop()
		}
		*t = time.AfterFunc(s.opts.Settle, f)
	}
	for {
		select {
		case <-ctx.Done():
			s.stopped.Store(true)
			for _, t := range []*time.Timer{configTimer, recTimer} {
				if t != nil {
					t.Stop()
				}
			}
			s.mu.Lock() // wait for a publish in progress
			s.mu.Unlock()
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			switch {
			case s.isConfigEvent(ev):
				fire(&configTimer, func() { s.Reload(); s.watch(w) })
			case s.isArchiveEvent(ev):
				fire(&recTimer, s.recordingsChanged)
			}
		case err, ok := <-w.Errors:
			if ok {
				s.log.Warn("watch", "err", err)
			}
		case <-clockCheck.C:
			// A wall clock that jumped (NTP, a resumed laptop or VM) moves
			// air time under the cron's timer: publish for now, and let the
			// cron compute its next instant afresh. The service's clock is
			// the wall clock (shifted by --at); the monotonic clock says
			// how much time really passed.
			wall, mono := s.opts.Clock().Round(0), time.Now()
			if drift := wall.Sub(lastWall) - mono.Sub(lastMono); drift > time.Second || drift < -time.Second {
				s.log.Info("clock jumped", "by", drift.Round(time.Millisecond))
				s.Publish("clock jump")
				s.askReschedule()
			}
			lastWall, lastMono = wall, mono
		case <-s.reschedule:
			<-s.cron.Stop().Done()
			s.startCron()
		}
	}
}

func (s *Service) startCron() {
	s.cron = cron.New(cron.WithChain(cron.Recover(cronLogger{s.log})), cron.WithLocation(time.UTC))
	s.cron.Schedule(boundaries{s}, cron.FuncJob(func() { s.Publish("air time") }))
	s.cron.Start()
}

func (s *Service) askReschedule() {
	select {
	case s.reschedule <- struct{}{}:
	default: // one is pending already
	}
}

// watch watches the configuration's directory and every archive directory.
// Watching the directory, not the file, follows saves by rename (vim) and
// Kubernetes' ConfigMap symlink swaps.
func (s *Service) watch(w *fsnotify.Watcher) {
	s.mu.Lock()
	dirs := []string{filepath.Dir(s.opts.ConfigPath)}
	for _, set := range s.cfg.Shows {
		if set.Recordings != nil {
			dirs = append(dirs, set.Recordings.Dir)
		}
	}
	s.mu.Unlock()
	for _, d := range dirs {
		if err := w.Add(d); err != nil {
			s.log.Warn("watch", "dir", d, "err", err)
		}
	}
}

func (s *Service) isConfigEvent(ev fsnotify.Event) bool {
	if filepath.Dir(ev.Name) != filepath.Dir(s.opts.ConfigPath) {
		return false
	}
	base := filepath.Base(ev.Name)
	return base == filepath.Base(s.opts.ConfigPath) || base == "..data" // a ConfigMap's swapped link
}

// isArchiveEvent says whether ev is in an archive directory (and not the
// configuration's, which other files may share).
func (s *Service) isArchiveEvent(ev fsnotify.Event) bool {
	dir := filepath.Dir(ev.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, set := range s.cfg.Shows {
		if set.Recordings != nil && filepath.Clean(set.Recordings.Dir) == dir {
			return true
		}
	}
	return false
}

// Reload reads the configuration again. An invalid one changes nothing: the
// last good configuration keeps serving, and the error is logged and shown
// on /healthz. An unchanged file (a save without edits, a second event of
// one save) does nothing.
func (s *Service) Reload() { s.reload(false) }

// reload is Reload; an invalid file is reported only once it has stayed the
// same for the settle time (confirm), so that a file caught half-written by
// its editor is not reported, nor counted, as a failed edit.
func (s *Service) reload(confirm bool) {
	if s.stopped.Load() {
		return
	}
	data, err := os.ReadFile(s.opts.ConfigPath)
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := sha256.Sum256(data)
	if err == nil && (sum == s.cfgHash || sum == s.triedHash) {
		return // unchanged, or this very content was refused already
	}
	var cfg *config.Config
	if err == nil {
		cfg, err = config.Parse(s.opts.ConfigPath, data)
	}
	if err != nil && !confirm {
		time.AfterFunc(s.opts.Settle, func() { s.reload(true) })
		return
	}
	if err != nil {
		s.triedHash = sum
		s.reloadErr = err.Error()
		s.metrics.reloadFailure()
		s.log.Error("reload failed; still serving the last good configuration", "config", s.opts.ConfigPath, "err", err)
		return
	}
	s.cfg, s.sched, s.cfgHash, s.loadedAt, s.reloadErr = cfg, scheduler.New(cfg.Station), sum, s.opts.Clock(), ""
	s.log.Info("reloaded", "config", s.opts.ConfigPath, "shows", len(cfg.Shows))
	s.scanLocked()
	s.publishLocked("reload")
	s.askReschedule() // the new schedule has other air times
}

// recordingsChanged rescans once the archive has been quiet for the settle
// time: a file still growing was written to within it, and waits for the
// next round.
func (s *Service) recordingsChanged() {
	if s.stopped.Load() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	quiet := time.Now().Add(-s.opts.Settle)
	for _, set := range s.cfg.Shows {
		if set.Recordings == nil {
			continue
		}
		entries, _ := os.ReadDir(set.Recordings.Dir)
		for _, e := range entries {
			if info, err := e.Info(); err == nil && info.ModTime().After(quiet) {
				time.AfterFunc(s.opts.Settle, s.recordingsChanged)
				return
			}
		}
	}
	s.scanLocked()
	s.publishLocked("recordings")
}

func (s *Service) scanLocked() {
	recs, problems := publish.Scan(s.cfg, s.opts.Cache, nil)
	for _, p := range problems {
		s.log.Warn("recording left out", "file", p.Path, "err", p.Err)
	}
	s.recs = recs
	if s.opts.Cache != nil {
		if err := s.opts.Cache.Save(); err != nil {
			s.log.Warn("probe cache", "err", err)
		}
	}
}

// Publish recomputes the site for now and serves it.
func (s *Service) Publish(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publishLocked(reason)
}

func (s *Service) publishLocked(reason string) {
	site, err := s.buildLocked(reason)
	if err != nil {
		s.log.Error("publish", "reason", reason, "err", err)
		return
	}
	s.handler.Swap(NewSnapshot(s.cfg, s.sched, site, s.handler.Snapshot()))
}

func (s *Service) buildLocked(reason string) (*publish.Site, error) {
	start := time.Now()
	at := s.opts.Clock()
	site, err := s.builder.Build(s.cfg, s.sched, s.recs, at)
	if err != nil {
		return nil, err
	}
	if s.opts.Out != "" {
		if err := publish.Write(s.opts.Out, site); err != nil {
			return nil, err
		}
	}
	s.nextEvent = publish.NextChange(s.cfg, s.sched, at)
	s.metrics.published(time.Since(start), s.nextAiring(at))
	s.log.Info("published", "reason", reason, "at", at.Format(time.RFC3339), "feeds_rebuilt", s.builder.Rebuilt, "took", time.Since(start).Round(time.Millisecond), "next", s.nextEvent.Format(time.RFC3339))
	s.logAirings(at)
	return site, nil
}

// logAirings logs each airing that started or ended since the last publish,
// once.
func (s *Service) logAirings(at time.Time) {
	now := make(map[string]scheduler.Airing)
	for _, a := range s.sched.OnAir(at) {
		now[a.ID] = a
		if _, was := s.onAir[a.ID]; !was {
			s.log.Info("airing started", "show", a.Show.ID, "airing", a.ID, "kind", a.Kind, "episode", a.Episode, "end", a.End.Format(time.RFC3339))
		}
	}
	for id, a := range s.onAir {
		if _, still := now[id]; !still {
			s.log.Info("airing ended", "show", a.Show.ID, "airing", id)
		}
	}
	s.onAir = now
}

func (s *Service) nextAiring(at time.Time) time.Time {
	if as := s.sched.Next(at, 1); len(as) > 0 {
		return as[0].Start
	}
	return time.Time{}
}

// health is /healthz.
func (s *Service) health() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	status := "ok"
	if s.reloadErr != "" {
		status = "degraded"
	}
	return map[string]any{
		"status":            status,
		"config":            s.opts.ConfigPath,
		"loaded_at":         s.loadedAt.Format(time.RFC3339),
		"last_reload_error": nullable(s.reloadErr),
		"next_event":        s.nextEvent.Format(time.RFC3339),
		"now":               s.opts.Clock().Format(time.RFC3339),
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// cronLogger lets robfig/cron's Recover log through slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
