package feeds

import (
	"bytes"
	"testing"
	"time"

	"github.com/eduncan911/podcast"
	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/scheduler"
)

// benchEpisodes is n weekly episodes, oldest first.
func benchEpisodes(n int) []Episode {
	first := scheduler.MustDate("2000-01-02")
	out := make([]Episode, n)
	for i := range out {
		d := first.AddDays(7 * i)
		id := scheduler.EpisodeID("prn", d, 1)
		out[i].Recording = archive.Recording{Episode: id, Date: d, URL: "https://radio.example.org/media/prn/" + id + ".mp3",
			Size: 57_600_000, Probe: archive.Probe{Type: "audio/mpeg", Duration: time.Hour},
			Sidecar: &archive.Sidecar{Title: "Episode " + id, Notes: "Show notes for " + id + ": the week's news, listener calls and a guest."}}
	}
	return out
}

// BenchmarkFeed renders a feed of 10,000 episodes with onair's Build, and
// beside it eduncan911/podcast's own AddItem and Encode of the same items
// (title, description, link, date, enclosure, duration): onair's goal is at
// most 1.3 times the library's cost.
func BenchmarkFeed(b *testing.B) {
	_, p := testShow(b)
	eps := benchEpisodes(10000)
	at := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	b.Run("onair/episodes=10000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Build(p, eps, nil, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("eduncan911/episodes=10000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pub := at
			c := podcast.New(p.Show.Title, p.Link, p.Show.Description, &pub, &pub)
			for i := len(eps) - 1; i >= 0; i-- {
				e := &eps[i]
				d := e.Date
				date := time.Date(d.Year, d.Month, d.Day, 13, 0, 0, 0, p.Show.Location)
				it := podcast.Item{Title: e.Sidecar.Title, Description: e.Sidecar.Notes, Link: p.Link + "#" + e.Episode, PubDate: &date, GUID: e.Episode}
				it.AddEnclosure(e.URL, podcast.MP3, e.Size)
				it.AddDuration(int64(e.Duration / time.Second))
				if _, err := c.AddItem(it); err != nil {
					b.Fatal(err)
				}
			}
			var buf bytes.Buffer // as onair must: the feed is kept to be served
			if err := c.Encode(&buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
