package sink

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/onair-radio/onair/internal/stopctx"
)

// TestMemory: a document written in writes of any size is its bytes; one
// Put is the very slice given.
func TestMemory(t *testing.T) {
	m := make(Memory)
	want := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz\n"), 400_000) // 14.8 MB: many pieces
	for _, size := range []int{7, 4099, 64 << 10, len(want)} {
		if err := Write(m, "doc", func(w io.Writer) error {
			for rest := want; len(rest) > 0; {
				k := min(size, len(rest))
				if _, err := w.Write(rest[:k]); err != nil {
					return err
				}
				rest = rest[k:]
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m["doc"], want) || cap(m["doc"]) != len(want) {
			t.Errorf("written in writes of %d: %d bytes (cap %d), want %d", size, len(m["doc"]), cap(m["doc"]), len(want))
		}
	}
	doc := []byte("kept")
	m.Put("put", doc)
	if &m["put"][0] != &doc[0] {
		t.Error("Put copied the document")
	}
}

// TestStopping: once its context is done, a Put, a Create and a write
// fail with its cause.
func TestStopping(t *testing.T) {
	m := make(Memory)
	s := Stopping(stopctx.After(2), m)
	if err := s.Put("a", []byte("a")); err != nil { // look 1
		t.Fatal(err)
	}
	w, err := s.Create("b") // look 2
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("b")); !errors.Is(err, context.Canceled) { // look 3
		t.Errorf("a write after the stop: %v", err)
	}
	if err := s.Put("c", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a Put after the stop: %v", err)
	}
	if _, ok := m["c"]; ok {
		t.Error("a document Put after the stop was kept")
	}
}
