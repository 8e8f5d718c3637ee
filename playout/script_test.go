package playout

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/station"
)

// needs says whether the air chain's programs are installed; without one,
// the test skips, unless ONAIR_REQUIRE_AIR is set (as on CI).
func needs(t *testing.T, programs ...string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: this test runs %s", strings.Join(programs, ", "))
	}
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

// hostile are values a station's YAML or environment may hold, each of
// which must reach Liquidsoap as exactly its bytes.
var hostile = []string{
	"plain", "", `#{process.run('touch /tmp/onair-pwned')}`, "#{", "#", "##{{", "a#{b}#{c}", "#\\{1}",
	`quote " and \ backslash`, `\#{1}`, "ends with #", "ends with \\", "line\nbreak\r\ttab",
	"100 % sure %s %d", "non-ASCII: é ü 日本 🎙", "\x01\x1f\x7f", "bad UTF-8: \xff\xfe", "\u2028 and \u0085",
	strings.Repeat("long ", 2000),
}

// TestLiteralLiquidsoap: real Liquidsoap reads every literal Literal
// writes as exactly the value, and runs nothing in it.
func TestLiteralLiquidsoap(t *testing.T) {
	needs(t, "liquidsoap")
	dir := nobodysDir(t)
	var script strings.Builder
	for i, v := range hostile {
		// A "." after each: 2.1's file.write fails on empty data.
		fmt.Fprintf(&script, "file.write(data=%s ^ \".\", %s)\n", Literal(v), Literal(filepath.Join(dir, strconv.Itoa(i))))
	}
	path := filepath.Join(dir, "literals.liq")
	os.WriteFile(path, []byte(script.String()), 0o644)
	// With no output, Liquidsoap ends (with status 1) once the script ran.
	out, _ := liquidsoapCmd(path).CombinedOutput()
	if !strings.Contains(string(out), "No output defined") || strings.Contains(string(out), "Error") {
		t.Fatalf("liquidsoap:\n%s", out)
	}
	for i, v := range hostile {
		got, err := os.ReadFile(filepath.Join(dir, strconv.Itoa(i)))
		got = bytes.TrimSuffix(got, []byte("."))
		if err != nil {
			t.Errorf("%q: %v", v, err)
			continue
		}
		if string(got) != v {
			t.Errorf("Literal(%q) = %s: Liquidsoap read %q", v, Literal(v), got)
		}
	}
	if _, err := os.Stat("/tmp/onair-pwned"); err == nil {
		os.Remove("/tmp/onair-pwned")
		t.Error("a literal ran a command")
	}
}

// nobodysDir is a directory that Liquidsoap, run as nobody, can read and
// write (a test's TempDir is in a directory only its owner reads).
func nobodysDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "onair-liq-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777)
	return dir
}

// liquidsoapCmd runs liquidsoap on a script, as nobody when the test runs
// as root (Liquidsoap refuses root unless the script allows it).
func liquidsoapCmd(args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "nobody", "--", "liquidsoap"}, args...)...)
	}
	return exec.Command("liquidsoap", args...)
}

// FuzzLiteral: whatever the value, no literal in Literal's expression
// holds "#{", and reading the expression back as Liquidsoap does gives
// the value.
func FuzzLiteral(f *testing.F) {
	for _, v := range hostile {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		e := Literal(v)
		got, ok := readExpr(e)
		if !ok || got != v {
			t.Fatalf("Literal(%q) = %s, read back as %q (%v)", v, e, got, ok)
		}
	})
}

// readExpr reads an expression Literal writes, as Liquidsoap's lexer does:
// literals joined by ^, inside parentheses when more than one; it fails
// on a literal that holds "#{" (Liquidsoap would interpolate it).
func readExpr(e string) (string, bool) {
	if strings.HasPrefix(e, "(") {
		if !strings.HasSuffix(e, ")") {
			return "", false
		}
		e = e[1 : len(e)-1]
	}
	var out strings.Builder
	for first := true; ; first = false {
		if !first {
			if !strings.HasPrefix(e, " ^ ") {
				return "", false
			}
			e = e[3:]
		}
		if !strings.HasPrefix(e, `"`) {
			return "", false
		}
		var lit strings.Builder
		i := 1
		for ; i < len(e) && e[i] != '"'; i++ {
			c := e[i]
			if c < 0x20 || c == 0x7f {
				return "", false // raw control bytes: written as escapes
			}
			if c != '\\' {
				lit.WriteByte(c)
				continue
			}
			if i+1 >= len(e) {
				return "", false
			}
			switch n := e[i+1]; {
			case n == '"' || n == '\\':
				lit.WriteByte(n)
				i++
			case n >= '0' && n <= '7' && i+3 < len(e):
				b, err := strconv.ParseUint(e[i+1:i+4], 8, 8)
				if err != nil {
					return "", false
				}
				lit.WriteByte(byte(b))
				i += 3
			default:
				return "", false
			}
		}
		if i >= len(e) {
			return "", false
		}
		if strings.Contains(lit.String(), "#{") {
			return "", false
		}
		out.WriteString(lit.String())
		e = e[i+1:]
		if e == "" {
			return out.String(), true
		}
	}
}
