package publish

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/onair-radio/onair/internal/testmedia"
	"github.com/onair-radio/onair/internal/teststation"
)

// TestBadRecordings: what cannot be published is reported with its file's
// name and left out; the rest of the feed is published.
func TestBadRecordings(t *testing.T) {
	dir := t.TempDir()
	arch := filepath.Join(dir, "archive")
	os.Mkdir(arch, 0o755)
	put := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(arch, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("prn-2026-11-22.mp3", testmedia.MP3(56, ""))
	put("prn-2026-11-15.mp3", []byte("<html>404 Not Found</html>")) // not audio
	put("prn-2026-11-08.mp3", testmedia.MP3(56, ""))
	put("prn-2026-11-08.yaml", []byte("title: Fine\nhost: Somebody\n")) // unknown key
	put("prn-2026-11-01.m4a", testmedia.M4A(90*time.Second))
	os.Symlink(filepath.Join(dir, "gone.mp3"), filepath.Join(arch, "prn-2026-10-25.mp3")) // unreadable
	cfgFile := filepath.Join(dir, "onair.yaml")
	os.WriteFile(cfgFile, []byte(`station: {name: T, timezone: America/Chicago}
shows:
  - id: prn
    title: News Hour
    recordings: {dir: archive}
    slots: [{kind: live, cron: "0 13 * * SUN", duration: 1h}]
`), 0o644)
	st, err := teststation.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	recs, problems := Scan(context.Background(), st, nil, nil)
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, filepath.Base(p.Path)+": "+p.Err.Error())
	}
	want := []string{
		"prn-2026-10-25.mp3: stat " + filepath.Join(arch, "prn-2026-10-25.mp3") + ": no such file or directory",
		"prn-2026-11-08.mp3: sidecar prn-2026-11-08.yaml: line 2: unknown key \"host\"",
		"prn-2026-11-15.mp3: not MP3 or MPEG-4 audio",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	site, err := Build(context.Background(), st, recs, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	feed, err := gofeed.NewParser().ParseString(string(site.Files["feeds/prn.xml"]))
	if err != nil {
		t.Fatal(err)
	}
	var guids []string
	for _, it := range feed.Items {
		guids = append(guids, it.GUID+"="+it.ITunesExt.Duration+" "+it.Enclosures[0].Type)
	}
	if got := strings.Join(guids, " "); got != "prn-2026-11-22=2 audio/mpeg prn-2026-11-01=90 audio/x-m4a" {
		t.Errorf("items: %s", got)
	}
}
