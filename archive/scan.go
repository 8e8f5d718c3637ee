package archive

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onair-radio/onair/scheduler"
)

// Source is where one show's recordings are.
type Source struct {
	Show    string
	Dir     string   // the directory holding them
	Pattern *Pattern // which files are recordings, and of which episode
	URL     string   // the public URL of the directory; a file's name is appended
}

// Recording is an episode's audio file.
type Recording struct {
	Episode string // the episode id, prn-2026-11-29
	Date    scheduler.Date
	N       int    // the live episode's number on its date: 1, 2, ...
	File    string // base name
	Path    string
	URL     string
	Size    int64 // exact bytes: the enclosure length
	ModTime time.Time
	Probe
	Sidecar *Sidecar // nil without one
}

// Problem is a file that could not be published, and why.
type Problem struct {
	Path string
	Err  error
}

func (p Problem) Error() string { return p.Path + ": " + p.Err.Error() }

// Progress is told how many recordings of a scan are probed so far. It is
// called once per recording, one call at a time.
type Progress func(done, total int)

// Scan lists a show's recordings, oldest first. Files that match the
// pattern but are not audio, cannot be read or have an invalid sidecar are
// left out and reported; the rest are returned. A missing directory is one
// problem. cache may be nil; progress may be nil. Once ctx is done, no
// further file is probed: the scan returns what it has.
func Scan(ctx context.Context, src Source, cache *Cache, progress Progress) ([]Recording, []Problem) {
	if cache == nil {
		cache = &Cache{}
	}
	entries, err := os.ReadDir(src.Dir)
	if err != nil {
		return nil, []Problem{{src.Dir, err}}
	}
	type job struct {
		rec  Recording
		info os.FileInfo
	}
	var jobs []job
	seen := make(map[string]string)
	var problems []Problem
	for _, e := range entries {
		if !e.Type().IsRegular() && e.Type()&os.ModeSymlink == 0 {
			continue
		}
		d, n, ok := src.Pattern.Match(e.Name())
		if !ok {
			if err := src.Pattern.Near(e.Name()); err != nil {
				problems = append(problems, Problem{filepath.Join(src.Dir, e.Name()), err})
			}
			continue
		}
		path := filepath.Join(src.Dir, e.Name())
		if e.Type()&os.ModeSymlink != 0 {
			if err := insideReal(src.Dir, path); errors.Is(err, ErrOutside) {
				problems = append(problems, Problem{path, err})
				continue
			} // a link to nothing: the stat below says so
		}
		info, err := os.Stat(path) // follows a symlink, inside the directory
		if err != nil {
			problems = append(problems, Problem{path, err})
			continue
		}
		if !info.Mode().IsRegular() {
			continue
		}
		id := scheduler.EpisodeID(src.Show, d, n)
		if other, dup := seen[id]; dup {
			problems = append(problems, Problem{path, fmt.Errorf("a second recording of episode %s (the first is %s)", id, other)})
			continue
		}
		seen[id] = e.Name()
		jobs = append(jobs, job{Recording{
			Episode: id, Date: d, N: n, File: e.Name(), Path: path,
			URL:  strings.TrimRight(src.URL, "/") + "/" + url.PathEscape(e.Name()),
			Size: info.Size(), ModTime: info.ModTime(),
		}, info})
	}

	// Probe in parallel: the first publish of a large archive reads every file.
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		done    int // under mu
		next    atomic.Int64
		results = make([]*Recording, len(jobs))
	)
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) || ctx.Err() != nil {
					return
				}
				j := jobs[i]
				rec, err := load(j.rec, j.info, cache)
				mu.Lock()
				if err != nil {
					problems = append(problems, Problem{j.rec.Path, err})
				} else {
					results[i] = &rec
				}
				done++
				if progress != nil {
					progress(done, len(jobs)) // one call at a time, counting up
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()

	var out []Recording
	for _, r := range results {
		if r != nil {
			out = append(out, *r)
		}
	}
	slices.SortFunc(out, func(a, b Recording) int {
		switch {
		case a.Date.Before(b.Date):
			return -1
		case b.Date.Before(a.Date):
			return 1
		}
		return a.N - b.N
	})
	slices.SortFunc(problems, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return out, problems
}

// load probes a recording and reads its sidecar.
func load(rec Recording, info os.FileInfo, cache *Cache) (Recording, error) {
	p, err := cache.probe(rec.Path, info)
	if err != nil {
		return rec, err
	}
	rec.Probe = p
	for _, ext := range []string{".yaml", ".yml"} {
		side := strings.TrimSuffix(rec.Path, filepath.Ext(rec.Path)) + ext
		if err := Inside(filepath.Dir(rec.Path), side); errors.Is(err, ErrOutside) {
			return rec, fmt.Errorf("sidecar %s: %w", filepath.Base(side), err)
		}
		info, err := os.Stat(side)
		if os.IsNotExist(err) {
			continue
		}
		if err == nil && !info.Mode().IsRegular() {
			// Opening a FIFO would wait for a writer.
			return rec, fmt.Errorf("sidecar %s is not a regular file", filepath.Base(side))
		}
		f, err := os.Open(side)
		if err != nil {
			return rec, fmt.Errorf("sidecar: %w", err)
		}
		s, err := ParseSidecar(f)
		f.Close()
		if err != nil {
			return rec, fmt.Errorf("sidecar %s: %w", filepath.Base(side), err)
		}
		rec.Sidecar = s
		break
	}
	return rec, nil
}
