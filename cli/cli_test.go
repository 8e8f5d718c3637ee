package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/cli")

// The tests run from the repository's top, so that paths in the output read
// as a user at the top would type them.
func TestMain(m *testing.M) {
	if err := os.Chdir(".."); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// fixedNow is the fixed "now" of every test: Friday 2026-11-27 12:00 CST.
var fixedNow = time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC)

func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, Env{
		Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return fixedNow },
	})
	return code, out.String(), errb.String()
}

func TestGolden(t *testing.T) {
	ex := "--config=config.example.yaml"
	tests := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"next", []string{"next", "--config", "config.example.yaml", "--at", "2026-11-27T12:00:00-06:00"}, nil},
		{"next-clock", []string{"next", ex, "-n", "2"}, nil},
		{"next-show-count", []string{"next", ex, "prn", "--count", "5", "--at", "2026-12-20T00:00:00-06:00"}, nil},
		{"next-tz", []string{"next", "--config", "config.example.yaml", "--tz", "Europe/Berlin", "-n", "6", "--at", "2026-11-27T12:00:00-06:00"}, nil},
		{"next-json", []string{"next", "--config", "config.example.yaml", "--json", "-n", "2", "--at", "2027-01-15T00:00:00-06:00"}, nil},
		{"next-json-media", []string{"next", "--config", "config.example.yaml", "prn", "--json", "-n", "1", "--at", "2026-11-23T00:00"}, nil},
		{"next-json-tz", []string{"next", ex, "jazz", "--json", "-n", "1", "--tz", "Asia/Kolkata"}, nil},
		{"next-moved", []string{"next", ex, "-n", "4", "--at", "2027-01-14T00:00:00-06:00"}, nil},
		{"next-env-config", []string{"next", "-n", "2"}, map[string]string{"ONAIR_CONFIG": "config.example.yaml"}},
		{"now-live", []string{"now", "--config", "config.example.yaml", "--at", "2026-11-29T13:25:00-06:00"}, nil},
		{"now-nothing", []string{"now", ex}, nil},
		{"now-json", []string{"now", ex, "--json", "-n", "1", "--at", "2026-11-29T13:25:00-06:00"}, nil},
		{"week", []string{"week", "--config", "config.example.yaml", "--at", "2026-11-27T12:00:00-06:00"}, nil},
		{"week-holidays-berlin", []string{"week", "--config", "config.example.yaml", "--at", "2026-12-27T12:00:00-06:00", "--tz", "Europe/Berlin"}, nil},
		{"week-on-air", []string{"week", ex, "--at", "2026-12-31T22:30:00-06:00"}, nil},
		{"check", []string{"check", "--config", "config.example.yaml", "--at", "2026-11-27T12:00:00-06:00"}, nil},
		{"check-bad", []string{"check", "--config", "testdata/config/bad.yaml"}, nil},
		{"check-overlap", []string{"check", "-c", "testdata/config/overlap.yaml", "--days", "60"}, nil},
		{"next-fall-back", []string{"next", "-c", "testdata/config/dst.yaml", "-n", "2", "--at", "2027-11-06 12:00"}, nil},
		{"next-spring-forward", []string{"next", "-c", "testdata/config/dst.yaml", "-n", "2", "--at", "2027-03-13"}, nil},
		{"now-fall-back", []string{"now", "-c", "testdata/config/dst.yaml", "-n", "1", "--at", "2027-11-07T01:45"}, nil},
		{"now-spring-forward-gap", []string{"now", "-c", "testdata/config/dst.yaml", "-n", "1", "--at", "2027-03-14 02:30"}, nil},
		{"week-fall-back", []string{"week", "-c", "testdata/config/dst.yaml", "--at", "2027-11-05"}, nil},
		{"next-at-station-time-tz", []string{"next", ex, "-n", "1", "--tz", "Europe/Berlin", "--at", "2026-11-29 20:00"}, nil},
		{"week-holidays-station", []string{"week", "-c", "testdata/config/holidays.yaml", "--at", "2026-12-24"}, nil},
		{"check-holidays", []string{"check", "-c", "testdata/config/holidays.yaml", "--at", "2026-12-01", "--days", "60"}, nil},
		{"check-missing-image", []string{"check", "-c", "testdata/config/missing-image.yaml", "--at", "2026-12-01", "--days", "7"}, nil},
		{"liquidsoap", []string{"liquidsoap", "-c", "testdata/config/air.yaml"}, nil},
		{"check-waiting", []string{"check", ex, "--at", "2026-11-20T12:00:00-06:00", "--days", "7"}, nil},
		{"check-strays", []string{"check", "-c", "testdata/config/strays.yaml", "--at", "2026-12-01", "--days", "7"}, nil},
		{"check-no-ffmpeg", []string{"check", "-c", "testdata/config/air.yaml", "--at", "2026-12-01", "--days", "7"}, nil},
		{"check-directory", []string{"check", "-c", "testdata/config/directory.yaml", "--at", "2026-12-01", "--days", "7"}, nil},
		{"check-air", []string{"check", "-c", "testdata/config/air-bad.yaml", "--at", "2026-12-01", "--days", "7"}, nil},
		{"liquidsoap-none", []string{"liquidsoap", ex}, nil},
		{"usage-unknown-show", []string{"next", ex, "news"}, nil},
		{"usage-bad-at", []string{"next", ex, "--at", "tomorrow"}, nil},
		{"usage-bad-tz", []string{"week", ex, "--tz", "Mars/Olympus"}, nil},
		{"usage-bad-count", []string{"next", ex, "--count", "0"}, nil},
		{"usage-unknown-flag", []string{"next", ex, "--colour"}, nil},
		{"usage-unknown-command", []string{"publsh"}, nil},
		{"missing-config", []string{"next"}, nil},
		{"help-next", []string{"next", "--help"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.env, tc.args...)
			got := fmt.Sprintf("$ onair %s\nexit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(tc.args, " "), code, stdout, stderr)
			// Absolute paths (a Liquidsoap script's) are the clone's.
			if wd, err := os.Getwd(); err == nil {
				got = strings.ReplaceAll(got, wd+string(filepath.Separator), "<clone>/")
			}
			path := filepath.Join("testdata", "cli", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cli -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test ./cli -update rewrites it)\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"check", "-c", "config.example.yaml"}, ExitOK},
		{[]string{"check", "-c", "testdata/config/bad.yaml"}, ExitFailure},
		{[]string{"check", "-c", "testdata/config/overlap.yaml"}, ExitFailure},
		{[]string{"next", "-c", "config.example.yaml", "--at", "now"}, ExitUsage},
		{[]string{"next", "-c", "config.example.yaml", "nosuchshow"}, ExitUsage},
		{[]string{"now", "-c", "config.example.yaml", "extra-arg"}, ExitUsage},
		{[]string{"next", "-c", "does-not-exist.yaml"}, ExitFailure},
	}
	for _, tc := range tests {
		if code, _, stderr := run(t, nil, tc.args...); code != tc.want {
			t.Errorf("onair %s: exit %d, want %d (stderr %q)", strings.Join(tc.args, " "), code, tc.want, stderr)
		}
	}
}

// TestNextJSONContract decodes `onair next --json` as a script would and
// checks the keys the README promises.
func TestNextJSONContract(t *testing.T) {
	code, stdout, _ := run(t, nil, "next", "-c", "config.example.yaml", "--json", "-n", "20")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var airings []map[string]any
	if err := json.Unmarshal([]byte(stdout), &airings); err != nil {
		t.Fatal(err)
	}
	if len(airings) != 20 {
		t.Fatalf("%d airings, want 20", len(airings))
	}
	ids := map[string]bool{}
	var prev time.Time
	for _, a := range airings {
		for _, k := range []string{"id", "show", "show_title", "kind", "title", "start", "end", "timezone", "episode"} {
			if _, ok := a[k]; !ok {
				t.Errorf("airing %v lacks %q", a["id"], k)
			}
		}
		id := a["id"].(string)
		if ids[id] {
			t.Errorf("duplicate id %s", id)
		}
		ids[id] = true
		start, err := time.Parse(time.RFC3339, a["start"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if start.Before(prev) || start.Before(fixedNow) {
			t.Errorf("%s starts %s: out of order or before --at", id, start)
		}
		prev = start
		if a["kind"] == "rebroadcast" && a["episode"] == nil {
			t.Errorf("rebroadcast %s replays nothing", id)
		}
	}
}

// TestVersion: onair version and onair --version say the same, from the
// build information.
func TestVersion(t *testing.T) {
	code, a, _ := run(t, nil, "version")
	code2, b, _ := run(t, nil, "--version")
	if code != 0 || code2 != 0 || a != b || !strings.HasPrefix(a, "onair ") || !strings.Contains(a, "go1.") {
		t.Errorf("version %q (%d), --version %q (%d)", a, code, b, code2)
	}
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "9e10734abcdef0123456789"}, {Key: "vcs.time", Value: "2026-11-28T11:01:16Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got, want := version(info, true), "v1.2.3, commit 9e10734abcde+modified, 2026-11-28T11:01:16Z, go1.26.8"; got != want {
		t.Errorf("version = %q, want %q", got, want)
	}
	// This test binary links no object storage (output/cloud is not
	// imported by cli), as the default build's does not.
	if !strings.Contains(a, "object storage: none in this build (go build -tags cloud ./cmd/onair") {
		t.Errorf("version says nothing of object storage: %q", a)
	}
	if got, want := storage([]string{"file", "s3"}), "object storage: file://, s3://"; got != want {
		t.Errorf("storage = %q, want %q", got, want)
	}
}

// TestSuggestions: every name a person types, mistyped, is answered with
// the name meant, by one mechanism (suggest.Nearest): show ids, zones,
// flags, subcommands.
func TestSuggestions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"next", "pnr", "-c", "config.example.yaml"}, ExitUsage, `no show "pnr" (did you mean "prn"?)`},
		{[]string{"next", "PRN", "-c", "config.example.yaml"}, ExitUsage, `no show "PRN" (did you mean "prn"?)`},
		{[]string{"next", "--tz", "utc", "-c", "config.example.yaml"}, ExitUsage, `--tz "utc": unknown time zone (did you mean "UTC"?)`},
		{[]string{"next", "--tz", "Europe/Berln", "-c", "config.example.yaml"}, ExitUsage, `(did you mean "Europe/Berlin"?)`},
		{[]string{"next", "--cout", "3", "-c", "config.example.yaml"}, ExitUsage, `unknown flag: --cout (did you mean "--count"?)`},
		{[]string{"notify", "stat"}, ExitUsage, `onair notify: no command "stat" (did you mean "status"?)`},
		{[]string{"notify"}, ExitUsage, `onair notify needs a command: status`},
		{[]string{"nxt"}, ExitUsage, `unknown command "nxt" for "onair" (did you mean "next"?)`},
	} {
		code, stdout, stderr := run(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.says) {
			t.Errorf("onair %s: exit %d, stderr %q, stdout %.80q; want %d and %s", strings.Join(tc.args, " "), code, stderr, stdout, tc.code, tc.says)
		}
	}
}
