package suggest

import "testing"

func TestNearest(t *testing.T) {
	for _, tc := range []struct {
		s    string
		of   []string
		want string
	}{
		{"utc", []string{"UTC", "Europe/Berlin"}, "UTC"},       // case first
		{"time", []string{"at", "title", "duration"}, "at"},    // a synonym before edits
		{"timezon", []string{"timezone", "title"}, "timezone"}, // edits
		{"stat", []string{"status"}, "status"},
		{"colour", []string{"title", "at"}, ""}, // nothing near
		{"pnr", []string{"prn"}, "prn"},
	} {
		if got := Nearest(tc.s, tc.of); got != tc.want {
			t.Errorf("Nearest(%q, %v) = %q, want %q", tc.s, tc.of, got, tc.want)
		}
	}
	if got := Excerpt("a\x1b[2Jb"); got != `"a\x1b[2Jb"` {
		t.Errorf("Excerpt escapes: %s", got)
	}
	if got := Excerpt("ééééééééééé"); got != `"éééééééé" (and 6 bytes more)` {
		t.Errorf("Excerpt cuts at a character: %s", got)
	}
}
