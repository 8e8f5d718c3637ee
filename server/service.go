package server

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/internal/clock"
	"github.com/onair-radio/onair/lease"
	"github.com/onair-radio/onair/notify"
	"github.com/onair-radio/onair/output"
	"github.com/onair-radio/onair/playout"
	"github.com/onair-radio/onair/publish"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// Options configure a Service.
type Options struct {
	ConfigPath string
	// Load turns the configuration's bytes into a station: config.Parse,
	// with the command's environment. Its error is shown as it is.
	Load func(data []byte) (*station.Station, error)
	// Out also receives every publish, when set.
	Out    output.Output
	Clock  clock.Clock // the service's time (shifted by --at); default the system's
	Logger *slog.Logger
	Cache  *archive.Cache
	// StreamClient reads the stream that recordings are made of (default:
	// one with connect and header timeouts, and none on the whole response).
	StreamClient *http.Client
	// FFmpeg is ffmpeg's path, which finishes recordings (tags, M4A for
	// AAC streams, loudness); "" when there is none.
	FFmpeg string
	// Lease, when set, makes this service one of several replicas: it
	// serves from its own snapshot always, and acts (writes Out, drives
	// Liquidsoap, records, notifies) only while it holds the lease. Nil:
	// it acts alone.
	Lease *lease.Lease
	// Outbox, when set, records what each publish changed, and the
	// service tells station.notify's endpoints of it.
	Outbox *notify.Outbox
	// NotifyClient makes the notifications' requests (default: one with
	// a timeout a request).
	NotifyClient *http.Client
	// MaxDownloads bounds the media downloads served at once (0: no bound),
	// so that slow clients cannot take every connection.
	MaxDownloads int
	// AirGroup names this service in the air chain's claim (a word): a
	// service restarted keeps it, and the replicas of one lease share it;
	// another group's claim keeps this one from driving Liquidsoap. Default:
	// one made of the host's name and the configuration's path.
	AirGroup string
	// AirHolder describes this service to one that is refused the claim
	// (one line: what it is, where it runs).
	AirHolder string
	// Settle is how long the config file or a recording must be left alone
	// before it is read (one save can be several writes; a recording is
	// copied in over time). Default 1s. A recorder that pauses longer than
	// this mid-file should write to a temporary name and rename the file
	// when done (names that do not match the pattern are not published).
	Settle time.Duration
}

// Timing of the service's own checks.
const (
	// clockCheck is how often the wall clock is compared with the
	// monotonic one, and jumpThreshold how far apart they may drift.
	clockCheck    = 2 * time.Second
	jumpThreshold = time.Second
	// retryFirst and retryMax bound the backoff of a failed write to Out.
	retryFirst = time.Second
	retryMax   = time.Minute
)

// Service keeps a station's site current: it publishes on start, at every
// instant the site changes for time's sake (instants the engine computes),
// when the configuration is edited and when recordings land, and serves it
// through its Handler.
//
// One goroutine, Run's, owns the service's state: file events, air time,
// the clock check and shutdown arrive there as events, one at a time. What
// requests read (the snapshot, /healthz) is swapped atomically, so a
// publish never blocks a request.
type Service struct {
	opts    Options
	clock   clock.Clock
	log     *slog.Logger
	handler *Handler
	metrics *Metrics
	watcher *fsnotify.Watcher
	status  atomic.Pointer[Status]

	// The state below is Run's alone (and NewService's before it).
	st        *station.Station
	recs      publish.Recordings
	cfgHash   [32]byte // of the configuration in use
	triedHash [32]byte // of a refused configuration still on disk
	loadedAt  time.Time
	reloadErr string
	writeErr  string
	nextEvent time.Time
	onAir     map[string]scheduler.Airing // by id, as of the last publish
	builder   publish.Builder             // rebuilds only the feeds that changed
	watched   map[string]bool             // the directories being watched
	pending   map[string]bool             // recordings directories that do not exist yet

	// handled, when set (by tests), is told each event Run has handled.
	handled func(event string)
	// reloads asks Run to read the configuration and the archives again.
	reloads chan struct{}
	// ctx is Run's: a scan in progress stops when it is done.
	ctx context.Context
	// running is set once Run runs: the air chain is driven from then on.
	running bool
	// air is the station's air chain as the service drives it.
	air    air
	notify notifier
	// leading says the service acts: always without a lease, while it
	// holds it with one.
	leading bool
	// writes hands sites to the writer, Run's goroutine that writes Out
	// (a bucket's upload can take minutes: the loop does not wait for
	// it); the newest replaces one not yet taken. written brings back
	// each write's result.
	writes   chan *publish.Site
	written  chan error
	recorder *playout.Recorder
	recWG    sync.WaitGroup // the recordings in progress
}

// Status is what /healthz says of the service.
type Status struct {
	Config      string
	LoadedAt    time.Time
	ReloadError string // the refused edit on disk now; empty when the file is the one in use
	WriteError  string // the last write to Out failed; empty when it succeeded
	NextEvent   time.Time
	Air         map[string]any // the air chain: Liquidsoap, what is on air, recordings
	NotifyError string         // the last commit to the outbox failed; empty when it succeeded
	Leading     bool           // it acts: always without a lease
}

// NewService loads the configuration (which must be valid to start), scans
// the recordings and publishes once, into memory and Out. Once ctx is done
// (a signal during a busy station's first build) the scan and the build
// stop, and it returns their error.
func NewService(ctx context.Context, opts Options) (*Service, error) {
	if opts.Load == nil {
		return nil, errors.New("server: Options.Load is required")
	}
	if opts.Clock == nil {
		opts.Clock = clock.System(0)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Settle == 0 {
		opts.Settle = time.Second
	}
	if opts.AirGroup == "" || opts.AirHolder == "" {
		group, holder := DefaultAirClaim(opts.ConfigPath, "")
		opts.AirGroup, opts.AirHolder = cmp.Or(opts.AirGroup, group), cmp.Or(opts.AirHolder, holder)
	}
	s := &Service{opts: opts, clock: opts.Clock, log: opts.Logger, metrics: NewMetrics(), watched: make(map[string]bool), pending: make(map[string]bool), reloads: make(chan struct{}, 1), ctx: ctx}
	s.air.recDone = make(chan recResult, 64)
	s.leading = opts.Lease == nil
	s.writes, s.written = make(chan *publish.Site, 1), make(chan error, 1)
	s.recorder = &playout.Recorder{Clock: opts.Clock, Client: opts.StreamClient, Log: opts.Logger, FFmpeg: opts.FFmpeg}
	var err error
	// Watch before the first reading, so that an edit or a recording that
	// lands from here on is an event for Run.
	if s.watcher, err = fsnotify.NewWatcher(); err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if err := s.watchDir(filepath.Dir(opts.ConfigPath)); err != nil {
		s.log.Warn("watch", "dir", filepath.Dir(opts.ConfigPath), "err", err)
	}
	data, err := os.ReadFile(opts.ConfigPath)
	if err != nil {
		s.watcher.Close()
		return nil, fmt.Errorf("read config: %w", err)
	}
	st, err := opts.Load(data)
	if err != nil {
		s.watcher.Close()
		return nil, err
	}
	s.st, s.cfgHash, s.loadedAt = st, sha256.Sum256(data), s.clock.Now()
	// A second service for the same air chain stops here, before it
	// writes anything.
	if err := s.claimAtStart(ctx); err != nil {
		s.watcher.Close()
		return nil, err
	}
	if err := s.startNotify(); err != nil {
		s.watcher.Close()
		return nil, err
	}
	if s.notify.sender != nil {
		s.metrics.notify = s.notify.sender.Stats
	}
	s.watchArchives()
	s.scan()
	site, err := s.build("start", s.clock.Now())
	if err != nil {
		s.watcher.Close()
		return nil, err
	}
	s.handler = NewHandler(NewSnapshot(s.st, site, nil))
	s.notifyPublished(s.handler.Snapshot())
	s.handler.Now = s.clock.Now
	s.handler.Health = s.health
	s.handler.Metrics = s.metrics
	if opts.MaxDownloads > 0 {
		s.handler.MediaSlots = make(chan struct{}, opts.MaxDownloads)
	}
	s.write(site)
	return s, nil
}

// DefaultAirClaim is a service's group and holder in the air chain's
// claim, when Options do not give them: of this host and this
// configuration (and listen, the address it serves), so that the same
// service restarted is the same group, and another is not.
func DefaultAirClaim(configPath, listen string) (group, holder string) {
	host, _ := os.Hostname()
	abs, err := filepath.Abs(configPath)
	if err != nil {
		abs = configPath
	}
	sum := sha256.Sum256([]byte(host + "\x00" + abs + "\x00" + listen))
	holder = fmt.Sprintf("onair serve (pid %d) on %s, for %s", os.Getpid(), cmp.Or(host, "this host"), abs)
	if listen != "" {
		holder += ", listening on " + listen
	}
	return fmt.Sprintf("onair-%x", sum[:6]), holder
}

// HTTPHandler is Handler with request metrics.
func (s *Service) HTTPHandler() http.Handler { return s.metrics.Instrument(s.handler) }

// Run keeps the site current until ctx is done. It returns once every
// timer is stopped and the watcher closed: nothing the service started
// goes on after it.
func (s *Service) Run(ctx context.Context) error {
	s.ctx, s.running = ctx, true
	defer s.watcher.Close()
	defer s.handler.Close()
	var leaseChanged <-chan lease.State
	if s.opts.Lease != nil {
		// The election runs beside the loop. It ends last, after every
		// act has stopped: the lock is let go only then, for the next
		// leader.
		lctx, stopLease := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan struct{})
		go func() { s.opts.Lease.Run(lctx); close(done) }()
		defer func() { stopLease(); <-done }()
		leaseChanged = s.opts.Lease.Changed()
	}
	if s.notify.sender != nil {
		if s.leading {
			s.notify.sender.SetEndpoints(ctx, notify.Endpoints(s.st.Notify))
		}
		defer s.notify.sender.Stop()
	}
	if s.opts.Out != nil {
		// The writer ends before Run does.
		wctx, stopWriter := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { s.writer(wctx); close(done) }()
		defer func() { stopWriter(); <-done }()
	}
	// The claim on the air chain goes last of the air: what is on air
	// stays, to its end.
	defer s.releaseAir()
	// Recordings in progress stop first (their .part files stay).
	defer s.stopRecordings()
	air := s.clock.NewTimer(s.untilNext())
	defer air.Stop()
	check := s.clock.NewTicker(clockCheck)
	defer check.Stop()
	airTick := s.clock.NewTicker(airCheck)
	defer airTick.Stop()
	s.claimAir(ctx)
	// The settle timers and the write retry are armed by events.
	configSettle, recSettle, retry := s.clock.NewTimer(0), s.clock.NewTimer(0), s.clock.NewTimer(0)
	for _, t := range []clock.Timer{configSettle, recSettle, retry} {
		t.Stop()
		defer t.Stop()
	}
	retryIn, retrying := retryFirst, false
	airRetry := s.clock.NewTimer(0)
	airRetry.Stop()
	defer airRetry.Stop()
	airRetryIn, airRetrying := retryFirst, false
	// What is on air now: a service started (or restarted) mid-airing
	// drives it, and records it, for the rest of it.
	s.airChange(s.clock.Now())
	armedFor := s.nextEvent // the instant the air timer is set for
	lastWall, lastMono := s.clock.Now(), s.clock.Mono()
	s.safely("air", func() bool { return s.applyAir(s.clock.Now()) })
	s.setStatus()
	if s.handled != nil {
		s.handled("started")
	}

	for {
		var event string
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-s.watcher.Events:
			if !ok {
				return nil
			}
			switch {
			case s.appeared(ev):
				// A recordings directory made after start: watched from now
				// on, and read, for files may have come with it.
				event = "archive appeared"
				recSettle.Reset(s.opts.Settle)
			case s.isConfigEvent(ev):
				event = "config changed"
				configSettle.Reset(s.opts.Settle)
			case s.isArchiveEvent(ev):
				event = "archive changed"
				recSettle.Reset(s.opts.Settle)
			default:
				continue
			}
		case err, ok := <-s.watcher.Errors:
			if ok {
				s.log.Warn("watch", "err", err)
			}
			continue
		case <-configSettle.C():
			event = "reload"
			s.safely(event, s.reload)
		case <-recSettle.C():
			// Quiet for the settle time: every file in the archive has
			// stopped growing (each write is an event that re-arms the timer).
			event = "recordings"
			s.safely(event, func() bool { s.scan(); s.publish(event); return true })
		case <-air.C():
			event = "air time"
			s.safely(event, func() bool { s.publish(event); return true })
			if s.nextEvent.Equal(armedFor) {
				// The publish failed: try again in a second, not at once.
				air.Reset(time.Second)
			}
		case <-check.C():
			// A wall clock that jumped (NTP, a resumed laptop or VM) moves
			// air time under the air timer, which counts monotonic time:
			// publish for now, and set the timer afresh.
			event = "clock check"
			wall, mono := s.clock.Now(), s.clock.Mono()
			if drift := wall.Sub(lastWall) - (mono - lastMono); drift > jumpThreshold || drift < -jumpThreshold {
				event = "clock jump"
				s.log.Info("clock jumped", "by", drift.Round(time.Millisecond))
				s.safely(event, func() bool { s.publish(event); return true })
				armedFor = time.Time{} // set afresh: the old duration was counted on the old clock
			}
			lastWall, lastMono = wall, mono
		case <-s.reloads:
			// Asked (SIGHUP): the configuration if it changed, and the
			// recordings in any case, as if every file had just landed.
			event = "reload asked"
			if !s.safely(event, s.reload) {
				s.safely(event, func() bool { s.watchArchives(); s.scan(); s.publish(event); return true })
			}
		case <-airTick.C():
			if s.st.Playout == nil {
				continue
			}
			event = "air check"
			s.safely(event, func() bool { s.claimAir(ctx); return true })
		case <-retry.C():
			event, retrying = "write retry", false
			s.safely(event, func() bool { s.write(s.handler.Snapshot().Site); return true })
		case <-airRetry.C():
			event, airRetrying = "air retry", false
		case r := <-s.air.recDone:
			event = "recorded"
			s.recorded(r)
		case err := <-s.written:
			event = "written"
			s.safely(event, func() bool { s.wrote(err); return true })
		case st := <-leaseChanged:
			event = "lease"
			s.safely(event, func() bool { s.leaseChanged(st); return true })
		}
		// The air chain follows what the event changed; Liquidsoap is told
		// again, backing off, until it takes it.
		if s.safely("air", func() bool { return s.applyAir(s.clock.Now()) }) {
			airRetry.Stop()
			airRetrying, airRetryIn = false, retryFirst
		} else if !airRetrying {
			airRetry.Reset(airRetryIn)
			airRetrying, airRetryIn = true, min(2*airRetryIn, retryMax)
		}
		s.setStatus()
		// A publish names the next instant the site changes (a new
		// schedule has other air times): the air timer follows it.
		if !s.nextEvent.Equal(armedFor) {
			air.Reset(s.untilNext())
			armedFor = s.nextEvent
		}
		// A failed write is tried again, backing off, until one succeeds.
		if s.writeErr == "" {
			retry.Stop()
			retrying, retryIn = false, retryFirst
		} else if !retrying {
			retry.Reset(retryIn)
			retrying, retryIn = true, min(2*retryIn, retryMax)
		}
		if s.handled != nil {
			s.handled(event)
		}
	}
}

// Reload asks the service to read its configuration and its archives
// again (onair serve does on SIGHUP). It does not wait.
func (s *Service) Reload() {
	select {
	case s.reloads <- struct{}{}:
	default: // one is pending already
	}
}

// Station is the station being served (as of the last good configuration).
// It is for the command that starts the service, before Run.
func (s *Service) Station() *station.Station { return s.handler.Snapshot().Station }

// safely runs f, logging a panic rather than dying of it: the last good
// site keeps serving. It returns what f returns (false after a panic).
func (s *Service) safely(event string, f func() bool) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "event", event, "panic", r)
			ok = false
		}
	}()
	return f()
}

// untilNext is how long until the next instant the site changes.
func (s *Service) untilNext() time.Duration {
	return max(s.nextEvent.Sub(s.clock.Now()), 0)
}

// watchDir watches a directory once. Watching the configuration's
// directory, not the file, follows saves by rename (vim) and Kubernetes'
// ConfigMap symlink swaps.
func (s *Service) watchDir(d string) error {
	d = filepath.Clean(d)
	if s.watched[d] {
		return nil
	}
	if err := s.watcher.Add(d); err != nil {
		return err
	}
	s.watched[d] = true
	return nil
}

// watchArchives watches every show's recordings directory. One that does
// not exist yet is waited for: its nearest existing parent is watched, and
// appeared tells when a level below it is made. A level made between the
// look and the watch (mkdir -p makes them all at once) is found by looking
// again once the watch is set, level by level.
func (s *Service) watchArchives() {
	clear(s.pending)
	for _, set := range s.st.Shows {
		if set.Recordings == nil {
			continue
		}
		d := filepath.Clean(set.Recordings.Dir)
		for tries := 0; ; tries++ {
			err := s.watchDir(d)
			if err == nil {
				break
			}
			if !errors.Is(err, fs.ErrNotExist) {
				s.log.Warn("watch", "dir", d, "err", err)
				break
			}
			// Watch the nearest level that exists; then, if the level
			// below it was made meanwhile, go round again.
			below := d
			for p := filepath.Dir(d); ; below, p = p, filepath.Dir(p) {
				if s.watchDir(p) == nil || p == filepath.Dir(p) {
					break
				}
			}
			if _, err := os.Stat(below); err == nil && tries < 64 { // 64: a level that exists but cannot be watched ends it
				continue
			}
			s.pending[d] = true
			s.log.Info("waiting for the recordings directory to be made", "show", set.ID, "dir", d)
			break
		}
	}
}

// appeared says whether ev makes a recordings directory that did not
// exist (or one of its parents), and watches what it can of them again.
func (s *Service) appeared(ev fsnotify.Event) bool {
	if len(s.pending) == 0 || !ev.Has(fsnotify.Create) {
		return false
	}
	for d := range s.pending {
		if d == ev.Name || strings.HasPrefix(d, ev.Name+string(filepath.Separator)) {
			s.watchArchives()
			return !s.pending[d]
		}
	}
	return false
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
	for _, set := range s.st.Shows {
		if set.Recordings != nil && filepath.Clean(set.Recordings.Dir) == dir {
			return true
		}
	}
	return false
}

// reload reads the configuration again, and reports whether the station
// changed. An invalid one changes nothing: the last good configuration
// keeps serving, and the error is logged and shown on /healthz for as long
// as that file is on disk. The file that is in use, saved back (the usual
// fix), clears the error.
func (s *Service) reload() bool {
	data, err := os.ReadFile(s.opts.ConfigPath)
	sum := sha256.Sum256(data)
	switch {
	case err == nil && sum == s.cfgHash:
		if s.reloadErr != "" {
			s.log.Info("the configuration in use is back on disk", "config", s.opts.ConfigPath)
			s.reloadErr, s.triedHash = "", [32]byte{}
			s.setStatus()
		}
		return false
	case err == nil && sum == s.triedHash:
		return false // refused already, and still on disk
	}
	var st *station.Station
	if err != nil {
		err = fmt.Errorf("read config: %w", err)
		s.triedHash = [32]byte{}
	} else if st, err = s.opts.Load(data); err != nil {
		s.triedHash = sum
	}
	if err != nil {
		s.reloadErr = err.Error()
		s.metrics.reloadFailure()
		s.log.Error("reload failed; still serving the last good configuration", "config", s.opts.ConfigPath, "err", err)
		s.setStatus()
		return false
	}
	s.st, s.cfgHash, s.triedHash, s.loadedAt, s.reloadErr = st, sum, [32]byte{}, s.clock.Now(), ""
	if s.notify.sender != nil && s.running {
		s.notify.sender.SetEndpoints(s.ctx, notify.Endpoints(s.st.Notify))
	}
	s.log.Info("reloaded", "config", s.opts.ConfigPath, "shows", len(st.Shows))
	s.watchArchives()
	s.scan()
	s.publish("reload")
	return true
}

func (s *Service) scan() {
	recs, problems := publish.Scan(s.ctx, s.st, s.opts.Cache, nil)
	if s.ctx.Err() != nil {
		return // stopping: a part of a scan is not published
	}
	for _, p := range problems {
		s.log.Warn("recording left out", "file", p.Path, "err", p.Err)
	}
	s.recs = recs
	s.findUnfinished(s.clock.Now())
	if s.opts.Cache != nil {
		if err := s.opts.Cache.Save(); err != nil {
			s.log.Warn("probe cache", "err", err)
		}
	}
}

// publish recomputes the site for now, serves it, and writes it to Out.
func (s *Service) publish(reason string) {
	if s.ctx.Err() != nil {
		return // stopping: nothing more is written
	}
	// One reading of the clock: what is on air, and the site, are of the
	// same instant.
	at := s.clock.Now()
	if s.running && s.leading {
		// What is on air changes first: Liquidsoap is told before the
		// site is built, not after.
		s.airChange(at)
		s.safely("air", func() bool { return s.applyAir(at) })
	}
	site, err := s.build(reason, at)
	if err != nil {
		if s.ctx.Err() != nil {
			return // stopping: the build stopped between two documents
		}
		s.log.Error("publish", "reason", reason, "err", err)
		return
	}
	snap := NewSnapshot(s.st, site, s.handler.Snapshot())
	s.handler.Swap(snap)
	s.notifyPublished(snap)
	s.write(site)
}

func (s *Service) build(reason string, at time.Time) (*publish.Site, error) {
	start := time.Now()
	site, err := s.builder.Build(s.ctx, s.st, s.recs, at)
	if err != nil {
		return nil, err
	}
	s.nextEvent = publish.NextChange(s.st, at)
	s.metrics.published(time.Since(start), s.nextAiring(at))
	s.log.Info("published", "reason", reason, "at", at.Format(time.RFC3339), "feeds_rebuilt", s.builder.Rebuilt, "took", time.Since(start).Round(time.Millisecond), "next", s.nextEvent.Format(time.RFC3339))
	s.logAirings(at)
	s.setStatus()
	return site, nil
}

// write hands site to the writer (or, before Run, writes it at once). A
// failure is logged and shown on /healthz, and Run retries it; the site is
// served from memory all the same.
func (s *Service) write(site *publish.Site) {
	if s.opts.Out == nil || !s.leading {
		return
	}
	if !s.running {
		s.wrote(s.writeFenced(site))
		return
	}
	select {
	case <-s.writes: // not yet taken: this one is newer
	default:
	}
	s.writes <- site
}

// writer writes the sites it is handed to Out, one at a time, and tells
// the loop how each went. It is Run's, and ends with it.
func (s *Service) writer(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case site := <-s.writes:
			err := s.writeFenced(site)
			select {
			case s.written <- err:
			case <-ctx.Done():
				return
			}
		}
	}
}

// errLeaseLost is a write a fence stopped.
var errLeaseLost = errors.New("the lease is lost: another replica writes")

// writeFenced writes site, if the lease (when there is one) still holds
// just before; the write is cut off the moment it does not.
func (s *Service) writeFenced(site *publish.Site) error {
	if l := s.opts.Lease; l != nil {
		if err := l.Fence(context.WithoutCancel(s.ctx)); err != nil {
			return fmt.Errorf("%w (%v)", errLeaseLost, err)
		}
	}
	ctx, cancel := s.acting()
	defer cancel()
	err := s.opts.Out.Write(ctx, site)
	if err != nil && errors.Is(context.Cause(ctx), lease.ErrLost) {
		return fmt.Errorf("%w (%v)", errLeaseLost, err)
	}
	return err
}

// wrote is a write's end, in the loop.
func (s *Service) wrote(err error) {
	switch {
	case errors.Is(err, errLeaseLost):
		s.log.Warn("lease: lost before writing; standing by", "err", err)
		s.standBy()
		return
	case err != nil:
		s.metrics.writeFailure()
		if s.writeErr == "" {
			s.log.Error("write failed; serving from memory, and trying again", "out", s.opts.Out.String(), "err", err)
		}
		s.writeErr = err.Error()
	case s.writeErr != "":
		s.log.Info("write succeeded again", "out", s.opts.Out.String())
		s.writeErr = ""
	}
	s.setStatus()
}

// logAirings logs each airing that started or ended since the last publish,
// once.
func (s *Service) logAirings(at time.Time) {
	now := make(map[string]scheduler.Airing)
	for _, a := range s.st.Schedule.OnAir(at) {
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
	if as := s.st.Schedule.Next(at, 1); len(as) > 0 {
		return as[0].Start
	}
	return time.Time{}
}

// setStatus publishes the state /healthz reads.
func (s *Service) setStatus() {
	s.status.Store(&Status{
		Config: s.opts.ConfigPath, LoadedAt: s.loadedAt, ReloadError: s.reloadErr,
		WriteError: s.writeErr, NextEvent: s.nextEvent, Air: s.airStatus(), NotifyError: s.notify.err, Leading: s.leading,
	})
	s.metrics.setLeading(s.leading)
	s.metrics.setAir(airGauges{
		playout: s.st.Playout != nil, liquidsoapUp: s.air.known && s.air.err == "", live: s.air.have.liveUntil.After(s.clock.Now()), playing: s.air.have.play != "",
		recording: len(s.air.recording), unfinished: len(s.air.unfinished),
	})
}

// Status is the service's state as of its last event.
func (s *Service) Status() *Status { return s.status.Load() }

// health is /healthz.
func (s *Service) health() any {
	st := s.status.Load()
	status := "ok"
	if st.ReloadError != "" || st.WriteError != "" {
		status = "degraded"
	}
	h := map[string]any{
		"status":            status,
		"config":            st.Config,
		"loaded_at":         st.LoadedAt.Format(time.RFC3339),
		"last_reload_error": nullable(st.ReloadError),
		"next_event":        st.NextEvent.Format(time.RFC3339),
		"now":               s.clock.Now().Format(time.RFC3339),
	}
	if s.opts.Out != nil {
		h["out"] = s.opts.Out.String()
		h["last_write_error"] = nullable(st.WriteError)
	}
	h["role"] = "leader"
	if !st.Leading {
		h["role"] = "standby"
	}
	if l := s.opts.Lease; l != nil {
		ls := l.State()
		h["lease"] = map[string]any{"generation": ls.Generation, "taking_over": ls.Taking, "changes": ls.Changes, "last_error": nullable(ls.Err)}
	}
	h["air"] = st.Air
	if n := s.notifyStatus(st); n != nil {
		h["notify"] = n
	}
	if v, _ := st.Air["last_recording"].(*playout.Verdict); v != nil && v.Verdict != playout.Complete {
		status = "degraded" // until a recording is complete again
		h["status"] = status
	}
	if st.Air["liquidsoap_error"] != nil || st.Air["held_by"] != nil {
		status = "degraded"
		h["status"] = status
	}
	return h
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
