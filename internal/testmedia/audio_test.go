package testmedia

import (
	"bytes"
	"testing"
	"time"

	"github.com/abema/go-mp4"
	"github.com/dhowden/tag"
	"github.com/hajimehoshi/go-mp3"
)

func TestMP3Decodes(t *testing.T) {
	b := MP3(56, "Progressive Radio News Hour — 2026-11-29")
	d, err := mp3.NewDecoder(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	got := time.Duration(d.Length()/4) * time.Second / time.Duration(d.SampleRate())
	if want := 56 * FrameDuration; got != want {
		t.Errorf("duration %s, want %s", got, want)
	}
	m, err := tag.ReadFrom(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if m.Title() != "Progressive Radio News Hour — 2026-11-29" {
		t.Errorf("title %q", m.Title())
	}
}

func TestM4AProbes(t *testing.T) {
	info, err := mp4.Probe(bytes.NewReader(M4A(90 * time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	if info.Timescale != 1000 || info.Duration != 90000 {
		t.Errorf("timescale %d duration %d", info.Timescale, info.Duration)
	}
}
