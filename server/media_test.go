package server

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// fileRecorder is a response recorder with the server's ReadFrom: it
// counts the copies handed a file (through LimitedReaders), which
// net/http sends with sendfile.
type fileRecorder struct {
	*httptest.ResponseRecorder
	files int
}

func (w *fileRecorder) ReadFrom(src io.Reader) (int64, error) {
	r := src
	for {
		lr, ok := r.(*io.LimitedReader)
		if !ok {
			break
		}
		r = lr.R
	}
	if _, ok := r.(*os.File); ok {
		w.files++
	}
	return io.Copy(struct{ io.Writer }{w.ResponseRecorder}, src)
}

// TestMediaSendfile: through the service's handler (the metrics' wrapper,
// then the media response's), a recording reaches the server's ReadFrom
// as a file, whole or a range of it: the kernel sends it (sendfile).
func TestMediaSendfile(t *testing.T) {
	h := NewMetrics().Instrument(exampleHandler(t))
	file, _ := os.ReadFile("testdata/archive/prn/prn-2026-11-22.mp3")
	for _, tc := range []struct {
		rng  string
		code int
		body []byte
	}{{"", 200, file}, {"bytes=100-9999", 206, file[100:10000]}} {
		r := httptest.NewRequest("GET", "/media/prn/prn-2026-11-22.mp3", nil)
		if tc.rng != "" {
			r.Header.Set("Range", tc.rng)
		}
		w := &fileRecorder{ResponseRecorder: httptest.NewRecorder()}
		h.ServeHTTP(w, r)
		if w.Code != tc.code || !bytes.Equal(w.Body.Bytes(), tc.body) {
			t.Errorf("Range %q: %d, %d bytes", tc.rng, w.Code, w.Body.Len())
		}
		if w.files == 0 {
			t.Errorf("Range %q: the file was copied through Write, not handed to the server's ReadFrom (no sendfile)", tc.rng)
		}
	}
}

// TestMediaDirectoryReplaced: the archive's directory is held open, and
// opened again when a name is not found in it: one removed and made again
// (or made after start) is served, and a publish (Swap) lets go of one
// moved away.
func TestMediaDirectoryReplaced(t *testing.T) {
	h := exampleHandler(t)
	dir := filepath.Join(t.TempDir(), "prn")
	h.Snapshot().media["prn"] = dir
	if w := get(h, "GET", "/media/prn/a.mp3"); w.Code != 404 {
		t.Errorf("no directory yet: %d", w.Code)
	}
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "a.mp3"), []byte("first"), 0o644)
	if w := get(h, "GET", "/media/prn/a.mp3"); w.Code != 200 || w.Body.String() != "first" {
		t.Errorf("made after start: %d %q", w.Code, w.Body.String())
	}
	os.RemoveAll(dir)
	if w := get(h, "GET", "/media/prn/a.mp3"); w.Code != 404 {
		t.Errorf("removed: %d", w.Code)
	}
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "b.mp3"), []byte("second"), 0o644)
	if w := get(h, "GET", "/media/prn/b.mp3"); w.Code != 200 || w.Body.String() != "second" {
		t.Errorf("made again: %d %q", w.Code, w.Body.String())
	}
	// Moved away, and a new one in its place: the publish that follows
	// serves the new one only.
	os.Rename(dir, dir+".old")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "b.mp3"), []byte("third"), 0o644)
	h.Swap(h.Snapshot())
	if w := get(h, "GET", "/media/prn/b.mp3"); w.Code != 200 || w.Body.String() != "third" {
		t.Errorf("replaced, after a publish: %d %q", w.Code, w.Body.String())
	}
	h.Close()
}
