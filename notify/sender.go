package notify

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onair-radio/onair/internal/clock"
)

// Retry bounds: a failed delivery is tried again after 1 s, 2 s, 4 s... up
// to an hour apart, until GiveUp has passed since its event.
const (
	retryFirst = time.Second
	retryMax   = time.Hour
	// GiveUp is how long a delivery is tried.
	GiveUp = 24 * time.Hour
	// requestTimeout bounds one request to an endpoint.
	requestTimeout = 10 * time.Second
)

// Sender delivers the outbox's notifications: one worker an endpoint, so
// that a slow or failing endpoint delays only its own.
type Sender struct {
	Outbox *Outbox
	Clock  clock.Clock
	Client *http.Client // default: requestTimeout a request
	Log    *slog.Logger
	// Fence, when set, is asked before each request: an error (the
	// replica no longer leads) leaves the delivery pending, for the
	// leader, and the worker waits to be woken or stopped.
	Fence func(context.Context) error
	// Acting, when set, bounds each request: a request under way when
	// this replica stops leading is cut off (lease.Context).
	Acting func(context.Context) (context.Context, context.CancelFunc)

	mu      sync.Mutex
	workers map[string]*worker // by endpoint ID
	wg      sync.WaitGroup
	stats   atomic.Pointer[[]EndpointStats]
}

type worker struct {
	ep     Endpoint
	wake   chan struct{}
	cancel context.CancelFunc
}

func (s *Sender) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return &http.Client{Timeout: requestTimeout}
}

func (s *Sender) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// SetEndpoints runs a worker for each endpoint, under ctx, and stops those
// of endpoints no longer named (their deliveries stay in the outbox).
func (s *Sender) SetEndpoints(ctx context.Context, eps []Endpoint) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.workers == nil {
		s.workers = make(map[string]*worker)
	}
	keep := make(map[string]bool)
	for _, ep := range eps {
		keep[ep.ID] = true
		if w := s.workers[ep.ID]; w != nil && w.ep == ep {
			continue
		} else if w != nil {
			w.cancel() // its secret or URL changed
		}
		wctx, cancel := context.WithCancel(ctx)
		w := &worker{ep: ep, wake: make(chan struct{}, 1), cancel: cancel}
		s.workers[ep.ID] = w
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.run(wctx, w)
		}()
	}
	for id, w := range s.workers {
		if !keep[id] {
			w.cancel()
			delete(s.workers, id)
		}
	}
	s.refresh(ctx)
}

// Wake tells every worker that the outbox has news.
func (s *Sender) Wake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.workers {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// Stop stops the workers and waits for them: a request in flight is
// finished (within its timeout) and recorded.
func (s *Sender) Stop() {
	s.mu.Lock()
	for _, w := range s.workers {
		w.cancel()
	}
	s.workers = nil
	s.mu.Unlock()
	s.wg.Wait()
}

// Stats is the outbox's status as of the last change, with the oldest
// waiting notification's age as of now.
func (s *Sender) Stats() []EndpointStats {
	p := s.stats.Load()
	if p == nil {
		return nil
	}
	out := slices.Clone(*p)
	now := s.Clock.Now()
	for i := range out {
		if !out[i].Oldest.IsZero() {
			out[i].OldestAgeSeconds = max(0, now.Sub(out[i].Oldest).Seconds())
		}
	}
	return out
}

func (s *Sender) refresh(ctx context.Context) {
	var ids []string
	for id := range s.workers {
		ids = append(ids, id)
	}
	st, err := s.Outbox.Stats(ctx, s.Clock.Now(), ids)
	if err == nil {
		s.stats.Store(&st)
	}
}

// Refresh reads the outbox's status again (after a commit).
func (s *Sender) Refresh(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh(ctx)
}

// run delivers one endpoint's notifications, oldest due first, until ctx
// is done.
func (s *Sender) run(ctx context.Context, w *worker) {
	log := s.log().With("endpoint", w.ep.ID)
	wait := func(d time.Duration) bool {
		t := s.Clock.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C():
		case <-w.wake:
		case <-ctx.Done():
			return false
		}
		return true
	}
	for ctx.Err() == nil {
		d, ok, err := s.Outbox.next(ctx, w.ep.ID)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("notify: reading the outbox", "err", err)
			}
			if !wait(time.Second) {
				return
			}
			continue
		}
		if !ok {
			select {
			case <-w.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		now := s.Clock.Now()
		if d.Due.After(now) {
			if !wait(d.Due.Sub(now)) {
				return
			}
			continue
		}
		if s.Fence != nil {
			if err := s.Fence(ctx); err != nil {
				log.Warn("notify: not sending: this replica no longer leads", "event", d.Event.ID, "err", err)
				select {
				case <-w.wake:
					continue
				case <-ctx.Done():
					return
				}
			}
		}
		// A request under way when the worker is stopped (a shutdown, a
		// leader standing by) is finished and recorded, not abandoned: an
		// endpoint that answered is not told again by the next leader.
		acting := context.WithCancel
		if s.Acting != nil {
			acting = s.Acting
		}
		base, stop := acting(context.WithoutCancel(ctx))
		rctx, cancel := context.WithTimeout(base, requestTimeout)
		err = w.ep.send(rctx, s.client(), d.Event)
		cut := err != nil && base.Err() != nil
		cancel()
		stop()
		now = s.Clock.Now()
		if cut {
			// Not this replica's to record: the next leader tells it.
			log.Warn("notify: cut off: this replica no longer leads", "event", d.Event.ID, "err", context.Cause(base))
			continue
		}
		if err == nil {
			if err := s.Outbox.done(context.WithoutCancel(ctx), d, now); err != nil {
				log.Error("notify: delivered, but could not record it (it may be told again)", "event", d.Event.ID, "err", err)
			} else {
				log.Info("notified", "event", d.Event.ID, "type", d.Event.Type, "reason", d.Event.Reason, "attempts", d.Attempts+1, "late", now.Sub(d.Due).Round(time.Millisecond))
			}
		} else {
			backoff := min(retryFirst<<min(d.Attempts, 20), retryMax)
			giveUp := now.Sub(d.Created) >= GiveUp
			if giveUp {
				log.Error("notify: given up after a day of trying", "event", d.Event.ID, "attempts", d.Attempts+1, "err", err)
			} else if d.Attempts == 0 {
				log.Warn("notify: failed; trying again", "event", d.Event.ID, "in", backoff, "err", err)
			}
			if err := s.Outbox.failed(context.WithoutCancel(ctx), d, now, now.Add(backoff), giveUp, err.Error()); err != nil {
				log.Error("notify: recording a failure", "event", d.Event.ID, "err", err)
			}
		}
		s.Refresh(ctx)
	}
}
