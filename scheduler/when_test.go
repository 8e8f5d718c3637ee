package scheduler

import (
	"testing"
	"time"
)

func TestParseWhen(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	for in, want := range map[string]string{
		"2026-11-29T13:00:00-06:00": "2026-11-29T13:00:00-06:00",
		"2026-11-29T13:00:00+01:00": "2026-11-29T06:00:00-06:00",
		"2026-11-29T13:00:00 01:00": "2026-11-29T06:00:00-06:00", // a '+' that came unencoded
		"2026-11-29T13:00:00Z":      "2026-11-29T07:00:00-06:00",
		"2026-11-29 13:00":          "2026-11-29T13:00:00-06:00",
		"2026-11-29T13:00":          "2026-11-29T13:00:00-06:00",
		"2026-11-29":                "2026-11-29T00:00:00-06:00",
		"2027-03-14 02:30":          "2027-03-14T03:30:00-05:00", // in the gap: the offset before it
	} {
		w, err := ParseWhen(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := w.In(chicago).In(chicago).Format(time.RFC3339); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
	for _, bad := range []string{"", "tomorrow", "2026-11-29T13:00:00 0100", "2026-13-01", "2026-11-29T13:00:00  01:00"} {
		if _, err := ParseWhen(bad); err == nil {
			t.Errorf("%q read", bad)
		}
	}
}

// FuzzParseWhen: whatever it is given, ParseWhen does not panic, and an
// instant it reads is what RFC 3339 says, once its '+' is restored.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2026-11-29T13:00:00-06:00", "2026-11-29T13:00:00 01:00", "2026-11-29 13:00", "2026-11-29", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWhen(s)
		if err != nil || w.IsWall() {
			return
		}
		if w.Instant.IsZero() && s != "0001-01-01T00:00:00Z" {
			t.Errorf("%q: a zero instant", s)
		}
		w.In(time.UTC)
	})
}
