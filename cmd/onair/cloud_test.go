package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	// The cloud build's drivers, in this test binary (which runs main):
	// the replicas below publish to a bucket, as they would in the build
	// made with -tags cloud.
	_ "github.com/onair-radio/onair/output/cloud"
)

// TestPublishToBucket: with the drivers, --out takes a gocloud.dev URL;
// the site and its media go there, and a second publish of the same site
// uploads nothing.
func TestPublishToBucket(t *testing.T) {
	dir := t.TempDir()
	publish := func() {
		t.Helper()
		cmd := exec.Command(os.Args[0])
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "ONAIR_MAIN_ARGS=publish -c config.example.yaml --out file://"+dir+" --no-cache --at 2026-11-29T13:30:00-06:00")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("publish: %v\n%s", err, out)
		}
	}
	publish()
	for _, p := range []string{"feeds/prn.xml", "index.html", "xmltv.xml", "media/prn/prn-2026-11-22.mp3", "media/prn/cover.png", "media/jazz/jazz-2026-11-14.mp3"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("the bucket lacks %s: %v", p, err)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "feeds/prn.xml"))
	golden, _ := os.ReadFile("../../testdata/publish/feeds/prn.xml")
	if len(golden) == 0 || string(got) != string(golden) {
		t.Error("feeds/prn.xml differs from the golden feed")
	}
	info, _ := os.Stat(filepath.Join(dir, "feeds/prn.xml"))
	publish()
	if again, _ := os.Stat(filepath.Join(dir, "feeds/prn.xml")); !again.ModTime().Equal(info.ModTime()) {
		t.Error("the same feed was uploaded again")
	}
}
