package server

import (
	"context"

	"github.com/onair-radio/onair/lease"
	"github.com/onair-radio/onair/notify"
)

// fence says whether the service may act (what): always without a lease;
// with one, only while it leads and its lease's fence holds. A fence that
// fails makes it a standby at once, before it acts.
func (s *Service) fence(what string) bool {
	if s.opts.Lease == nil {
		return true
	}
	if !s.leading {
		return false
	}
	if err := s.opts.Lease.Fence(context.WithoutCancel(s.ctx)); err != nil {
		s.log.Warn("lease: lost before acting; standing by", "act", what, "err", err)
		s.standBy()
		return false
	}
	return true
}

// acting is the context of one act: it ends with the service, and (with a
// lease) the moment this replica stops leading, cutting off an upload, a
// recording or a command under way.
func (s *Service) acting() (context.Context, context.CancelFunc) {
	if l := s.opts.Lease; l != nil {
		return l.Context(s.ctx)
	}
	return context.WithCancel(s.ctx)
}

// leaseChanged follows the lease: a leader acts from now on, a standby
// stops acting.
func (s *Service) leaseChanged(st lease.State) {
	s.metrics.leaseChanged()
	if st.Leader == s.leading {
		return
	}
	if !st.Leader {
		s.standBy()
		return
	}
	s.leading = true
	s.log.Info("leading: acting from now on", "generation", st.Generation)
	// What the others wrote while this one stood by: learn it again, so
	// that nothing is uploaded twice.
	if r, ok := s.opts.Out.(interface{ Resync(context.Context) error }); ok {
		if err := r.Resync(s.ctx); err != nil {
			s.log.Warn("out: could not list it again; writing what differs from what it held at start", "err", err)
		}
	}
	if s.notify.sender != nil {
		if st, err := s.opts.Outbox.LoadState(context.WithoutCancel(s.ctx)); err == nil {
			s.notify.state = st
		}
		s.notify.sender.SetEndpoints(s.ctx, notify.Endpoints(s.st.Notify))
	}
	s.air.known = false // tell Liquidsoap everything
	s.publish("leading")
}

// standBy stops acting: recordings stop (their .part stays, for the leader
// to continue), Liquidsoap is no longer driven, notifications are no
// longer sent, Out is no longer written.
func (s *Service) standBy() {
	if !s.leading {
		return
	}
	s.leading = false
	s.log.Warn("standing by: another replica acts")
	s.stopRecordings()
	s.air.known = false
	if s.notify.sender != nil {
		s.notify.sender.SetEndpoints(s.ctx, nil)
	}
	s.setStatus()
}
