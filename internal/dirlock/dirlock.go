// Package dirlock holds a file, and so what it stands for (a state
// directory, a directory published to), for one process: the file is
// locked with flock(2), which the kernel lets go when the process ends
// however it ends (a SIGKILL too), and it says who holds it.
package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Name is the lock file's name in a directory that Take holds.
const Name = "onair.lock"

// ErrHeld is a lock another process holds.
var ErrHeld = errors.New("held by another process")

// Lock is a held lock file.
type Lock struct{ f *os.File }

// Take holds dir (made if missing) for this process: the lock file Name
// in it.
func Take(dir, holder string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	l, err := File(filepath.Join(dir, Name), holder)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return l, nil
}

// File holds the lock file at path (made if missing) for this process,
// and writes holder (one line: what this process is) into it. When
// another process holds it, the error wraps ErrHeld and names that
// holder, as it wrote itself.
func File(path, holder string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		defer f.Close()
		if !errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		b := make([]byte, 512)
		n, _ := f.ReadAt(b, 0)
		return nil, fmt.Errorf("%w: %s", ErrHeld, strings.TrimSpace(string(b[:n])))
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(holder+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Release lets the lock go.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close() // closing the file lets the lock go
	l.f = nil
	return err
}
