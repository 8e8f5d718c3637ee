package playout

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/fakels"
)

func TestLiquidsoapCommands(t *testing.T) {
	fake := fakels.Start(t)
	ls := &Liquidsoap{Addr: fake.Addr()}
	ctx := context.Background()
	if err := ls.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ls.SetLive(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := ls.Play(ctx, "/srv/archive/prn-2026-11-29.mp3", `News "Hour"`, 90500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	live, playing := fake.State()
	if !live || playing != `annotate:title="News \"Hour\"",liq_cue_in="90.500":/srv/archive/prn-2026-11-29.mp3` {
		t.Errorf("live %v, playing %q", live, playing)
	}
	if err := ls.StopQueue(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ls.Command(ctx, "nosuch"); !errors.Is(err, ErrCommand) {
		t.Errorf("a refused command: %v", err)
	}
	want := "uptime|var.set live_on=true|rebroadcast.flush_and_skip|rebroadcast.push annotate:title=\"News \\\"Hour\\\"\",liq_cue_in=\"90.500\":/srv/archive/prn-2026-11-29.mp3|rebroadcast.flush_and_skip|nosuch"
	if got := strings.Join(fake.Commands(), "|"); got != want {
		t.Errorf("commands\n%s\nwant\n%s", got, want)
	}
	// Down: an error, at once, not a hang.
	fake.Close()
	start := time.Now()
	if err := ls.SetLive(ctx, false); err == nil || time.Since(start) > 3*time.Second {
		t.Errorf("a Liquidsoap that is down: %v after %s", err, time.Since(start))
	}
}
