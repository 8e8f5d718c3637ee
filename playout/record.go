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
	"time"

	"github.com/onair-radio/onair/internal/clock"
)

// Recording is one live airing's recording.
type Recording struct {
	URL   string    // the stream that went on air
	Path  string    // the file it becomes; written as Path+".part" until Until
	Until time.Time // the airing's end
}

// Recorder records streams into files, on a clock.
type Recorder struct {
	Clock clock.Clock
	// Client reads the streams. It must not limit a whole response's time
	// (a stream does not end); the default limits connecting and the
	// response's headers.
	Client *http.Client
	Log    *slog.Logger
}

// Result is what a recording came to.
type Result struct {
	Size  int64 // bytes in the file
	Drops int   // times the stream dropped and was joined again
}

var defaultClient = &http.Client{Transport: &http.Transport{
	DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	ResponseHeaderTimeout: 10 * time.Second,
	DisableCompression:    true,
}}

// Record reads r.URL into r.Path+".part" until r.Until, then renames it to
// r.Path: only a whole recording ever bears the name the archive
// publishes. A connection that drops, or that cannot be made, is tried
// again (after 1 s, then up to 10 s apart) and continues the same file; a
// .part that an earlier run left (a service restarted mid-airing) is
// continued too. A recording of nothing is an error, and leaves no file.
// When ctx is done first, Record returns ctx's error and keeps the .part,
// to be continued.
func (rc *Recorder) Record(ctx context.Context, r Recording) (Result, error) {
	client := rc.Client
	if client == nil {
		client = defaultClient
	}
	log := rc.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	part := r.Path + ".part"
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return Result{}, fmt.Errorf("record %s: %w", r.Path, err)
	}
	end := rc.Clock.NewTimer(r.Until.Sub(rc.Clock.Now()))
	defer end.Stop()
	var (
		res     Result
		lastErr error
		backoff = time.Second
	)
	for {
		connCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		connected := make(chan struct{})
		go func() { done <- copyStream(connCtx, client, r.URL, f, connected) }()
		for waiting := true; waiting; {
			select {
			case <-end.C():
				cancel()
				<-done
				return rc.finish(f, part, r, res, lastErr)
			case <-ctx.Done():
				cancel()
				<-done
				f.Close()
				return res, ctx.Err()
			case <-connected:
				backoff, connected = time.Second, nil // joined: the next drop waits a second again
			case err = <-done:
				waiting = false
			}
		}
		cancel()
		// The stream dropped, or could not be read: join it again.
		lastErr = err
		res.Drops++
		log.Warn("recording: the stream dropped; joining it again", "file", r.Path, "in", backoff, "err", err)
		wait := rc.Clock.NewTimer(backoff)
		select {
		case <-wait.C():
		case <-end.C():
			wait.Stop()
			return rc.finish(f, part, r, res, lastErr)
		case <-ctx.Done():
			wait.Stop()
			f.Close()
			return res, ctx.Err()
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

// finish closes the .part and gives it its name, if it holds anything.
func (rc *Recorder) finish(f *os.File, part string, r Recording, res Result, lastErr error) (Result, error) {
	syncErr := f.Sync()
	closeErr := f.Close()
	info, err := os.Stat(part)
	if err != nil {
		return res, fmt.Errorf("record %s: %w", r.Path, err)
	}
	if res.Size = info.Size(); res.Size == 0 {
		os.Remove(part)
		return res, fmt.Errorf("record %s: nothing was recorded from %s: %v", r.Path, r.URL, lastErr)
	}
	if err := errors.Join(syncErr, closeErr); err != nil {
		return res, fmt.Errorf("record %s: %w", r.Path, err)
	}
	if err := os.Rename(part, r.Path); err != nil {
		return res, fmt.Errorf("record %s: %w", r.Path, err)
	}
	return res, nil
}

// copyStream appends the stream at url to f until it ends or ctx is done;
// connected closes once the stream answers.
func copyStream(ctx context.Context, client *http.Client, url string, f io.Writer, connected chan<- struct{}) error {
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
	close(connected)
	_, err = io.Copy(f, resp.Body)
	if err == nil {
		err = errors.New("the stream ended")
	}
	return err
}
