package notify

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/testpg"
)

// exercise runs an outbox through what a service does with it: plan,
// commit, deliver, fail, read the status, and restart from the state.
func exercise(t *testing.T, box *Outbox) {
	ctx := context.Background()
	now := at("2026-11-29 13:00:00")
	eps := []Endpoint{{ID: "podping x", Kind: Podping}, {ID: "webhook y", Kind: Webhook}}
	prev, err := box.LoadState(ctx)
	if err != nil || !prev.At.IsZero() {
		t.Fatalf("a new outbox's state: %+v, %v", prev, err)
	}
	next := State{At: now, Feeds: map[string]string{"prn": "etag1"}, Episodes: map[string][]string{"prn": {"prn-2026-11-22", "prn-2026-11-29"}}}
	started := Event{ID: "airing.started:a", Type: AiringStarted, At: now, Show: "prn", Airing: "a"}
	n, err := box.Commit(ctx, now, []Event{live, started}, eps, prev, next)
	if err != nil || n != 3 { // live to both, started to the webhook
		t.Fatalf("commit: %d, %v", n, err)
	}
	if n, err := box.Commit(ctx, now, []Event{live}, eps, next, next); err != nil || n != 0 {
		t.Fatalf("the same event again: %d, %v", n, err)
	}
	got, err := box.LoadState(ctx)
	if err != nil || !got.At.Equal(now) || got.Feeds["prn"] != "etag1" || !slices.Equal(got.Episodes["prn"], next.Episodes["prn"]) {
		t.Fatalf("state read back: %+v, %v", got, err)
	}
	d, ok, err := box.next(ctx, "webhook y")
	if err != nil || !ok || d.Event.ID != "airing.started:a" {
		t.Fatalf("next: %+v %v %v", d, ok, err)
	}
	if err := box.failed(ctx, d, now, now.Add(time.Second), false, "503"); err != nil {
		t.Fatal(err)
	}
	d, _, _ = box.next(ctx, "webhook y")
	if err := box.done(ctx, d, now); err != nil {
		t.Fatal(err)
	}
	stats, err := box.Stats(ctx, now.Add(time.Minute), nil)
	if err != nil || len(stats) != 2 {
		t.Fatalf("stats: %+v, %v", stats, err)
	}
	if s := stats[1]; s.Endpoint != "webhook y" || s.Pending != 1 || s.Failing != 1 || s.Delivered != 1 || s.LastError != "503" {
		t.Errorf("the webhook's: %+v", s)
	}
	if s := stats[0]; s.Pending != 1 || s.OldestAgeSeconds != 60 {
		t.Errorf("podping's: %+v", s)
	}
}

func TestMain(m *testing.M) { os.Exit(testpg.Run(m)) }

func TestOutboxSQLite(t *testing.T) {
	box, err := OpenFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	exercise(t, box)
}

// TestOutboxPostgres: the same, in the database replicas share.
func TestOutboxPostgres(t *testing.T) {
	box, err := OpenPostgres(context.Background(), testpg.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	exercise(t, box)
}
