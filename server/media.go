package server

import (
	"errors"
	"io/fs"
	"os"
	"sync"
	"syscall"
)

// mediaRoots holds an os.Root for each archive directory served: a file
// is opened relative to its directory's descriptor, in one openat (links
// followed only while they stay inside, as the kernel's RESOLVE_BENEATH
// would), where resolving both paths again for each request cost ten
// system calls.
type mediaRoots struct {
	mu    sync.Mutex
	roots map[string]*os.Root
}

// open opens name in dir for reading, without blocking on a FIFO (the
// caller serves only a regular file). A root is opened on first use, and
// opened again when a name is not found in it (the directory may have
// been replaced, or made, since) or it was closed.
func (m *mediaRoots) open(dir, name string) (*os.File, error) {
	for again := false; ; again = true {
		root, err := m.root(dir, again)
		if err != nil {
			return nil, err
		}
		f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err == nil || again || !(errors.Is(err, fs.ErrNotExist) || errors.Is(err, os.ErrClosed)) {
			return f, err
		}
	}
}

// root returns dir's root, opening it anew when fresh is set.
func (m *mediaRoots) root(dir string, fresh bool) (*os.Root, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.roots[dir]; ok && !fresh {
		return r, nil
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	if old, ok := m.roots[dir]; ok {
		old.Close()
	}
	if m.roots == nil {
		m.roots = make(map[string]*os.Root)
	}
	m.roots[dir] = r
	return r, nil
}

// close closes every root: Swap calls it, as a publish follows any change
// to the archives (a directory replaced or moved away included), and the
// next request opens its root again. A request that holds one opens it
// again at once.
func (m *mediaRoots) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for d, r := range m.roots {
		r.Close()
		delete(m.roots, d)
	}
}
