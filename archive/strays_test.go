package archive

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestStrays(t *testing.T) {
	dir := t.TempDir()
	files := []string{
		"prn-2026-11-29.mp3", "prn-2026-11-29.yaml", // a recording and its sidecar
		"prn-2026-12-06.mp3.part",                              // a recording not finished
		"prn 2026-11-22.mp3",                                   // a date, but not the pattern's name
		"Interview_20261115.m4a",                               // another form of date
		"promo.mp3",                                            // no date at all
		"show.wav",                                             // not a format the feeds carry
		"prn-2026-11-08.yaml",                                  // a sidecar of nothing
		"notes.txt", "cover.png", ".DS_Store", "settings.yaml", // the station's own
		"download.part",      // not a recording's .part
		"PRN-2026-11-01.MP3", // nearly a recording: Scan's problem, not a stray
	}
	for _, f := range files {
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "old.mp3"), 0o755)
	p, err := ParsePattern(DefaultPattern, "prn")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range Strays(Source{Show: "prn", Dir: dir, Pattern: p}) {
		if s.Why == "" {
			t.Errorf("%s: no reason", s.Path)
		}
		got = append(got, filepath.Base(s.Path)+" part="+map[bool]string{true: "y", false: "n"}[s.Part]+" want="+s.Want)
	}
	want := []string{
		"Interview_20261115.m4a part=n want=prn-2026-11-15.m4a",
		"prn 2026-11-22.mp3 part=n want=prn-2026-11-22.mp3",
		"prn-2026-11-08.yaml part=n want=",
		"prn-2026-12-06.mp3.part part=y want=prn-2026-12-06.mp3",
		"promo.mp3 part=n want=",
		"show.wav part=n want=",
	}
	if !slices.Equal(got, want) {
		t.Errorf("strays:\n%q\nwant\n%q", got, want)
	}
}
