package output

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onair-radio/onair/internal/dirlock"
	"github.com/onair-radio/onair/internal/sink"
	"github.com/onair-radio/onair/publish"
)

// marker names the file that marks a directory as onair's output, so that a
// mistyped --out never replaces someone else's directory.
const marker = ".onair-site"

// Dir is a directory that a site is published to, held by one process at
// a time (OpenDir).
type Dir struct {
	path string
	lock *dirlock.Lock
}

// OpenDir takes the directory dir for this process's publishes until Close:
// an exclusive lock (flock) on a file beside it, .<name>.lock, which also
// says who holds it. A second onair publishing to the same directory, which
// would remove the first one's half-written sites, fails here, before it
// writes anything.
func OpenDir(dir string) (*Dir, error) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	path := filepath.Join(parent, "."+base+".lock")
	f, err := dirlock.File(path, fmt.Sprintf("pid %d, since %s", os.Getpid(), time.Now().UTC().Format(time.RFC3339)))
	if errors.Is(err, dirlock.ErrHeld) {
		return nil, fmt.Errorf("publish: another onair is publishing to %s (%v, in %s); stop it, or name another directory", dir, strings.TrimPrefix(err.Error(), dirlock.ErrHeld.Error()+": "), path)
	}
	if err != nil {
		return nil, fmt.Errorf("publish: lock %s: %w", dir, err)
	}
	if err := checkOwned(dir); err != nil {
		f.Release()
		return nil, err
	}
	return &Dir{path: dir, lock: f}, nil
}

func (d *Dir) String() string { return d.path }

// Close lets another process publish to the directory.
func (d *Dir) Close() error { return d.lock.Release() }

// Write publishes a site to the directory as one atomic change: every file is written
// into a new directory beside dir, synced, and the new directory then takes
// dir's place in one rename (on Linux, renameat2's RENAME_EXCHANGE). A
// reader sees the old site or the new one, never a part of either, and a
// crash before the swap leaves the old site whole (the half-written
// directory beside it is removed by the next publish).
//
// A file whose content did not change is linked from the old site rather
// than written, so it keeps its modification time (and a static server's
// Last-Modified and ETag). dir must be onair's: empty, missing, or written by
// an earlier publish.
func (d *Dir) Write(ctx context.Context, site *publish.Site) error {
	return d.Publish(ctx, func(s sink.Sink) error {
		for _, p := range site.Paths() {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			if err := s.Put(p, site.Files[p]); err != nil {
				return err
			}
		}
		return nil
	})
}

// Publish is Write, of the documents build gives its sink as it makes
// them (publish.BuildTo): a large document goes to disk as it is
// rendered, and is never held whole. When build fails, or ctx ends, the
// directory is left as it was.
func (d *Dir) Publish(ctx context.Context, build func(sink.Sink) error) error {
	dir := d.path
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := checkOwned(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	removeStale(parent, base)
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := build(&dirSink{root: tmp, old: dir}); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("publish: not replacing %s: %w", dir, context.Cause(ctx))
		}
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, marker), []byte("written by onair publish; replaced whole on every publish\n"), 0o644); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := syncTree(tmp); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("publish: not replacing %s: %w", dir, context.Cause(ctx))
	}
	if err := swap(tmp, dir); err != nil {
		return fmt.Errorf("publish: replace %s: %w", dir, err)
	}
	ok = true
	// tmp now holds the old site (or nothing).
	os.RemoveAll(tmp)
	// The rename is durable once the directory that holds both names is
	// synced: that one directory, not what else it holds.
	if err := fsyncDir(parent); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// dirSink writes a site's documents into root, the new site, linking each
// whose bytes are those of the same file in old, the site it replaces.
type dirSink struct{ root, old string }

func (s *dirSink) Put(p string, doc []byte) error {
	if err := writeFile(s.root, s.old, p, doc); err != nil {
		return fmt.Errorf("publish %s: %w", p, err)
	}
	return nil
}

func (s *dirSink) Create(p string) (io.WriteCloser, error) {
	path := filepath.Join(s.root, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("publish %s: %w", p, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644) // read back by sameFile
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", p, err)
	}
	return &dirFile{f: f, path: path, prev: filepath.Join(s.old, filepath.FromSlash(p)), name: p}, nil
}

// dirFile is a document being written to the new site. Once written, it
// is compared with the old site's file of that name, and when they hold
// the same bytes the old one is linked in its place (it keeps its
// modification time), as writeFile does with a document held whole.
type dirFile struct {
	f                *os.File
	path, prev, name string
	n                int64
}

func (w *dirFile) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.n += int64(n)
	if err != nil {
		err = fmt.Errorf("publish %s: %w", w.name, err)
	}
	return n, err
}

func (w *dirFile) Close() error {
	if sameFile(w.f, w.n, w.prev) {
		// The old file takes the new one's name; where it cannot be
		// linked (a file system without links), the new one stays.
		if link := w.path + ".same"; os.Link(w.prev, link) == nil {
			if os.Rename(link, w.path) == nil {
				w.f.Close()
				return nil
			}
			os.Remove(link)
		}
	}
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		return fmt.Errorf("publish %s: %w", w.name, err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("publish %s: %w", w.name, err)
	}
	return nil
}

// sameFile says whether the n bytes written to f are those of the file
// at prev, reading both.
func sameFile(f *os.File, n int64, prev string) bool {
	old, err := os.Open(prev)
	if err != nil {
		return false
	}
	defer old.Close()
	if st, err := old.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() != n {
		return false
	}
	a, b := make([]byte, 256<<10), make([]byte, 256<<10)
	for off := int64(0); off < n; {
		k := int(min(int64(len(a)), n-off))
		if _, err := f.ReadAt(a[:k], off); err != nil {
			return false
		}
		if _, err := io.ReadFull(old, b[:k]); err != nil {
			return false
		}
		if !bytes.Equal(a[:k], b[:k]) {
			return false
		}
		off += int64(k)
	}
	return true
}

// checkOwned refuses a directory that onair did not write.
func checkOwned(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
		return fmt.Errorf("publish: %s is not empty and was not written by onair publish (no %s in it); onair replaces its output directory whole, so name an empty or new one", dir, marker)
	}
	return nil
}

// removeStale removes what a crashed publish left beside dir.
func removeStale(parent, base string) {
	matches, _ := filepath.Glob(filepath.Join(parent, "."+base+".new-*"))
	for _, m := range matches {
		os.RemoveAll(m)
	}
}

func writeFile(root, old, rel string, data []byte) error {
	path := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	prev := filepath.Join(old, filepath.FromSlash(rel))
	if cur, err := os.ReadFile(prev); err == nil && bytes.Equal(cur, data) {
		if os.Link(prev, path) == nil {
			return nil
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncTree syncs every directory of the tree at root: the new site's, each
// of which holds names written by this publish.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return fsyncDir(p)
	})
}

// fsyncDir syncs one directory's entries. A variable, so that a test can
// see which directories a publish syncs.
var fsyncDir = func(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !strings.Contains(err.Error(), "invalid argument") {
		return err
	}
	return nil
}
