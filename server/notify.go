package server

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/notify"
	"github.com/onair-radio/onair/playout"
	"github.com/onair-radio/onair/scheduler"
)

// notifier is what the service keeps of its notifications: the state the
// last plan was made from, and the sender. Run's, like the rest.
type notifier struct {
	state  notify.State
	sender *notify.Sender
	// episodes is each show's list of published episodes, kept with the
	// recordings it was made of: a publish that reuses a show's
	// recordings reuses its list, and Plan knows it unchanged at a glance.
	episodes map[string]episodeList
	err      string // the last commit that failed; "" once one succeeds
}

type episodeList struct {
	recs []archive.Recording
	ids  []string
}

// startNotify reads what the outbox last knew of.
func (s *Service) startNotify() error {
	if s.opts.Outbox == nil {
		return nil
	}
	st, err := s.opts.Outbox.LoadState(context.Background())
	if err != nil {
		return err
	}
	s.notify.state = st
	s.notify.sender = &notify.Sender{Outbox: s.opts.Outbox, Clock: s.clock, Client: s.opts.NotifyClient, Log: s.log}
	if l := s.opts.Lease; l != nil {
		s.notify.sender.Fence = l.Fence    // a deposed leader sends nothing more,
		s.notify.sender.Acting = l.Context // and what it was sending is cut off
	}
	return nil
}

// notifyPublished plans what the publish of snap told, and records it in
// the outbox with the state that planned it: once recorded, each event is
// delivered however often the service stops. A commit that fails is
// logged; the next publish plans again from the state before it.
func (s *Service) notifyPublished(snap *Snapshot) {
	if s.opts.Outbox == nil || !s.fence("notify") {
		return
	}
	site := snap.Site
	pub := notify.Published{At: site.At, Feeds: make(map[string]string, len(s.st.Shows)), Episodes: make(map[string][]string, len(s.st.Shows))}
	for _, set := range s.st.Shows {
		if d := snap.docs["feeds/"+set.ID+".xml"]; d != nil {
			pub.Feeds[set.ID] = strings.Trim(d.etag, `"`)
		}
		pub.Episodes[set.ID] = s.episodeIDs(set.ID, site.Recordings[set.ID])
	}
	events, next := notify.Plan(s.st, s.notify.state, pub)
	start := time.Now()
	n, err := s.opts.Outbox.Commit(context.WithoutCancel(s.ctx), s.clock.Now(), events, notify.Endpoints(s.st.Notify), s.notify.state, next)
	if err != nil {
		if s.notify.err == "" {
			s.log.Error("notify: could not record what changed; planning again at the next publish", "err", err)
		}
		s.notify.err = err.Error()
		return
	}
	s.notify.state, s.notify.err = next, ""
	if n > 0 {
		s.log.Info("notify: recorded", "events", len(events), "deliveries", n, "took", time.Since(start).Round(time.Millisecond))
		s.notify.sender.Wake()
	}
	s.notify.sender.Refresh(context.WithoutCancel(s.ctx))
}

// episodeIDs is a show's published episodes, sorted; the list of the last
// publish when its recordings are the same slice.
func (s *Service) episodeIDs(show string, recs []archive.Recording) []string {
	if last, ok := s.notify.episodes[show]; ok && len(last.recs) == len(recs) && (len(recs) == 0 || &last.recs[0] == &recs[0]) {
		return last.ids
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.Episode)
	}
	slices.Sort(ids)
	if s.notify.episodes == nil {
		s.notify.episodes = make(map[string]episodeList)
	}
	s.notify.episodes[show] = episodeList{recs, ids}
	return ids
}

// notifyStatus is what /healthz says of the notifications: the outbox, as
// the sender last read it, and st's last commit error. Any goroutine.
func (s *Service) notifyStatus(st *Status) map[string]any {
	if s.opts.Outbox == nil {
		return nil
	}
	stats := s.notify.sender.Stats()
	if stats == nil {
		stats = []notify.EndpointStats{}
	}
	return map[string]any{"endpoints": stats, "last_error": nullable(st.NotifyError)}
}

// notifyRecording records a recording.partial or recording.failed event in
// the outbox, for the webhooks: once, however often the service restarts.
func (s *Service) notifyRecording(a scheduler.Airing, v playout.Verdict) {
	if s.opts.Outbox == nil || v.Verdict == playout.Complete || !s.fence("notify") {
		return
	}
	typ := notify.RecordingFailed
	if v.Verdict == playout.Partial {
		typ = notify.RecordingPartial
	}
	e := notify.Event{ID: typ + ":" + a.ID, Type: typ, At: v.At, Station: s.st.Name, Show: a.Show.ID, Airing: a.ID, Episode: a.Episode,
		Recording: &notify.Recording{File: v.File, Verdict: v.Verdict, Missing: v.Missing, Error: v.Error}}
	n, err := s.opts.Outbox.Commit(context.WithoutCancel(s.ctx), s.clock.Now(), []notify.Event{e}, notify.Endpoints(s.st.Notify), s.notify.state, s.notify.state)
	if err != nil {
		s.log.Error("notify: could not record the recording's verdict", "airing", a.ID, "err", err)
		return
	}
	if n > 0 {
		s.notify.sender.Wake()
	}
}
