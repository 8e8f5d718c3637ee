package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPublishCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	cache := filepath.Join(t.TempDir(), "probes.json")
	args := []string{"publish", "--config", "config.example.yaml", "--out", out, "--cache", cache, "--at", "2026-11-29T13:30:00-06:00"}
	code, stdout, stderr := run(t, nil, args...)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := "published 3 feeds (7 episodes), schedule.json, 4 calendars, the guide (XMLTV, M3U) and 5 web pages to " + out + " as of 2026-11-29T13:30:00-06:00\n"
	if stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	// The same bytes as the golden site.
	for _, p := range []string{"feeds/prn.xml", "schedule.json", "calendar.ics", "calendar/voices.ics", "xmltv.xml", "station.m3u"} {
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

// TestGuideAgreesWithNext: the XMLTV guide publish writes is well formed,
// and its programmes are the airings `onair next --json` lists, at the
// same instants, a rebroadcast marked previously shown at the start of
// the live airing it replays.
func TestGuideAgreesWithNext(t *testing.T) {
	out := t.TempDir()
	const at = "2026-11-29T13:30:00-06:00"
	if code, _, stderr := run(t, nil, "publish", "-c", "config.example.yaml", "--out", out, "--no-cache", "--at", at); code != 0 {
		t.Fatalf("publish: %s", stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "xmltv.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var guide struct {
		Channels []struct {
			ID   string `xml:"id,attr"`
			Name string `xml:"display-name"`
		} `xml:"channel"`
		Programmes []struct {
			Start      string `xml:"start,attr"`
			Stop       string `xml:"stop,attr"`
			Channel    string `xml:"channel,attr"`
			Title      string `xml:"title"`
			Episode    string `xml:"episode-num"`
			Previously *struct {
				Start string `xml:"start,attr"`
			} `xml:"previously-shown"`
		} `xml:"programme"`
	}
	if err := xml.Unmarshal(b, &guide); err != nil {
		t.Fatal(err)
	}
	if len(guide.Channels) != 1 || guide.Channels[0].Name != "Progressive Radio Network" {
		t.Fatalf("channels %+v", guide.Channels)
	}
	code, stdout, _ := run(t, nil, "next", "-c", "config.example.yaml", "--json", "-n", "200", "--at", at)
	if code != 0 {
		t.Fatal("next failed")
	}
	var next []struct {
		ID, Kind, Start, End string
		Episode              *string
	}
	json.Unmarshal([]byte(stdout), &next)
	parse := func(layout, s string) time.Time {
		v, err := time.Parse(layout, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	atT := parse(time.RFC3339, at)
	to := atT.Add(14 * 24 * time.Hour) // the example's schedule_days
	var want []string
	for _, a := range next {
		if start := parse(time.RFC3339, a.Start); start.Before(to) {
			want = append(want, start.UTC().Format(time.RFC3339)+" "+parse(time.RFC3339, a.End).UTC().Format(time.RFC3339)+" "+*a.Episode)
		}
	}
	var got []string
	previously := 0
	for _, p := range guide.Programmes {
		start, stop := parse("20060102150405 -0700", p.Start), parse("20060102150405 -0700", p.Stop)
		if p.Channel != guide.Channels[0].ID || p.Title == "" {
			t.Errorf("programme %+v", p)
		}
		if p.Previously != nil {
			previously++
			if live := parse("20060102150405 -0700", p.Previously.Start); !live.Before(start) {
				t.Errorf("%s: previously shown at %s, not before", p.Episode, live)
			}
		}
		if start.Before(atT) {
			continue // on air at the time asked: next lists what starts after
		}
		got = append(got, start.UTC().Format(time.RFC3339)+" "+stop.UTC().Format(time.RFC3339)+" "+p.Episode)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) < 5 || previously == 0 {
		t.Errorf("the guide's programmes:\n%s\nnext --json:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPublishToBucketNeedsTheCloudBuild: this test binary, like the
// default build, links no object storage: --out s3://… is refused with
// the build that has it, before anything is built, and the URL's query
// (its secrets) is not repeated. (cmd/onair's TestPublishToBucket
// publishes to one, in the cloud build.)
func TestPublishToBucketNeedsTheCloudBuild(t *testing.T) {
	code, _, stderr := run(t, nil, "publish", "-c", "config.example.yaml", "--out", "s3://site?region=us-east-1&secret_access_key=hunter2", "--no-cache", "--at", "2026-11-29T13:30:00-06:00")
	if code != ExitFailure || !strings.Contains(stderr, "out s3://…: this onair was built without object storage; build it with its drivers (go build -tags cloud ./cmd/onair)") || strings.Contains(stderr, "hunter2") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestPublishSaysWhatItWrote: a station without a stream has no M3U, and
// publish does not say it wrote one.
func TestPublishSaysWhatItWrote(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "onair.yaml")
	os.WriteFile(cfg, []byte("station: {name: T, timezone: UTC}\nshows: [{id: a, title: A, slots: [{kind: live, cron: \"0 1 * * *\", duration: 1h}]}]\n"), 0o644)
	out := filepath.Join(dir, "public")
	code, stdout, stderr := run(t, nil, "publish", "--config", cfg, "--out", out, "--no-cache", "--at", "2026-11-29T13:30:00Z")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "station.m3u")); err == nil || !strings.Contains(stdout, "the guide (XMLTV) and") {
		t.Errorf("stdout %q (station.m3u: %v)", stdout, err)
	}
}

// TestTooBigToPublish: a station that would publish past
// publish.MaxAirings (20 shows each on the air every 15 minutes, a year
// ahead) is refused by check, publish and the service's loader (start and
// reload), at its schedule_days, before anything is built.
func TestTooBigToPublish(t *testing.T) {
	if testing.Short() {
		t.Skip("counts half a million airings, three times")
	}
	dir := t.TempDir()
	cfg := busyStation(t, dir, "station:\n  name: Busy Station\n  timezone: America/Chicago\n  schedule_days: 365\n", 20,
		`{kind: live, cron: "%[1]d,%[2]d,%[3]d,%[4]d * * * *", duration: 10m}`)
	want := cfg + ":4:18: station.schedule_days: the station would publish about 714240 airings in the calendars' 372 days (schedule_days and the week behind), about 785 MB of schedule, calendars and guide; the most is 500000: lower schedule_days, or air fewer slots"
	code, stdout, _ := run(t, nil, "check", "--config", cfg, "--at", "2026-12-07T12:00:00Z")
	if code != ExitFailure || stdout != want+"\n"+cfg+": 1 error\n" {
		t.Errorf("check: exit %d:\n%s", code, stdout)
	}
	out := filepath.Join(dir, "public")
	code, _, stderr := run(t, nil, "publish", "--config", cfg, "--out", out, "--no-cache", "--at", "2026-12-07T12:00:00Z")
	if code != ExitFailure || !strings.Contains(stderr, want) {
		t.Errorf("publish: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("publish wrote its output")
	}
	o := &rootOptions{env: Env{Getenv: func(string) string { return "" }, Now: func() time.Time { return fixedNow }}}
	data, _ := os.ReadFile(cfg)
	if _, err := o.loader(cfg, "")(data); err == nil || err.Error() != want {
		t.Errorf("the service's loader: %v", err)
	}
}

// TestPublishStopped: a signal while a station's new site is being
// written ends publish within a second, with the site before it whole,
// and what it wrote gone by the next publish. (That the command does not
// wait for a build's listing, seconds long on a large station, is
// TestUnlessStopped's;
// scripts/sigterm.sh measures it on scripts/busy-station.sh 200.)
func TestPublishStopped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large station")
	}
	dir := t.TempDir()
	cfg := busyStation(t, dir, "station: {name: Busy Station, timezone: America/Chicago}\n", 10,
		`{kind: live, cron: "%[1]d * * * *", duration: 10m}, {kind: rebroadcast, cron: "%[2]d,%[3]d,%[4]d * * * *", duration: 10m}`)
	out := filepath.Join(dir, "public")
	args := []string{"publish", "--config", cfg, "--out", out, "--no-cache"}
	if code, _, stderr := run(t, nil, append(args, "--at", "2026-12-07T12:00:00Z")...); code != ExitOK {
		t.Fatalf("first publish: exit %d: %s", code, stderr)
	}
	before := treeSum(t, out)
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- Run(ctx, append(args, "--at", "2026-12-07T12:15:00Z"), Env{Stdout: io.Discard, Stderr: &stderr,
			Getenv: func(string) string { return "" }, Now: func() time.Time { return fixedNow }})
	}()
	// Into the second's build: its new site is being written beside the
	// old one.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		if left, _ := filepath.Glob(filepath.Join(dir, ".public.new-*")); len(left) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second publish wrote nothing in a minute")
		}
	}
	cancel()
	stopped := time.Now()
	var code int
	select {
	case code = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("publish still running 5 s after the signal")
	}
	if took := time.Since(stopped); code != ExitFailure || took > time.Second || !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("exit %d, %v after the signal: %s", code, took, stderr.String())
	}
	if after := treeSum(t, out); after != before {
		t.Error("the site before the stopped publish changed")
	}
	// A stop during a listing of airings, when nothing is written, may
	// leave the new directory beside the site; the next publish removes
	// it before it writes (and publishes whole).
	if code, _, stderr := run(t, nil, append(args, "--at", "2026-12-07T12:15:00Z")...); code != ExitOK {
		t.Fatalf("the publish after: exit %d: %s", code, stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".public.new-*")); len(left) != 0 {
		t.Errorf("left behind after the next publish: %v", left)
	}
}

// busyStation writes dir/busy.yaml: station (its YAML lines), and n shows
// that may overlap, each with slots, whose %[1]d to %[4]d are the show's
// four quarter hours (i%15, 15+i%15, 30+i%15, 45+i%15), as
// scripts/busy-station.sh spreads them.
func busyStation(t *testing.T, dir, station string, n int, slots string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(station + "shows:\n")
	for i := range n {
		m := i % 15
		fmt.Fprintf(&b, "  - {id: s%d, title: Show %d, allow_overlap: true, slots: [%s]}\n", i, i, fmt.Sprintf(slots, m, 15+m, 30+m, 45+m))
	}
	path := filepath.Join(dir, "busy.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// treeSum is a digest of every file's path and bytes under dir.
func treeSum(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		fmt.Fprintf(h, "%s %d\n", p, len(b))
		h.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestUnlessStopped: a command told to stop returns at once, though what
// it waits on has not ended (a build between two documents).
func TestUnlessStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	defer close(release)
	time.AfterFunc(50*time.Millisecond, cancel)
	err := unlessStopped(ctx, func() error { <-release; return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("unlessStopped = %v, want the stop", err)
	}
	if err := unlessStopped(context.Background(), func() error { return io.EOF }); err != io.EOF {
		t.Errorf("unlessStopped = %v, want f's error", err)
	}
}
