package playout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/onair-radio/onair/internal/clock"
)

// Recording is one live airing's recording.
type Recording struct {
	URL string // the stream that went on air
	// Path is the file the recording becomes, given the extension of the
	// stream's format (mp3, m4a): the show's recordings pattern. It is
	// written as Path+".part" until Until.
	Path func(ext string) string
	// Start and Until are the airing's: what the recording should hold.
	Start, Until time.Time
	// Ends moves Until: an edit of the schedule made during the airing.
	// An end already past ends the recording at once. It may be nil.
	Ends <-chan time.Time
	Tags Tags
	// Normalize evens the recording's loudness (EBU R128, to -16 LUFS,
	// what podcast apps expect) when ffmpeg is at hand.
	Normalize bool
	// Keep, when set, is asked before the recording is given its name
	// (and so published): an error (ErrNoStudio, say) removes it instead.
	Keep func() error
}

// Verdicts of a finished recording.
const (
	// Complete: the recording holds the airing, but for Tolerance.
	Complete = "complete"
	// Partial: seconds of the airing are missing (the stream was down, the
	// disk full); it is published, and the station told.
	Partial = "partial"
	// Failed: nothing was published.
	Failed = "failed"
)

// Tolerance is how much shorter than its airing a complete recording may
// be: joining the stream at the start, and the frame in progress at the
// end.
const Tolerance = 2 * time.Second

// ErrNoStudio is a live airing during which no studio was on air: its
// recording holds the fallback, not the show, and is not published.
var ErrNoStudio = errors.New("no studio was on air during the airing")

// WriteError is a recording that could not be written (a full disk): not
// a stream that dropped, and not retried as one.
type WriteError struct{ Err error }

func (e *WriteError) Error() string { return "write: " + e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// Tags are written into a finished recording (ID3v2 for MP3, MP4 metadata
// for M4A), when ffmpeg is at hand.
type Tags struct {
	Title, Artist, Album, Date, Comment string
}

// Recorder records streams into files, on a clock.
type Recorder struct {
	Clock clock.Clock
	// Client reads the streams. It must not limit a whole response's time
	// (a stream does not end); the default limits connecting and the
	// response's headers.
	Client *http.Client
	Log    *slog.Logger
	// FFmpeg is the path of ffmpeg, which finishes a recording: its tags,
	// an AAC stream's M4A file, its loudness. Without it, an MP3
	// recording is kept as the stream sent it, and an AAC one cannot be
	// published (it is kept as .aac, and the recording fails).
	FFmpeg string
}

// Result is what a recording came to.
type Result struct {
	Path     string        // the file, once finished
	Format   string        // MP3, AAC
	Size     int64         // bytes in the file
	Audio    time.Duration // how long its frames last
	Drops    int           // times the stream dropped and was joined again
	Finished string        // what ffmpeg did to it: "tagged", "tagged, normalized"; "" for nothing
	// Verdict is Complete or Partial for a recording made (Failed with an
	// error); Missing, how much of the airing it lacks.
	Verdict string
	Missing time.Duration
	// WriteErr is the last write that failed (a full disk), "" for none.
	WriteErr string
}

var defaultClient = &http.Client{Transport: &http.Transport{
	DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	ResponseHeaderTimeout: 10 * time.Second,
	DisableCompression:    true,
}}

// ffmpegTimeout bounds finishing one recording (a loudness pass reads it
// twice over).
const ffmpegTimeout = 30 * time.Minute

// recording is a recording in progress: its file, once the stream has
// said its format.
type recording struct {
	Recording
	format Format
	path   string // the finished file's
	file   *os.File
	fr     *framer
}

// open opens the .part for a stream of Content-Type ct, on the first
// connection; a later connection must be of the same format. A .part an
// earlier run left (a service restarted mid-airing) is continued, cut
// back to its last whole frame.
func (r *recording) open(ct string) (io.Writer, error) {
	f, err := StreamFormat(ct)
	if err != nil {
		return nil, err
	}
	if r.file != nil {
		if f.Name != r.format.Name {
			return nil, fmt.Errorf("the stream was %s and is now %s", r.format.Name, f.Name)
		}
		return r.fr, nil
	}
	return r.openAs(f)
}

// openAs opens the .part of the recording in format f.
func (r *recording) openAs(f Format) (io.Writer, error) {
	r.format, r.path = f, r.Path(f.Ext)
	part := r.path + ".part"
	fr := &framer{f: f}
	if _, err := os.Stat(part); err == nil {
		if err := cutPart(part, fr); err != nil {
			return nil, fmt.Errorf("continue %s: %w", part, err)
		}
	}
	file, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	fr.w = file
	r.file, r.fr = file, fr
	return fr, nil
}

// Record reads r.URL into a .part until r.Until, keeping whole frames
// only, then finishes it (tags, M4A, loudness) and gives it its name: only
// a whole recording ever bears the name the archive publishes. A
// connection that drops, or that cannot be made, is tried again (after
// 1 s, then up to 10 s apart) and continues the same file; a .part that an
// earlier run left is continued too. A recording of nothing is an error,
// and leaves no file. When ctx is done first, Record returns ctx's error
// and keeps the .part, to be continued.
func (rc *Recorder) Record(ctx context.Context, r Recording) (Result, error) {
	client := rc.Client
	if client == nil {
		client = defaultClient
	}
	log := rc.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rec := &recording{Recording: r}
	end := rc.Clock.NewTimer(r.Until.Sub(rc.Clock.Now()))
	defer func() { end.Stop() }()
	moved := func(u time.Time) {
		end.Stop()
		end = rc.Clock.NewTimer(u.Sub(rc.Clock.Now()))
		log.Info("recording: the airing's end moved", "url", r.URL, "until", u.Format(time.RFC3339))
	}
	var (
		res     Result
		lastErr error
		backoff = time.Second
	)
	stopped := func() (Result, error) {
		if rec.file != nil {
			rec.fr.reset()
			rec.file.Close()
		}
		return res, ctx.Err()
	}
	for {
		connCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		connected := make(chan struct{})
		go func() { done <- copyStream(connCtx, client, r.URL, rec.open, connected) }()
		for waiting := true; waiting; {
			select {
			case <-end.C():
				cancel()
				<-done
				return rc.finish(ctx, rec, res, lastErr)
			case u := <-r.Ends:
				moved(u)
			case <-ctx.Done():
				cancel()
				<-done
				return stopped()
			case <-connected:
				backoff, connected = time.Second, nil // joined: the next drop waits a second again
			case err := <-done:
				lastErr, waiting = err, false
			}
		}
		cancel()
		var werr *WriteError
		if rec.file != nil {
			if err := rec.fr.reset(); err != nil {
				lastErr = err
			}
		}
		// The wait's timer is set once what was written is settled (cut
		// back, counted): a test on the fake clock takes the timer as the
		// sign that it is.
		var wait clock.Timer
		if errors.As(lastErr, &werr) {
			// Out of space, or another write error: not a drop. What was
			// written is cut back to its last whole frame, the stream is
			// left, and it is joined again only once there is room.
			if res.WriteErr == "" {
				log.Error("recording: could not write the recording; what was written is kept to its last whole frame, and the stream is joined again once it can be written", "file", rec.path+".part", "err", werr.Err)
			}
			res.WriteErr = werr.Err.Error()
			if err := rec.cutToWholeFrames(); err != nil {
				log.Error("recording: could not cut the recording back to its last whole frame", "file", rec.path+".part", "err", err)
			}
			wait = rc.Clock.NewTimer(spaceCheck)
		} else {
			// The stream dropped, or could not be read: join it again.
			res.Drops++
			log.Warn("recording: the stream dropped; joining it again", "url", r.URL, "in", backoff, "err", lastErr)
			wait = rc.Clock.NewTimer(backoff)
		}
	waitLoop:
		for {
			select {
			case <-wait.C():
				if werr != nil && !rec.writable() {
					wait = rc.Clock.NewTimer(spaceCheck) // no room yet
					continue
				}
				break waitLoop
			case u := <-r.Ends:
				moved(u)
			case <-end.C():
				wait.Stop()
				return rc.finish(ctx, rec, res, lastErr)
			case <-ctx.Done():
				wait.Stop()
				return stopped()
			}
		}
		if werr == nil {
			backoff = min(2*backoff, 10*time.Second)
		}
	}
}

// spaceCheck is how often a recording that could not be written looks for
// room again.
const spaceCheck = 5 * time.Second

// minFree is the room a recording needs before it writes again.
const minFree = 1 << 20

// writable says whether the recording's directory has room to write again.
func (r *recording) writable() bool {
	free, err := FreeSpace(filepath.Dir(r.path))
	return err != nil || free >= minFree // unknown: try
}

// cutToWholeFrames cuts the .part back to its last whole frame, after a
// write that failed part-way, and counts again what it holds.
func (r *recording) cutToWholeFrames() error {
	if r.file == nil {
		return nil
	}
	return cutPart(r.path+".part", r.fr)
}

// cutPart cuts a .part back to its last whole frame (a run stopped, or a
// write failed, part-way through one), and sets fr to count what it holds.
func cutPart(part string, fr *framer) error {
	prev, end, err := wholeFrames(part, fr.f)
	if err != nil {
		return err
	}
	if err := os.Truncate(part, end); err != nil {
		return err
	}
	fr.bytes, fr.samples, fr.rate = prev.bytes, prev.samples, prev.rate
	return nil
}

// finish closes the .part, and, if it holds anything, finishes it and
// gives it its name.
func (rc *Recorder) finish(ctx context.Context, rec *recording, res Result, lastErr error) (Result, error) {
	if rec.file == nil {
		// The stream never answered. A .part an earlier run of the
		// airing left is what there is of it: finish that.
		for _, f := range []Format{MP3, AAC} {
			if _, err := os.Stat(rec.Path(f.Ext) + ".part"); err == nil {
				if _, err := rec.openAs(f); err != nil {
					return res, fmt.Errorf("record %s: %w", rec.Path(f.Ext), err)
				}
				break
			}
		}
	}
	if rec.file == nil {
		return res, fmt.Errorf("record %s: nothing was recorded: %v", rec.URL, lastErr)
	}
	resetErr := rec.fr.reset()
	syncErr := rec.file.Sync()
	closeErr := rec.file.Close()
	part := rec.path + ".part"
	res.Format, res.Audio = rec.format.Name, rec.fr.duration()
	if rec.fr.bytes == 0 {
		os.Remove(part)
		return res, fmt.Errorf("record %s: nothing was recorded from %s: %v", rec.path, rec.URL, lastErr)
	}
	if err := errors.Join(resetErr, syncErr, closeErr); err != nil {
		var werr *WriteError
		if !errors.As(resetErr, &werr) {
			return res, fmt.Errorf("record %s: %w", rec.path, err)
		}
		// The disk filled as the airing ended: keep its whole frames.
		res.WriteErr = werr.Err.Error()
		if err := rec.cutToWholeFrames(); err != nil {
			return res, fmt.Errorf("record %s: %w", rec.path, err)
		}
		res.Audio = rec.fr.duration()
	}
	if rec.Keep != nil {
		if err := rec.Keep(); err != nil {
			os.Remove(part)
			return res, fmt.Errorf("record %s: not published: %w", rec.path, err)
		}
	}
	if want := rec.Until.Sub(rec.Start); !rec.Start.IsZero() && want > res.Audio {
		res.Missing = want - res.Audio
	}
	res.Verdict = Complete
	if res.Missing > Tolerance {
		res.Verdict = Partial
	}
	done, ffErr := rc.ffmpeg(ctx, rec, part)
	switch {
	case ffErr == nil:
		res.Finished = done
		os.Remove(part)
	case rec.format.Ext == "mp3":
		// The stream's own frames are a whole MP3 file: publish them.
		if rc.FFmpeg != "" && ctx.Err() == nil {
			rc.logger().Warn("recording: ffmpeg could not finish it; it is published as the stream sent it", "file", rec.path, "err", ffErr)
		}
		if err := os.Rename(part, rec.path); err != nil {
			return res, fmt.Errorf("record %s: %w", rec.path, err)
		}
	default:
		// AAC frames are not published bare: keep them for the station.
		kept := strings.TrimSuffix(rec.path, "."+rec.format.Ext) + ".aac"
		if err := os.Rename(part, kept); err != nil {
			return res, fmt.Errorf("record %s: %w", rec.path, err)
		}
		fix := "install ffmpeg (onair uses it to make M4A files)"
		if rc.FFmpeg != "" {
			fix = "see what ffmpeg said"
		}
		return res, fmt.Errorf("record %s: the stream is AAC, and an M4A file could not be made of it (%v): the audio is kept as %s; %s, or make one: ffmpeg -i %s -c copy %s", rec.path, ffErr, kept, fix, kept, rec.path)
	}
	info, err := os.Stat(rec.path)
	if err != nil {
		return res, fmt.Errorf("record %s: %w", rec.path, err)
	}
	res.Path, res.Size = rec.path, info.Size()
	return res, nil
}

func (rc *Recorder) logger() *slog.Logger {
	if rc.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return rc.Log
}

// ffmpeg finishes a .part into rec.path: it writes the tags (without
// touching the audio), puts AAC frames in an M4A file, and, for
// Normalize, evens the loudness (encoding the audio again, at the
// stream's sample rate and bit rate). It says what it did.
func (rc *Recorder) ffmpeg(ctx context.Context, rec *recording, part string) (string, error) {
	if rc.FFmpeg == "" {
		return "", errors.New("no ffmpeg")
	}
	in := "mp3"
	if rec.format.Ext == "m4a" {
		in = "aac"
	}
	tmp := rec.path + ".tmp"
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", in, "-i", part, "-map", "0:a", "-map_metadata", "-1"}
	done := "tagged"
	if rec.Normalize {
		kbps := 128
		if d := rec.fr.duration(); d > 0 {
			kbps = int(float64(rec.fr.bytes*8)/d.Seconds()/1000/8+0.5) * 8
			kbps = max(32, min(320, kbps))
		}
		codec := "libmp3lame"
		if rec.format.Ext == "m4a" {
			codec = "aac"
		}
		args = append(args, "-af", "loudnorm=I=-16:TP=-1.5:LRA=11", "-ar", strconv.Itoa(rec.fr.rate), "-c:a", codec, "-b:a", strconv.Itoa(kbps)+"k")
		done = "tagged, normalized"
	} else {
		args = append(args, "-c", "copy")
	}
	t := rec.Tags
	for _, kv := range [][2]string{{"title", t.Title}, {"artist", t.Artist}, {"album", t.Album}, {"date", t.Date}, {"comment", t.Comment}, {"genre", "Podcast"}} {
		if kv[1] != "" {
			args = append(args, "-metadata", kv[0]+"="+kv[1])
		}
	}
	if rec.format.Ext == "m4a" {
		args = append(args, "-movflags", "+faststart", "-f", "ipod", tmp)
	} else {
		args = append(args, "-id3v2_version", "3", "-write_id3v1", "0", "-f", "mp3", tmp)
	}
	ctx, cancel := context.WithTimeout(ctx, ffmpegTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, rc.FFmpeg, args...).CombinedOutput()
	if err == nil {
		err = os.Rename(tmp, rec.path)
	} else {
		err = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return done, nil
}

// copyStream reads the stream at url into the writer open gives for its
// Content-Type, until it ends or ctx is done; connected closes once the
// stream answers.
func copyStream(ctx context.Context, client *http.Client, url string, open func(ct string) (io.Writer, error), connected chan<- struct{}) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "onair recorder")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	w, err := open(resp.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	close(connected)
	_, err = io.Copy(w, resp.Body)
	if err == nil {
		err = errors.New("the stream ended")
	}
	return err
}
