package testmedia

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the example station's archive under testdata/archive")

// exampleArchive is the example station's recorded episodes
// (config.example.yaml), a few seconds of silent MP3 each, a few KB, and
// the News Hour's artwork.
var exampleArchive = []struct {
	path   string
	length time.Duration
	title  string
}{
	{"prn/prn-2026-11-01.mp3", 2 * time.Second, ""},
	{"prn/prn-2026-11-08.mp3", 3 * time.Second, ""},
	{"prn/prn-2026-11-15.mp3", 2 * time.Second, "Progressive Radio News Hour: The Week in Review"},
	{"prn/prn-2026-11-22.mp3", 4 * time.Second, ""},
	{"jazz/jazz-2026-10-31.mp3", 3 * time.Second, ""},
	{"jazz/jazz-2026-11-14.mp3", 3 * time.Second, ""},
	{"voices/voices-2026-10-30.mp3", 2 * time.Second, ""},
	{"prn/cover.png", 0, ""},
	{"../air/music/interlude.mp3", 2 * time.Second, ""}, // testdata/config/air.yaml's fallback
}

// TestExampleArchive keeps testdata/archive what this package generates
// (go test ./internal/testmedia -update rewrites it).
func TestExampleArchive(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "archive")
	for _, f := range exampleArchive {
		want := MP3(FramesFor(f.length), f.title)
		if filepath.Ext(f.path) == ".png" {
			want = Cover(1400)
		}
		path := filepath.Join(root, f.path)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./internal/testmedia -update writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what testmedia generates", path)
		}
	}
}
