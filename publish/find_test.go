package publish

import (
	"testing"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/scheduler"
)

func TestRecordingsFind(t *testing.T) {
	rec := func(show string, date string, n int) archive.Recording {
		d, err := scheduler.ParseDate(date)
		if err != nil {
			t.Fatal(err)
		}
		id := scheduler.EpisodeID(show, d, n)
		return archive.Recording{Episode: id, Date: d, N: n, URL: "u/" + id}
	}
	recs := Recordings{
		"prn": {rec("prn", "2026-11-01", 1), rec("prn", "2026-11-08", 1), rec("prn", "2026-11-08", 2), rec("prn", "2026-11-22", 1)},
		"a-b": {rec("a-b", "2026-11-08", 1)},
	}
	tests := []struct{ episode, want string }{
		{"prn-2026-11-01", "u/prn-2026-11-01"},
		{"prn-2026-11-08", "u/prn-2026-11-08"},
		{"prn-2026-11-08-2", "u/prn-2026-11-08-2"},
		{"prn-2026-11-22", "u/prn-2026-11-22"},
		{"prn-2026-11-08-3", ""},
		{"prn-2026-11-15", ""},
		{"prn-2026-12-01", ""},
		{"a-b-2026-11-08", "u/a-b-2026-11-08"},
		{"jazz-2026-11-08", ""},
		{"", ""},
		{"prn", ""},
	}
	for _, tc := range tests {
		got := ""
		if r := recs.Find(tc.episode); r != nil {
			got = r.URL
		}
		if got != tc.want {
			t.Errorf("Find(%q) = %q, want %q", tc.episode, got, tc.want)
		}
	}
}
