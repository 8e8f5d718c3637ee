package playout

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/station"
)

// needs says whether the air chain's programs are installed; without one,
// the test skips, unless ONAIR_REQUIRE_AIR is set (as on CI).
func needs(t *testing.T, programs ...string) {
	t.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("ONAIR_REQUIRE_AIR") != "" {
				t.Fatalf("%s is not installed (apt-get install liquidsoap icecast2 ffmpeg)", p)
			}
			t.Skipf("%s is not installed (apt-get install liquidsoap icecast2 ffmpeg)", p)
		}
	}
}

// TestScriptChecks: Liquidsoap itself accepts the script onair writes,
// with every kind of fallback.
func TestScriptChecks(t *testing.T) {
	needs(t, "liquidsoap")
	st, err := teststation.Load("../testdata/config/air.yaml")
	if err != nil {
		t.Fatal(err)
	}
	music := st.Playout.Fallback
	for name, fallback := range map[string]string{"a folder": music, "a file": filepath.Join(music, "interlude.mp3"), "none": ""} {
		po := *st.Playout
		po.Fallback = fallback
		script, err := Script(&station.Station{Name: st.Name, Playout: &po}, "air.yaml")
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "station.liq")
			os.WriteFile(path, script, 0o644)
			out, err := exec.Command("liquidsoap", "--check", path).CombinedOutput()
			if err != nil {
				t.Errorf("liquidsoap --check: %v\n%s\n%s", err, out, script)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{`plain`: `"plain"`, `a "b" \ c`: `"a \"b\" \\ c"`, "line\nbreak\x01": `"line\nbreak"`} {
		if got := quote(in); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
	if strings.Contains(quote("x\x00y"), "\x00") {
		t.Error("a NUL reached the script")
	}
}
