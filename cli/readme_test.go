package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADME keeps the README honest: every example marked
// <!-- golden NAME --> must be exactly the command and standard output that
// the golden file testdata/cli/NAME.golden records (and TestGolden checks).
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)<!-- golden ([a-z0-9-]+) -->\n```\n(.*?)```\n").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 5 {
		t.Fatalf("found %d golden examples in README.md, want at least 5", len(blocks))
	}
	for _, b := range blocks {
		name, shown := b[1], b[2]
		golden, err := os.ReadFile(filepath.Join("testdata", "cli", name+".golden"))
		if err != nil {
			t.Errorf("README shows %s: %v", name, err)
			continue
		}
		// A golden file is "$ command\nexit N\n--- stdout\n...--- stderr\n...".
		g := string(golden)
		cmdLine := g[:strings.IndexByte(g, '\n')+1]
		stdout := g[strings.Index(g, "--- stdout\n")+len("--- stdout\n") : strings.Index(g, "--- stderr\n")]
		if want := cmdLine + stdout; shown != want {
			t.Errorf("README example %q differs from testdata/cli/%s.golden\nREADME:\n%s\ngolden:\n%s", name, name, shown, want)
		}
	}
}
