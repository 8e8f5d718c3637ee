package output

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onair-radio/onair/internal/dirlock"
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
	for _, p := range site.Paths() {
		if ctx.Err() != nil {
			return fmt.Errorf("publish: not replacing %s: %w", dir, context.Cause(ctx))
		}
		if err := writeFile(tmp, dir, p, site.Files[p]); err != nil {
			return fmt.Errorf("publish %s: %w", p, err)
		}
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
