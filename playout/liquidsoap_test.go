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
	if _, err := ls.Status(ctx); err != nil {
		t.Fatal(err)
	}
	until := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	if err := ls.SetLive(ctx, until); err != nil {
		t.Fatal(err)
	}
	err := ls.Play(ctx, Request{Path: "/srv/archive/prn-2026-11-29.mp3", Title: `News "Hour"`, Airing: "prn-2026-11-29-re", Offset: 90500 * time.Millisecond, Until: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	live, playing := fake.State()
	if !live || playing != `annotate:title="News \"Hour\"",onair_airing="prn-2026-11-29-re",liq_cue_in="90.500",liq_cue_out="3600.000":/srv/archive/prn-2026-11-29.mp3` {
		t.Errorf("live %v, playing %q", live, playing)
	}
	st, err := ls.Status(ctx)
	if err != nil || !st.LiveUntil.Equal(until) || st.Playing != "prn-2026-11-29-re" || st.Studio {
		t.Errorf("status %+v, %v", st, err)
	}
	if err := ls.StopQueue(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ls.Command(ctx, "nosuch"); !errors.Is(err, ErrCommand) {
		t.Errorf("a refused command: %v", err)
	}
	want := "onair.status|onair.live " + unixSeconds(until) + "|rebroadcast.flush_and_skip|rebroadcast.push annotate:title=\"News \\\"Hour\\\"\",onair_airing=\"prn-2026-11-29-re\",liq_cue_in=\"90.500\",liq_cue_out=\"3600.000\":/srv/archive/prn-2026-11-29.mp3|onair.status|rebroadcast.flush_and_skip|nosuch"
	if got := strings.Join(fake.Commands(), "|"); got != want {
		t.Errorf("commands\n%s\nwant\n%s", got, want)
	}
	// Down: an error, at once, not a hang.
	fake.Close()
	start := time.Now()
	if err := ls.SetLive(ctx, time.Time{}); err == nil || time.Since(start) > 3*time.Second {
		t.Errorf("a Liquidsoap that is down: %v after %s", err, time.Since(start))
	}
}

// TestClaim: one group holds the air chain at a time; a claim that ran out
// (or a Liquidsoap restarted) is fresh; a release lets the next in at once.
func TestClaim(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	fake := fakels.StartClock(t, func() time.Time { return now })
	ls := &Liquidsoap{Addr: fake.Addr()}
	ctx := context.Background()
	claim := func(group string) Claim {
		t.Helper()
		c, err := ls.Claim(ctx, 5*time.Second, group, "onair serve on host "+group+"\nwith a line break")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := claim("a"); !c.Fresh || c.HeldBy != "" {
		t.Errorf("first claim: %+v", c)
	}
	if c := claim("a"); c.Fresh || c.HeldBy != "" {
		t.Errorf("renewed: %+v", c)
	}
	now = now.Add(2 * time.Second)
	if c := claim("b"); c.HeldBy != "onair serve on host a with a line break" || c.Left != 3*time.Second {
		t.Errorf("another group's claim: %+v", c)
	}
	now = now.Add(4 * time.Second) // a's claim ran out
	if c := claim("b"); !c.Fresh || c.HeldBy != "" {
		t.Errorf("after a's claim ran out: %+v", c)
	}
	if err := ls.Release(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if c := claim("a"); !c.Fresh || c.HeldBy != "" {
		t.Errorf("after b let go: %+v", c)
	}
	fake.Restart()
	if c := claim("a"); !c.Fresh {
		t.Errorf("after a restart: %+v", c)
	}
	if _, err := ls.Claim(ctx, time.Second, "two words", "x"); err == nil {
		t.Error("a group of two words was sent")
	}
}
