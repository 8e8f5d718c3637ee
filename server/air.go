package server

import (
	"cmp"
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
	path   string // as MP3; an AAC stream's is the .m4a beside it
	name   func(ext string) string
	cancel context.CancelFunc
	until  time.Time      // where the recording was told the airing ends
	ends   chan time.Time // tells it of a new end
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
	s.moveRecordings(at)
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
	if po == nil || !s.leading {
		return true
	}
	want, have := s.air.want, s.air.have
	if s.air.known && want == have {
		return true
	}
	if !s.fence("drive Liquidsoap") {
		return true // the leader drives it
	}
	ls := &playout.Liquidsoap{Addr: po.Liquidsoap}
	ctx, cancel := s.acting()
	defer cancel()
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
	name, err := s.recordingName(a)
	if name == nil {
		if err != nil {
			s.log.Error("recording: no name for it", "airing", a.ID, "err", err)
		}
		return
	}
	for _, f := range []playout.Format{playout.MP3, playout.AAC} {
		if _, err := os.Stat(name(f.Ext)); err == nil {
			return // recorded already
		}
	}
	if !s.fence("record") {
		return
	}
	set := s.st.Show(a.Show.ID)
	path := name("mp3")
	if err := os.MkdirAll(set.Recordings.Dir, 0o755); err != nil {
		s.recordingFailed(a.ID, path, err)
		return
	}
	ctx, cancel := s.acting()
	job := &recJob{airing: a, path: path, name: name, cancel: cancel, until: a.End, ends: make(chan time.Time, 1)}
	s.air.recording[a.ID] = job
	pod := set.Podcast
	rec := playout.Recording{URL: pod.StreamURL, Path: name, Until: a.End, Ends: job.ends, Normalize: set.Normalize,
		Tags: playout.Tags{
			Title:  pod.TitleOf(a.Episode, a.Start),
			Artist: cmp.Or(pod.Author, s.st.Name),
			Album:  a.Show.Title,
			Date:   a.Start.In(a.Show.Location).Format(time.DateOnly),
		}}
	s.log.Info("recording", "airing", a.ID, "file", path, "until", a.End.Format(time.RFC3339))
	s.recWG.Add(1)
	go func() {
		defer s.recWG.Done()
		res, err := s.recorder.Record(ctx, rec)
		s.air.recDone <- recResult{a.ID, path, res, err}
	}()
}

// moveRecordings tells each recording in progress where its airing now
// ends, after an edit of the schedule: later, earlier, or now, for an
// airing that is no longer on (removed, or moved later).
func (s *Service) moveRecordings(at time.Time) {
	for _, j := range s.air.recording {
		until := at
		sched := s.st.Schedule
		for _, a := range sched.LiveAirings(at.Add(-sched.MaxDuration()), at.Add(time.Nanosecond), j.airing.Show.ID) {
			if a.Episode == j.airing.Episode && !a.Start.After(at) {
				until = a.End
			}
		}
		if until.Equal(j.until) {
			continue
		}
		s.log.Info("recording: its airing was edited; the recording ends at its new end", "airing", j.airing.ID, "file", j.path, "until", until.Format(time.RFC3339))
		j.until = until
		select {
		case <-j.ends: // a newer end replaces one not yet taken
		default:
		}
		j.ends <- until
	}
}

// recordingName names the files a live airing is recorded into, by
// extension: nil for a show that does not record, or whose pattern cannot
// name it (the error).
func (s *Service) recordingName(a scheduler.Airing) (func(ext string) string, error) {
	set := s.st.Show(a.Show.ID)
	if set == nil || !set.Record || set.Recordings == nil || a.Kind != scheduler.Live {
		return nil, nil
	}
	_, d, n, err := scheduler.ParseEpisodeID(a.Episode)
	if err != nil {
		return nil, err
	}
	src := *set.Recordings
	if _, err := src.Pattern.Name(d, n, "mp3"); err != nil {
		return nil, err
	}
	return func(ext string) string {
		name, _ := src.Pattern.Name(d, n, ext)
		return filepath.Join(src.Dir, name)
	}, nil
}

// findUnfinished lists the .part files of the archives that no recording
// will continue: their airing is not on air at at (it ended while the
// service was down). They are never published as they are; each is
// logged once, and /healthz lists them until they are renamed or removed.
func (s *Service) findUnfinished(at time.Time) {
	continued := make(map[string]bool)
	for _, j := range s.air.recording {
		// Ending now, perhaps: it is renamed in a moment.
		continued[j.name("mp3")+".part"] = true
		continued[j.name("m4a")+".part"] = true
	}
	for _, a := range s.st.Schedule.OnAir(at) {
		if name, _ := s.recordingName(a); name != nil {
			continued[name("mp3")+".part"] = true
			continued[name("m4a")+".part"] = true
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
	if j := s.air.recording[r.id]; j != nil {
		j.cancel() // frees its context (and, with a lease, its watch on the lease)
	}
	delete(s.air.recording, r.id)
	switch {
	case errors.Is(r.err, context.Canceled):
		s.log.Info("recording stopped; its .part is continued when the service comes back during the airing", "file", r.path)
	case r.err != nil:
		s.recordingFailed(r.id, r.path, r.err)
	default:
		s.metrics.recorded(true)
		s.air.recErr = ""
		s.log.Info("recorded", "airing", r.id, "file", r.res.Path, "format", r.res.Format, "bytes", r.res.Size, "audio", r.res.Audio.Round(time.Millisecond), "drops", r.res.Drops, "finished", r.res.Finished)
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
