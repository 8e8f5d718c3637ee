package publish

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/testmedia"
	"github.com/onair-radio/onair/internal/teststation"
)

// TestRecordingWaitsForItsAiring: a recording whose live airing has not
// ended is not an episode yet; at the airing's end it is.
func TestRecordingWaitsForItsAiring(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	os.WriteFile(filepath.Join(dir, "archive", "t-2026-11-29.mp3"), testmedia.MP3(40, ""), 0o644)
	os.WriteFile(filepath.Join(dir, "archive", "t-2026-11-22.mp3"), testmedia.MP3(40, ""), 0o644)
	os.WriteFile(filepath.Join(dir, "archive", "t-2026-12-24.mp3"), testmedia.MP3(40, ""), 0o644) // no airing that day
	path := filepath.Join(dir, "onair.yaml")
	os.WriteFile(path, []byte("station: {name: T, timezone: UTC, stream_url: http://x/live.mp3}\nshows:\n  - id: t\n    title: T\n    recordings: {dir: archive}\n    slots: [{kind: live, cron: \"0 13 * * SUN\", duration: 1h}]\n"), 0o644)
	st, err := teststation.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, problems := Scan(context.Background(), st, nil, nil)
	if len(problems) != 0 || len(recs["t"]) != 3 {
		t.Fatalf("scan: %v %v", recs, problems)
	}
	for _, tc := range []struct {
		at   string
		want []string
	}{
		{"2026-11-29T13:30:00Z", []string{"t-2026-11-22"}},
		{"2026-11-29T14:00:00Z", []string{"t-2026-11-22", "t-2026-11-29"}},
		{"2026-12-24T00:00:00Z", []string{"t-2026-11-22", "t-2026-11-29", "t-2026-12-24"}},
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		site, err := Build(context.Background(), st, recs, at)
		if err != nil {
			t.Fatal(err)
		}
		feed := string(site.Files["feeds/t.xml"])
		var got []string
		for _, ep := range []string{"t-2026-11-22", "t-2026-11-29", "t-2026-12-24"} {
			if strings.Contains(feed, "<guid isPermaLink=\"false\">"+ep+"</guid>\n              <enclosure") || strings.Contains(feed, "/media/t/"+ep+".mp3") {
				got = append(got, ep)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("at %s the feed's episodes are %v, want %v", tc.at, got, tc.want)
		}
	}
	// Nothing waits: the very same slice, which a Builder reuses.
	later, _ := time.Parse(time.RFC3339, "2027-01-01T00:00:00Z")
	if kept := Aired(st, recs, later); &kept["t"][0] != &recs["t"][0] || len(kept["t"]) != 3 {
		t.Error("a list with nothing waiting was copied")
	}
}
