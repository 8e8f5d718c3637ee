// Package dirlock holds a directory for one process: a lock file in it,
// locked with flock(2), which the kernel lets go when the process ends
// however it ends (a SIGKILL too), and which says who holds it.
package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Name is the lock file's name in the directory.
const Name = "onair.lock"

// ErrHeld is a directory another process holds.
var ErrHeld = errors.New("held by another process")

// Lock is a held directory.
type Lock struct{ f *os.File }

// Take holds dir (made if missing) for this process, and writes holder
// (one line: what this process is) into its lock file. When another
// process holds it, the error wraps ErrHeld and names that holder.
func Take(dir, holder string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, Name)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		if !errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		who, _ := os.ReadFile(path)
		return nil, fmt.Errorf("%s: %w: %s", dir, ErrHeld, strings.TrimSpace(string(who)))
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(holder+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Release lets the directory go.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close() // closing the file lets the lock go
	l.f = nil
	return err
}
