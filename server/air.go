package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
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
	// error or a fresh claim, so that the next apply asks Liquidsoap what
	// it has (onair.status) and tells it only what differs.
	known bool
	err   string // the last command that failed; "" once one succeeds
	// heldBy names another service that holds the air chain's claim:
	// this one does not drive it until the claim is its own.
	heldBy string
	// studio is whether a studio's encoder was connected to the harbor
	// at the last claim.
	studio bool

	missing map[string]bool // the rebroadcasts on air whose episode had no recording, said once each

	recording map[string]*recJob // by airing id
	recDone   chan recResult
	last      *playout.Verdict // the last recording's
	diskWarn  string           // the last recording that may not fit on its disk

	// unfinished are .part files no recording continues.
	unfinished       []string
	unfinishedLogged map[string]bool
}

// onAirState is what Liquidsoap should put on air.
type onAirState struct {
	// liveUntil is when the studio leaves the air: the end of the live
	// airings on air now (back-to-back ones as one); zero for off.
	liveUntil time.Time
	airing    string // the rebroadcast on air; "" for none
	play      string // its episode's file; "" for none
	title     string
	// start and end are the rebroadcast's: it is joined part-way, and
	// Liquidsoap cuts it at its end.
	start, end time.Time
}

type recJob struct {
	airing scheduler.Airing
	path   string // as MP3; an AAC stream's is the .m4a beside it
	name   func(ext string) string
	cancel context.CancelFunc
	until  time.Time      // where the recording was told the airing ends
	ends   chan time.Time // tells it of a new end
	// studio is what Liquidsoap said of the harbor during the airing.
	studio studioSeen
}

// studioSeen is whether a studio was on air during a live airing, as the
// claims of each second said: the loop observes, the recorder reads.
type studioSeen struct {
	answered, connected atomic.Bool
}

func (o *studioSeen) observe(connected bool) {
	o.answered.Store(true)
	if connected {
		o.connected.Store(true)
	}
}

// none says whether Liquidsoap answered during the airing and never had a
// studio connected: the recording holds the fallback, not the show.
func (o *studioSeen) none() bool { return o.answered.Load() && !o.connected.Load() }

type recResult struct {
	airing scheduler.Airing
	path   string
	res    playout.Result
	err    error
}

// Timing of the air chain's checks.
const (
	// airCheck is how often the service claims the air chain (which says
	// whether Liquidsoap answers, was restarted, and has a studio): a
	// Liquidsoap that died is noticed within airCheck+airCheckTimeout.
	airCheck        = time.Second
	airCheckTimeout = 900 * time.Millisecond
	// claimTTL is how long a claim holds without being renewed: a service
	// that died lets another drive the air chain after it.
	claimTTL = 5 * time.Second
)

// airChange works out what should be on air at at, and starts the
// recordings of the live airings on air that are not yet being made.
func (s *Service) airChange(at time.Time) {
	if s.air.recording == nil {
		s.air.recording = make(map[string]*recJob)
	}
	s.moveRecordings(at)
	var want onAirState
	missing := make(map[string]bool)
	for _, a := range s.st.Schedule.OnAir(at) {
		switch a.Kind {
		case scheduler.Live:
			want.liveUntil = s.liveUntil(a.End)
			s.startRecording(a)
		case scheduler.Rebroadcast:
			if want.airing != "" {
				continue // one episode at a time: the first on air
			}
			if path := s.episodeFile(a.Episode); path != "" {
				want.airing, want.play, want.title, want.start, want.end = a.ID, path, a.Title, a.Start, a.End
			} else {
				if !s.air.missing[a.ID] { // said once an airing, however many are on air
					s.log.Warn("the episode a rebroadcast replays has no recording: the fallback airs", "airing", a.ID, "episode", a.Episode)
				}
				missing[a.ID] = true
			}
		}
	}
	s.air.missing = missing
	s.air.want = want
}

// liveUntil is when the studio leaves the air, for a live airing that
// ends at end: later, if live airings follow back to back.
func (s *Service) liveUntil(end time.Time) time.Time {
	for {
		later := end
		for _, a := range s.st.Schedule.OnAir(end) {
			if a.Kind == scheduler.Live && a.End.After(later) {
				later = a.End
			}
		}
		if !later.After(end) {
			return end
		}
		end = later
	}
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

// liquidsoap is the station's Liquidsoap, for one command.
func (s *Service) liquidsoap(timeout time.Duration) *playout.Liquidsoap {
	return &playout.Liquidsoap{Addr: s.st.Playout.Liquidsoap, Timeout: timeout}
}

// applyAir tells Liquidsoap what to put on air, if that changed (or is not
// known), and reports whether it took. What Liquidsoap is told carries
// its own end (the studio's until, the rebroadcast's cut), so that the
// air is right at an airing's end whether the service is up then or not.
func (s *Service) applyAir(at time.Time) bool {
	po := s.st.Playout
	if po == nil || !s.leading || s.air.heldBy != "" {
		return true // nothing to drive, or another drives it (the claim is tried every second)
	}
	if s.air.known && s.air.want == s.air.have {
		return true
	}
	if !s.fence("drive Liquidsoap") {
		return true // the leader drives it
	}
	ls := s.liquidsoap(0)
	ctx, cancel := s.acting()
	defer cancel()
	var err error
	if !s.air.known {
		// What Liquidsoap has already (a service that came back, a
		// Liquidsoap that went on without it) is not told again: pushing
		// the episode on air again would be heard.
		var st playout.Status
		if st, err = ls.Status(ctx); err == nil {
			s.air.have = haveOf(st, s.air.want)
			s.air.known = true
		}
	}
	want, have := s.air.want, s.air.have
	if err == nil && want.liveUntil.UnixMilli() != have.liveUntil.UnixMilli() {
		if err = ls.SetLive(ctx, want.liveUntil); err == nil {
			s.air.have.liveUntil = want.liveUntil
		}
	}
	if err == nil && (want.airing != have.airing || want.play != have.play || !want.end.Equal(have.end)) {
		if want.airing == "" {
			err = ls.StopQueue(ctx)
		} else {
			// A service that comes back mid-airing joins it where it is.
			offset := at.Sub(want.start)
			if offset < time.Second {
				offset = 0
			}
			err = ls.Play(ctx, playout.Request{Path: want.play, Title: want.title, Airing: want.airing, Offset: offset, Until: want.end.Sub(want.start)})
		}
		if err == nil {
			s.air.have.airing, s.air.have.play, s.air.have.title, s.air.have.start, s.air.have.end = want.airing, want.play, want.title, want.start, want.end
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
	s.air.err = ""
	if want != have {
		playing := ""
		if want.play != "" {
			playing = filepath.Base(want.play)
		}
		s.log.Info("on air", "live_until", timeOrNil(want.liveUntil), "playing", nullable(playing), "airing", nullable(want.airing))
	}
	return true
}

// haveOf is what Liquidsoap has on air, as its status says, in the terms
// of what the service wants: the rebroadcast it plays is taken as want's
// when it is want's airing.
func haveOf(st playout.Status, want onAirState) onAirState {
	have := onAirState{liveUntil: st.LiveUntil, airing: st.Playing}
	if st.Playing != "" && st.Playing == want.airing {
		have = want
		have.liveUntil = st.LiveUntil
	}
	return have
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.RFC3339)
}

// claimAir claims the air chain for this service, every airCheck: it
// says whether Liquidsoap answers (one that died is noticed within 2 s),
// whether it was restarted or the claim ran out (Fresh: what it was told
// may be lost, and the next apply asks it), whether another service holds
// it, and whether a studio is connected.
func (s *Service) claimAir(ctx context.Context) {
	po := s.st.Playout
	if po == nil || !s.leading {
		return
	}
	c, err := s.liquidsoap(airCheckTimeout).Claim(ctx, claimTTL, s.opts.AirGroup, s.opts.AirHolder)
	switch {
	case ctx.Err() != nil:
		return // stopping
	case err != nil:
		if s.air.err == "" {
			s.log.Error("liquidsoap does not answer", "liquidsoap", po.Liquidsoap, "err", err)
		}
		s.air.err, s.air.known = err.Error(), false
		return
	case c.HeldBy != "":
		if s.air.heldBy == "" {
			s.log.Error("another service drives the air chain: this one does not until its claim runs out", "liquidsoap", po.Liquidsoap, "held_by", c.HeldBy, "for", c.Left.Round(100*time.Millisecond))
		}
		s.air.heldBy, s.air.known = c.HeldBy, false
		return
	}
	if s.air.heldBy != "" {
		s.log.Info("the air chain's claim is this service's again", "liquidsoap", po.Liquidsoap)
		s.air.heldBy = ""
	}
	if c.Fresh && s.air.known {
		s.log.Warn("liquidsoap was restarted, or lost this service's claim: asking it what is on air", "liquidsoap", po.Liquidsoap)
	}
	if c.Fresh {
		s.air.known = false
	}
	// After an error, known is false: the apply that follows this event
	// asks Liquidsoap what it has, tells it the rest, and says it answers
	// again.
	s.air.studio = c.Status.Studio
	now := s.clock.Now()
	for _, j := range s.air.recording {
		if !now.Before(j.airing.Start) && now.Before(j.until) {
			j.studio.observe(c.Status.Studio)
		}
	}
}

// releaseAir lets the air chain's claim go as the service stops in order,
// so that the next service (a restart) drives it at once. What is on air
// stays: the airing goes on to its end.
func (s *Service) releaseAir() {
	po := s.st.Playout
	if po == nil || !s.leading || s.air.heldBy != "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), airCheckTimeout)
	defer cancel()
	if err := s.liquidsoap(airCheckTimeout).Release(ctx, s.opts.AirGroup); err != nil {
		s.log.Warn("liquidsoap: could not let the claim go; the next service waits for it to run out", "err", err)
	}
}

// claimAtStart checks, before the service starts, that no other service
// drives the station's air chain: the error names the one that does. A
// Liquidsoap that does not answer is no error (the claim is made once it
// does).
func (s *Service) claimAtStart(ctx context.Context) error {
	po := s.st.Playout
	if po == nil || !s.leading {
		return nil
	}
	c, err := s.liquidsoap(airCheckTimeout).Claim(ctx, claimTTL, s.opts.AirGroup, s.opts.AirHolder)
	if err != nil {
		s.log.Warn("liquidsoap does not answer yet: the air chain is claimed once it does", "liquidsoap", po.Liquidsoap, "err", err)
		return nil
	}
	if c.HeldBy != "" {
		return fmt.Errorf("the air chain at %s is driven by another service: %s (its claim runs %.0f s more, renewed every second while it runs); stop it, or point this station at another Liquidsoap (station.playout.liquidsoap)",
			po.Liquidsoap, c.HeldBy, c.Left.Seconds())
	}
	return nil
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
		s.verdict(a, path, playout.Result{}, err)
		return
	}
	s.checkSpace(a, set.Recordings.Dir)
	ctx, cancel := s.acting()
	job := &recJob{airing: a, path: path, name: name, cancel: cancel, until: a.End, ends: make(chan time.Time, 1)}
	s.air.recording[a.ID] = job
	pod := set.Podcast
	// With an air chain, Liquidsoap says whether a studio was on air: a
	// live airing without one recorded the fallback, not the show.
	keep := func() error { return nil }
	if s.st.Playout != nil {
		keep = func() error {
			if job.studio.none() {
				return playout.ErrNoStudio
			}
			return nil
		}
	}
	rec := playout.Recording{URL: pod.StreamURL, Path: name, Start: a.Start, Until: a.End, Ends: job.ends, Normalize: set.Normalize, Keep: keep,
		Tags: playout.Tags{
			Title:  pod.TitleOf(a.Episode, a.Start, a.Title),
			Artist: cmp.Or(pod.Author, s.st.Name),
			Album:  a.Show.Title,
			Date:   a.Start.In(a.Show.Location).Format(time.DateOnly),
		}}
	s.log.Info("recording", "airing", a.ID, "file", path, "until", a.End.Format(time.RFC3339))
	s.recWG.Add(1)
	go func() {
		defer s.recWG.Done()
		res, err := s.recorder.Record(ctx, rec)
		s.air.recDone <- recResult{a, path, res, err}
	}()
}

// moveRecordings tells each recording in progress where its airing now
// ends, after an edit of the schedule: later, earlier, or now, for an
// airing that is no longer on (removed, or moved later).
func (s *Service) moveRecordings(at time.Time) {
	for _, j := range s.air.recording {
		until := at
		sched := s.st.Schedule
		// The show's live airings that start from a while before the
		// recording's (an edit may move its start earlier) until now: at
		// its end (or just after it, on a clock that is not a test's) the
		// airing is still found, and is no edit.
		from := j.airing.Start.Add(-sched.MaxDuration())
		for _, a := range sched.LiveAirings(from, at.Add(time.Nanosecond), j.airing.Show.ID) {
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
	if j := s.air.recording[r.airing.ID]; j != nil {
		j.cancel() // frees its context (and, with a lease, its watch on the lease)
	}
	delete(s.air.recording, r.airing.ID)
	if errors.Is(r.err, context.Canceled) {
		s.log.Info("recording stopped; its .part is continued when the service comes back during the airing", "file", r.path)
		return
	}
	s.verdict(r.airing, r.path, r.res, r.err)
}

// verdict says what became of an airing's recording, in every place the
// station looks: the log, /healthz, /metrics, the directory's verdict log
// (which check reads) and, unless complete, a webhook event.
func (s *Service) verdict(a scheduler.Airing, path string, res playout.Result, err error) {
	v := playout.Verdict{File: filepath.Base(cmp.Or(res.Path, path)), Airing: a.ID, Verdict: res.Verdict, Missing: res.Missing.Round(time.Millisecond).Seconds(), At: s.clock.Now()}
	if err != nil {
		v.Verdict, v.Error = playout.Failed, err.Error()
	}
	attrs := []any{"airing", a.ID, "file", cmp.Or(res.Path, path), "verdict", v.Verdict, "audio", res.Audio.Round(time.Millisecond), "missing", res.Missing.Round(time.Millisecond), "drops", res.Drops}
	switch {
	case err != nil:
		s.log.Error("recording failed: nothing is published", append(attrs, "err", err)...)
	case v.Verdict == playout.Partial:
		s.log.Warn("recording partial: published, but part of the airing is missing", append(attrs, "write_error", nullable(res.WriteErr))...)
	default:
		s.log.Info("recorded", append(attrs, "format", res.Format, "bytes", res.Size, "finished", res.Finished)...)
	}
	s.metrics.recorded(v.Verdict)
	s.air.last = &v
	if set := s.st.Show(a.Show.ID); set != nil && set.Recordings != nil {
		if err := playout.LogVerdict(set.Recordings.Dir, v); err != nil {
			s.log.Warn("recording: could not keep its verdict for onair check", "dir", set.Recordings.Dir, "err", err)
		}
	}
	s.notifyRecording(a, v)
}

// streamBytesPerSecond is what a recording is taken to need of its disk:
// the air chain's 128 kbit/s (the script's), twice over, for finishing it
// writes a copy.
const streamBytesPerSecond = 2 * 128_000 / 8

// checkSpace warns, at a recording's start, when its disk lacks the room
// the airing needs at the stream's bit rate.
func (s *Service) checkSpace(a scheduler.Airing, dir string) {
	free, err := playout.FreeSpace(dir)
	if err != nil {
		return
	}
	need := int64(a.End.Sub(s.clock.Now()).Seconds()) * streamBytesPerSecond
	if free >= need {
		s.air.diskWarn = ""
		return
	}
	s.air.diskWarn = fmt.Sprintf("%s: %d MB free, and recording %s needs about %d MB", dir, free>>20, a.ID, need>>20)
	s.log.Warn("recording: the disk may fill before the airing ends", "airing", a.ID, "dir", dir, "free_bytes", free, "needs_bytes", need)
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
	m := map[string]any{"recording": recording, "last_recording": s.air.last, "last_recording_error": nil, "unfinished_recordings": s.air.unfinished, "disk_warning": nullable(s.air.diskWarn)}
	if l := s.air.last; l != nil && l.Error != "" {
		m["last_recording_error"] = l.Error
	}
	if po := s.st.Playout; po != nil {
		playing := ""
		if s.air.have.play != "" {
			playing = strings.TrimSuffix(filepath.Base(s.air.have.play), filepath.Ext(s.air.have.play))
		}
		m["liquidsoap"] = po.Liquidsoap
		m["liquidsoap_error"] = nullable(s.air.err)
		m["held_by"] = nullable(s.air.heldBy)
		m["live"] = s.air.have.liveUntil.After(s.clock.Now())
		m["live_until"] = timeOrNil(s.air.have.liveUntil)
		m["studio_connected"] = s.air.studio
		m["playing"] = nullable(playing)
	}
	return m
}
