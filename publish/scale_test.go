package publish

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/config"
	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/scheduler"
)

// scaleStation is a station of n weekly shows, each with 520 recorded
// episodes (ten years), as publish sees them after a (cached) scan.
func scaleStation(t testing.TB, n int) (*config.Config, Recordings) {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Station: &scheduler.Station{Name: "Scale", Location: loc, BaseURL: "https://radio.example.org"}, ScheduleDays: 14}
	recs := make(Recordings)
	first := scheduler.MustDate("2016-12-04") // a Sunday
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("show-%04d", i)
		live, _, _ := scheduler.ParseCron(fmt.Sprintf("%d %d * * SUN", i%60, i%24))
		rebro, _, _ := scheduler.ParseCron(fmt.Sprintf("%d %d * * WED", i%60, i%24))
		sh := &scheduler.Show{ID: id, Title: "Show " + strconv.Itoa(i), Description: "A weekly show of the scale test.", Location: loc, AllowOverlap: true,
			Slots: []scheduler.Slot{{Kind: scheduler.Live, Rule: live, Duration: time.Hour}, {Kind: scheduler.Rebroadcast, Rule: rebro, Duration: time.Hour}}}
		cfg.Station.Shows = append(cfg.Station.Shows, sh)
		base := cfg.Station.BaseURL
		cfg.Shows = append(cfg.Shows, &config.ShowSettings{Podcast: feeds.Podcast{Show: sh, FeedURL: base + "/feeds/" + id + ".xml", Link: base + "/shows/" + id + "/", Language: "en"}})
		rs := make([]archive.Recording, 520)
		for j := range rs {
			d := first.AddDays(7 * j)
			ep := scheduler.EpisodeID(id, d, 1)
			rs[j] = archive.Recording{Episode: ep, Date: d, URL: base + "/media/" + id + "/" + ep + ".mp3", Size: 57_600_000,
				Probe: archive.Probe{Type: "audio/mpeg", Duration: time.Hour}}
		}
		recs[id] = rs
	}
	return cfg, recs
}

// TestScale publishes a large station once and reports its time and the
// process's peak memory. It runs only when asked, one size per process (so
// that the peak is that size's): ONAIR_SCALE_SHOWS=1000 go test ./publish
// -run TestScale -v (scripts/bench.sh runs 100, 300 and 1000).
func TestScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ONAIR_SCALE_SHOWS"))
	if n == 0 {
		t.Skip("set ONAIR_SCALE_SHOWS to run")
	}
	cfg, recs := scaleStation(t, n)
	at := time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC)
	start := time.Now()
	site, err := Build(cfg, scheduler.New(cfg.Station), recs, at)
	if err != nil {
		t.Fatal(err)
	}
	built := time.Since(start)
	if err := Write(t.TempDir()+"/public", site); err != nil {
		t.Fatal(err)
	}
	total := time.Since(start)
	size := 0
	for _, b := range site.Files {
		size += len(b)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	t.Logf("shows=%d episodes=%d files=%d bytes=%d build=%s write=%s total=%s peak_rss=%dMiB",
		n, 520*n, len(site.Files), size, built.Round(time.Millisecond), (total - built).Round(time.Millisecond), total.Round(time.Millisecond), ru.Maxrss/1024)
}
