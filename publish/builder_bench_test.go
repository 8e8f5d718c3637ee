package publish

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/teststation"
)

// BenchmarkBuilderRepublish is a publish at an air time of a large station
// whose feeds, calendars and show pages mostly did not change: what a
// service does at every airing's start and end.
func BenchmarkBuilderRepublish(b *testing.B) {
	st, recs := teststation.Scale(b, 300)
	at := time.Date(2026, 11, 29, 18, 59, 58, 0, time.UTC)
	var bu Builder
	if _, err := bu.Build(context.Background(), st, recs, at); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := bu.Build(context.Background(), st, recs, at.Add(2*time.Second)); err != nil {
			b.Fatal(err)
		}
	}
}

// discard is a sink that keeps nothing: a build's cost without its output's.
type discard struct{}

func (discard) Put(string, []byte) error { return nil }
func (discard) Create(string) (io.WriteCloser, error) {
	return nopCloser{io.Discard}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// BenchmarkBusyStation is scripts/busy-station.sh 200 (200 shows each on
// the air every 15 minutes: 403,200 airings in the calendars' window):
// as onair publish builds it (BuildTo), and as the service does, its first
// build and then, with the same Builder, one at each air time (with the
// NextChange that names it). Each takes seconds:
//
//	go test ./publish -run '^$' -bench BusyStation -benchtime 3x
func BenchmarkBusyStation(b *testing.B) {
	out, err := exec.Command("scripts/busy-station.sh", "200").Output()
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "busy.yaml")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		b.Fatal(err)
	}
	st, err := teststation.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 12, 0, 30, 0, time.UTC)
	b.Run("publish", func(b *testing.B) { // BuildTo, as onair publish --out DIR does (less the disk)
		for b.Loop() {
			if _, err := BuildTo(context.Background(), discard{}, st, nil, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			var bu Builder
			if _, err := bu.Build(context.Background(), st, nil, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("boundary", func(b *testing.B) {
		var bu Builder
		if _, err := bu.Build(context.Background(), st, nil, at); err != nil {
			b.Fatal(err)
		}
		next := at
		for b.Loop() {
			next = NextChange(st, next)
			if _, err := bu.Build(context.Background(), st, nil, next); err != nil {
				b.Fatal(err)
			}
		}
	})
}
