// Package sink is where a build puts a site's documents as it makes
// them: in memory (Memory, what a server serves from), or straight to
// the output (output.Dir's), so that a large document is written as it is
// rendered and never held whole.
package sink

import (
	"context"
	"fmt"
	"io"
)

// Sink takes documents by their path under the site's root.
type Sink interface {
	// Put takes a document made whole (a feed, a page). The sink may keep
	// doc; the caller does not change it after.
	Put(path string, doc []byte) error
	// Create takes a document written as it is rendered. It is the
	// sink's once Close returns nil; a document not closed is not.
	Create(path string) (io.WriteCloser, error)
}

// Memory is a Sink that holds each document whole, by path. A document
// Put is kept as the same slice (a server knows an unchanged document by
// it).
type Memory map[string][]byte

func (m Memory) Put(p string, doc []byte) error {
	m[p] = doc
	return nil
}

func (m Memory) Create(p string) (io.WriteCloser, error) {
	return &memoryFile{m: m, path: p}, nil
}

// memoryFile holds what is written in pieces (each as large as all
// before it, from 64 KB to 4 MB), and makes them one slice of the exact
// size at Close: a document of a hundred MB is copied once more, not
// held twice at each of a growing buffer's doublings.
type memoryFile struct {
	pieces [][]byte
	n      int
	m      Memory
	path   string
}

func (f *memoryFile) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if k := len(f.pieces); k == 0 || len(f.pieces[k-1]) == cap(f.pieces[k-1]) {
			f.pieces = append(f.pieces, make([]byte, 0, min(max(64<<10, f.n), 4<<20)))
		}
		last := &f.pieces[len(f.pieces)-1]
		c := min(len(p), cap(*last)-len(*last))
		*last = append(*last, p[:c]...)
		p = p[c:]
	}
	f.n += n
	return n, nil
}

func (f *memoryFile) Close() error {
	doc := make([]byte, 0, f.n)
	for _, piece := range f.pieces {
		doc = append(doc, piece...)
	}
	f.pieces = nil
	f.m[f.path] = doc
	return nil
}

// Stopping is s, whose documents fail with ctx's cause once ctx is done:
// a Put, and a Create's every write, so that a document that takes
// seconds to render stops within one write of a shutdown.
func Stopping(ctx context.Context, s Sink) Sink { return stopping{ctx, s} }

type stopping struct {
	ctx context.Context
	s   Sink
}

func (s stopping) stopped() error {
	if s.ctx.Err() != nil {
		return fmt.Errorf("stopped: %w", context.Cause(s.ctx))
	}
	return nil
}

func (s stopping) Put(p string, doc []byte) error {
	if err := s.stopped(); err != nil {
		return err
	}
	return s.s.Put(p, doc)
}

func (s stopping) Create(p string) (io.WriteCloser, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	w, err := s.s.Create(p)
	if err != nil {
		return nil, err
	}
	return stoppingFile{s, w}, nil
}

type stoppingFile struct {
	s stopping
	io.WriteCloser
}

func (f stoppingFile) Write(p []byte) (int, error) {
	if err := f.s.stopped(); err != nil {
		return 0, err
	}
	return f.WriteCloser.Write(p)
}

// Write is Create, render, Close: the document at p, written as render
// makes it. A document render fails is closed, but the build that fails
// with it publishes nothing.
func Write(s Sink, p string, render func(w io.Writer) error) error {
	w, err := s.Create(p)
	if err != nil {
		return err
	}
	if err := render(w); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
