// Package teststation loads station configurations for the tests of the
// packages below the command line, which take a station.Station and do not
// import config themselves. The process's environment is not read.
package teststation

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/config"
	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// Load reads and validates the configuration at path.
func Load(path string) (*station.Station, error) {
	cfg, err := config.Load(path, config.Options{})
	if err != nil {
		return nil, err
	}
	return cfg.Station, nil
}

// Scale is a station of n weekly shows, each with 520 recorded
// episodes (ten years), as publish sees them after a (cached) scan.
func Scale(t testing.TB, n int) (*station.Station, map[string][]archive.Recording) {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	st := &station.Station{Name: "Scale", Location: loc, BaseURL: "https://radio.example.org", Language: "en", ScheduleDays: 14}
	recs := make(map[string][]archive.Recording)
	first := scheduler.MustDate("2016-12-04") // a Sunday
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("show-%04d", i)
		live, _, _ := scheduler.ParseCron(fmt.Sprintf("%d %d * * SUN", i%60, i%24))
		rebro, _, _ := scheduler.ParseCron(fmt.Sprintf("%d %d * * WED", i%60, i%24))
		sh := &scheduler.Show{ID: id, Title: "Show " + strconv.Itoa(i), Description: "A weekly show of the scale test.", Location: loc, AllowOverlap: true,
			Slots: []scheduler.Slot{{Kind: scheduler.Live, Rule: live, Duration: time.Hour}, {Kind: scheduler.Rebroadcast, Rule: rebro, Duration: time.Hour}}}
		base := st.BaseURL
		st.Shows = append(st.Shows, &station.Show{Show: sh, Podcast: feeds.Podcast{Show: sh, FeedURL: base + "/feeds/" + id + ".xml", Link: base + "/shows/" + id + "/", Language: "en"}})
		rs := make([]archive.Recording, 520)
		for j := range rs {
			d := first.AddDays(7 * j)
			ep := scheduler.EpisodeID(id, d, 1)
			rs[j] = archive.Recording{Episode: ep, Date: d, URL: base + "/media/" + id + "/" + ep + ".mp3", Size: 57_600_000,
				Probe: archive.Probe{Type: "audio/mpeg", Duration: time.Hour}}
		}
		recs[id] = rs
	}
	return station.New(st), recs
}

// Loader is how a service under test reads the configuration at path:
// config.Parse, without the process's environment.
func Loader(path string) func([]byte) (*station.Station, error) {
	return func(data []byte) (*station.Station, error) {
		cfg, err := config.Parse(path, data, config.Options{})
		if err != nil {
			return nil, err
		}
		return cfg.Station, nil
	}
}
