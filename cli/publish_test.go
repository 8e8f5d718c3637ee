package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPublishCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	cache := filepath.Join(t.TempDir(), "probes.json")
	args := []string{"publish", "--config", "config.example.yaml", "--out", out, "--cache", cache, "--at", "2026-11-29T13:30:00-06:00"}
	code, stdout, stderr := run(t, nil, args...)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := "published 3 feeds (7 episodes), schedule.json, 4 calendars and 5 web pages to " + out + " as of 2026-11-29T13:30:00-06:00\n"
	if stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	// The same bytes as the golden site.
	for _, p := range []string{"feeds/prn.xml", "schedule.json", "calendar.ics", "calendar/voices.ics"} {
		got, err := os.ReadFile(filepath.Join(out, p))
		if err != nil {
			t.Fatal(err)
		}
		golden, _ := os.ReadFile(filepath.Join("testdata", "publish", p))
		if string(got) != string(golden) {
			t.Errorf("%s differs from testdata/publish/%s", p, p)
		}
	}
	if _, err := os.Stat(cache); err != nil {
		t.Errorf("no probe cache written: %v", err)
	}
	// Again, over the same directory.
	if code, _, stderr := run(t, nil, args...); code != 0 {
		t.Fatalf("second publish: exit %d, %s", code, stderr)
	}

	if code, _, stderr := run(t, nil, "publish", "--config", "config.example.yaml"); code != ExitUsage || !strings.Contains(stderr, "publish needs --out DIR") {
		t.Errorf("without --out: exit %d, %q", code, stderr)
	}
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "index.html"), []byte("mine"), 0o644)
	if code, _, stderr := run(t, nil, "publish", "--config", "config.example.yaml", "--out", foreign, "--no-cache"); code != ExitFailure || !strings.Contains(stderr, "was not written by onair publish") {
		t.Errorf("into a foreign directory: exit %d, %q", code, stderr)
	}
}
