package server

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/playout"
	"github.com/onair-radio/onair/scheduler"
)

// air is what the service drives of the station's air chain: what it has
// told Liquidsoap to put on air, and the recordings it is making. It is
// Run's, like the rest of the service's state.
type air struct {
	want, have onAirState
	// known says have is what Liquidsoap has: false at start and after an
	// error, so that the next apply says everything again.
	known bool
	err   string // the last command that failed; "" once one succeeds

	// uptime is Liquidsoap's, as it last said: less means it restarted.
	uptime   time.Duration
	lastPing time.Duration // on the monotonic clock

	missing string // the last rebroadcast whose episode had no recording

	recording map[string]*recJob // by airing id
	recDone   chan recResult
	recErr    string // the last recording that failed

	// unfinished are .part files no recording continues.
	unfinished       []string
	unfinishedLogged map[string]bool
}

// onAirState is what Liquidsoap should put on air.
type onAirState struct {
	live  bool
	play  string // the episode file of the rebroadcast on air; "" for none
	title string
	start time.Time // the rebroadcast's start, to join it part-way
}

type recJob struct {
	airing scheduler.Airing
	path   string
	cancel context.CancelFunc
}

type recResult struct {
	id, path string
	res      playout.Result
	err      error
}

// airChange works out what should be on air at at, and starts the
// recordings of the live airings on air that are not yet being made.
func (s *Service) airChange(at time.Time) {
	if s.air.recording == nil {
		s.air.recording = make(map[string]*recJob)
	}
	onAir := s.st.Schedule.OnAir(at)
	var want onAirState
	for _, a := range onAir {
		switch a.Kind {
		case scheduler.Live:
			want.live = true
			s.startRecording(a)
		case scheduler.Rebroadcast:
			if want.play != "" {
				continue // one episode at a time: the first on air
			}
			if path := s.episodeFile(a.Episode); path != "" {
				want.play, want.title, want.start = path, a.Title, a.Start
			} else if s.air.missing != a.ID {
				s.air.missing = a.ID // said once an airing
				s.log.Warn("the episode a rebroadcast replays has no recording: the fallback airs", "airing", a.ID, "episode", a.Episode)
			}
		}
	}
	s.air.want = want
}

// episodeFile is the recording of an episode, as an absolute path
// (Liquidsoap runs in a directory of its own); "" when there is none.
func (s *Service) episodeFile(episode string) string {
	r := s.recs.Find(episode)
	if r == nil {
		return ""
	}
	if abs, err := filepath.Abs(r.Path); err == nil {
		return abs
	}
	return r.Path
}

// applyAir tells Liquidsoap what to put on air, if that changed (or is not
// known), and reports whether it took.
func (s *Service) applyAir(at time.Time) bool {
	po := s.st.Playout
	if po == nil {
		return true
	}
	want, have := s.air.want, s.air.have
	if s.air.known && want == have {
		return true
	}
	ls := &playout.Liquidsoap{Addr: po.Liquidsoap}
	ctx := s.ctx
	var err error
	if !s.air.known || want.live != have.live {
		if err = ls.SetLive(ctx, want.live); err == nil {
			s.air.have.live = want.live
		}
	}
	if err == nil && (!s.air.known || want.play != have.play || want.start != have.start) {
		if want.play == "" {
			err = ls.StopQueue(ctx)
		} else {
			// A service that comes back mid-airing joins it where it is.
			offset := at.Sub(want.start)
			if offset < time.Second {
				offset = 0
			}
			err = ls.Play(ctx, want.play, want.title, offset)
		}
		if err == nil {
			s.air.have.play, s.air.have.title, s.air.have.start = want.play, want.title, want.start
		}
	}
	if err != nil {
		if s.air.err == "" {
			s.log.Error("liquidsoap: could not change what is on air; trying again", "liquidsoap", po.Liquidsoap, "err", err)
		}
		s.air.err, s.air.known = err.Error(), false
		s.metrics.playoutFailure()
		return false
	}
	if s.air.err != "" {
		s.log.Info("liquidsoap answers again", "liquidsoap", po.Liquidsoap)
	}
	s.air.err, s.air.known = "", true
	s.log.Info("on air", "live", want.live, "playing", filepath.Base(want.play))
	return true
}

// checkLiquidsoap asks Liquidsoap how long it has run, every 10 s at a
// clock check: one that was restarted has forgotten what is on air, and
// one that does not answer is reported; either way the next apply tells it
// everything again.
func (s *Service) checkLiquidsoap() {
	po := s.st.Playout
	now := s.clock.Mono()
	if po == nil || now-s.air.lastPing < 10*time.Second {
		return
	}
	s.air.lastPing = now
	ls := &playout.Liquidsoap{Addr: po.Liquidsoap, Timeout: time.Second}
	up, err := ls.Uptime(s.ctx)
	if err != nil {
		if s.air.err == "" {
			s.log.Error("liquidsoap does not answer", "liquidsoap", po.Liquidsoap, "err", err)
		}
		s.air.err, s.air.known = err.Error(), false
		return
	}
	if up < s.air.uptime {
		s.log.Warn("liquidsoap was restarted: telling it again what is on air", "liquidsoap", po.Liquidsoap)
		s.air.known = false
	}
	s.air.uptime = up
}

// startRecording records a live airing of a show that records, unless it
// is being recorded or its file is there already.
func (s *Service) startRecording(a scheduler.Airing) {
	if _, on := s.air.recording[a.ID]; on {
		return
	}
	path, err := s.recordingPath(a)
	if path == "" {
		if err != nil {
			s.log.Error("recording: no name for it", "airing", a.ID, "err", err)
		}
		return
	}
	if _, err := os.Stat(path); err == nil {
		return // recorded already
	}
	set := s.st.Show(a.Show.ID)
	if err := os.MkdirAll(set.Recordings.Dir, 0o755); err != nil {
		s.recordingFailed(a.ID, path, err)
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	s.air.recording[a.ID] = &recJob{airing: a, path: path, cancel: cancel}
	rec := playout.Recording{URL: set.Podcast.StreamURL, Path: path, Until: a.End}
	s.log.Info("recording", "airing", a.ID, "file", path, "until", a.End.Format(time.RFC3339))
	s.recWG.Add(1)
	go func() {
		defer s.recWG.Done()
		res, err := s.recorder.Record(ctx, rec)
		s.air.recDone <- recResult{a.ID, path, res, err}
	}()
}

// recordingPath is the file a live airing is recorded into: "" for a show
// that does not record, or whose pattern cannot name it (the error).
func (s *Service) recordingPath(a scheduler.Airing) (string, error) {
	set := s.st.Show(a.Show.ID)
	if set == nil || !set.Record || set.Recordings == nil || a.Kind != scheduler.Live {
		return "", nil
	}
	_, d, n, err := scheduler.ParseEpisodeID(a.Episode)
	if err != nil {
		return "", err
	}
	name, err := set.Recordings.Pattern.Name(d, n, "mp3")
	if err != nil {
		return "", err
	}
	return filepath.Join(set.Recordings.Dir, name), nil
}

// findUnfinished lists the .part files of the archives that no recording
// will continue: their airing is not on air at at (it ended while the
// service was down). They are never published as they are; each is
// logged once, and /healthz lists them until they are renamed or removed.
func (s *Service) findUnfinished(at time.Time) {
	continued := make(map[string]bool)
	for _, j := range s.air.recording {
		continued[j.path+".part"] = true // ending now: it is renamed in a moment
	}
	for _, a := range s.st.Schedule.OnAir(at) {
		if path, _ := s.recordingPath(a); path != "" {
			continued[path+".part"] = true
		}
	}
	found := []string{}
	seen := make(map[string]bool)
	for _, set := range s.st.Shows {
		if set.Recordings == nil {
			continue
		}
		for _, st := range archive.Strays(*set.Recordings) {
			if !st.Part || continued[st.Path] {
				continue
			}
			found = append(found, st.Path)
			seen[st.Path] = true
			if !s.air.unfinishedLogged[st.Path] {
				s.log.Warn("an unfinished recording: its airing ended while the service was down, so it is not published; rename it to publish what it holds, or delete it", "file", st.Path, "rename_to", st.Want)
			}
		}
	}
	s.air.unfinished, s.air.unfinishedLogged = found, seen
}

// recorded is a recording's end, in Run.
func (s *Service) recorded(r recResult) {
	delete(s.air.recording, r.id)
	switch {
	case errors.Is(r.err, context.Canceled):
		s.log.Info("recording stopped; its .part is continued when the service comes back during the airing", "file", r.path)
	case r.err != nil:
		s.recordingFailed(r.id, r.path, r.err)
	default:
		s.metrics.recorded(true)
		s.air.recErr = ""
		s.log.Info("recorded", "airing", r.id, "file", r.path, "bytes", r.res.Size, "drops", r.res.Drops)
	}
}

func (s *Service) recordingFailed(id, path string, err error) {
	s.metrics.recorded(false)
	s.air.recErr = err.Error()
	s.log.Error("recording failed", "airing", id, "file", path, "err", err)
}

// stopRecordings stops every recording in progress (their .part files
// stay, to be continued) and waits for them.
func (s *Service) stopRecordings() {
	for _, j := range s.air.recording {
		j.cancel()
	}
	s.recWG.Wait()
	for len(s.air.recDone) > 0 {
		s.recorded(<-s.air.recDone)
	}
}

// airStatus is what /healthz says of the air chain.
func (s *Service) airStatus() map[string]any {
	recording := []string{}
	for _, j := range s.air.recording {
		recording = append(recording, j.path)
	}
	slices.Sort(recording)
	m := map[string]any{"recording": recording, "last_recording_error": nullable(s.air.recErr), "unfinished_recordings": s.air.unfinished}
	if po := s.st.Playout; po != nil {
		playing := ""
		if s.air.have.play != "" {
			playing = strings.TrimSuffix(filepath.Base(s.air.have.play), filepath.Ext(s.air.have.play))
		}
		m["liquidsoap"] = po.Liquidsoap
		m["liquidsoap_error"] = nullable(s.air.err)
		m["live"] = s.air.have.live
		m["playing"] = nullable(playing)
	}
	return m
}
