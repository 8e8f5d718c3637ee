package output

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/sink"
	"github.com/onair-radio/onair/internal/stopctx"
	"github.com/onair-radio/onair/publish"
)

func site(gen int, files int) *publish.Site {
	s := &publish.Site{Files: make(map[string][]byte)}
	for i := 0; i < files; i++ {
		// Large enough that a write takes a while, and marked with its generation.
		s.Files[fmt.Sprintf("feeds/show-%03d.xml", i)] = []byte(fmt.Sprintf("<gen>%d</gen>%s", gen, strings.Repeat("x", 64<<10)))
	}
	s.Files["schedule.json"] = []byte(fmt.Sprintf(`{"gen": %d}`, gen))
	return s
}

// generations reads which generation each published file holds.
func generations(t *testing.T, dir string) map[int]int {
	t.Helper()
	gens := map[int]int{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == marker {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var g int
		if strings.HasSuffix(p, ".json") {
			_, err = fmt.Sscanf(string(b), `{"gen": %d}`, &g)
		} else {
			_, err = fmt.Sscanf(string(b), "<gen>%d</gen>", &g)
			if len(b) != len(fmt.Sprintf("<gen>%d</gen>", g))+64<<10 {
				err = fmt.Errorf("%s is partial: %d bytes", p, len(b))
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		gens[g]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return gens
}

// writeTo publishes site to dir as a process that opens it for one write.
func writeTo(t *testing.T, dir string, site *publish.Site) error {
	t.Helper()
	d, err := OpenDir(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Write(context.Background(), site)
}

// TestOneWriterAtATime: a second writer of a directory is refused before it
// writes, and told who holds it; once the first lets go, it may write.
func TestOneWriterAtATime(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	first, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Write(context.Background(), site(1, 1)); err != nil {
		t.Fatal(err)
	}
	_, err = OpenDir(dir)
	if want := fmt.Sprintf("another onair is publishing to %s (pid %d, since ", dir, os.Getpid()); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("a second writer: %v, want %q", err, want)
	}
	first.Close()
	if err := writeTo(t, dir, site(2, 1)); err != nil {
		t.Errorf("after the first let go: %v", err)
	}
}

func TestWriteReplacesWhole(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := writeTo(t, dir, site(1, 3)); err != nil {
		t.Fatal(err)
	}
	s2 := site(2, 2)
	s2.Files["feeds/show-000.xml"] = site(1, 1).Files["feeds/show-000.xml"] // unchanged
	before, _ := os.Stat(filepath.Join(dir, "feeds/show-000.xml"))
	if err := writeTo(t, dir, s2); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "feeds/show-002.xml")); !os.IsNotExist(err) {
		t.Error("a file the new site lacks survived the publish")
	}
	after, _ := os.Stat(filepath.Join(dir, "feeds/show-000.xml"))
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Error("an unchanged file was rewritten (its modification time, and a static server's ETag, changed)")
	}
	if got := generations(t, dir); got[2] != 2 || got[1] != 1 {
		t.Errorf("generations = %v", got)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".public.new-*"))
	if len(leftovers) != 0 {
		t.Errorf("left behind: %v", leftovers)
	}
}

// TestWriteStopped: a write stopped part way (a SIGTERM) leaves the site
// before it whole and nothing beside it, and stops before syncing (a
// large site's fsyncs take a while) what it will not publish.
func TestWriteStopped(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := writeTo(t, dir, site(1, 3)); err != nil {
		t.Fatal(err)
	}
	synced := 0
	real := fsyncDir
	fsyncDir = func(dir string) error { synced++; return real(dir) }
	t.Cleanup(func() { fsyncDir = real })
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	err = d.Write(stopctx.After(2), site(2, 3))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Write = %v, want it stopped", err)
	}
	if got := generations(t, dir); got[1] != 4 || len(got) != 1 {
		t.Errorf("generations = %v, want the first site whole", got)
	}
	if synced != 0 {
		t.Errorf("%d directories synced after the stop", synced)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".public.new-*"))
	if len(leftovers) != 0 {
		t.Errorf("left behind: %v", leftovers)
	}
}

// TestWriteSyncsOnlyItsOwn: a publish to /var/www/onair syncs the new
// site's directories and /var/www itself, and opens nothing else under
// /var/www (a sibling tree can be large, or unreadable).
func TestWriteSyncsOnlyItsOwn(t *testing.T) {
	parent := t.TempDir()
	for _, d := range []string{"other-site/a/b", "other-site/c"} {
		os.MkdirAll(filepath.Join(parent, d), 0o755)
	}
	var synced []string
	real := fsyncDir
	fsyncDir = func(dir string) error { synced = append(synced, dir); return real(dir) }
	t.Cleanup(func() { fsyncDir = real })
	dir := filepath.Join(parent, "onair")
	if err := writeTo(t, dir, site(1, 2)); err != nil {
		t.Fatal(err)
	}
	sawParent := false
	for _, s := range synced {
		rel, _ := filepath.Rel(parent, s)
		switch {
		case rel == ".":
			sawParent = true
		case strings.HasPrefix(rel, ".onair.new-"):
		default:
			t.Errorf("synced %s, outside the new site and its parent", s)
		}
	}
	if !sawParent {
		t.Errorf("the parent directory was not synced (the swap is not durable): %v", synced)
	}
}

func TestWriteRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("years of work"), 0o644)
	_, err := OpenDir(dir)
	if err == nil || !strings.Contains(err.Error(), "was not written by onair publish") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "thesis.tex")); string(b) != "years of work" {
		t.Error("the directory was touched")
	}
}

// TestWriteSurvivesKill kills a publisher at random moments, again and
// again: every time, the directory holds one whole generation.
func TestWriteSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	dir := filepath.Join(t.TempDir(), "public")
	if err := writeTo(t, dir, site(0, 40)); err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 12; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPublisherHelper$")
		cmd.Env = append(os.Environ(), "ONAIR_PUBLISH_HELPER="+dir, "ONAIR_PUBLISH_GEN="+strconv.Itoa(round*1000))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rand.IntN(200)) * time.Millisecond) // a random moment, not a wait for a result
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		gens := generations(t, dir)
		if len(gens) != 1 {
			t.Fatalf("round %d: the directory mixes generations %v\n%s", round, gens, out.String())
		}
		for g, n := range gens {
			if n != 41 {
				t.Fatalf("round %d: generation %d has %d files, want 41", round, g, n)
			}
		}
	}
}

// TestPublisherHelper is the publisher TestWriteSurvivesKill kills: it
// publishes generation after generation until it is killed.
func TestPublisherHelper(t *testing.T) {
	dir := os.Getenv("ONAIR_PUBLISH_HELPER")
	if dir == "" {
		t.Skip("run by TestWriteSurvivesKill")
	}
	gen, _ := strconv.Atoi(os.Getenv("ONAIR_PUBLISH_GEN"))
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		if err := d.Write(context.Background(), site(gen+i, 40)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPublishStreamed: documents written as they are rendered replace the
// site whole, as Write's do; one whose bytes did not change is the old
// file, linked (its modification time kept); a build that fails, or is
// stopped part way through a document, leaves the site before it whole.
func TestPublishStreamed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	big := strings.Repeat("<programme/>\n", 100_000) // past one read of sameFile
	publishGen := func(ctx context.Context, gen int, fail error) error {
		return d.Publish(ctx, func(s sink.Sink) error {
			if err := s.Put("feeds/a.xml", []byte(fmt.Sprintf("<gen>%d</gen>", gen))); err != nil {
				return err
			}
			for _, name := range []string{"same.xml", "changed.xml"} {
				err := sink.Write(sink.Stopping(ctx, s), name, func(w io.Writer) error {
					for i := 0; i < 10; i++ {
						if _, err := io.WriteString(w, big); err != nil {
							return err
						}
					}
					if name == "changed.xml" {
						_, err := fmt.Fprintf(w, "%d", gen)
						return err
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
			return fail
		})
	}
	if err := publishGen(context.Background(), 1, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(filepath.Join(dir, "same.xml"))
	changedBefore, _ := os.Stat(filepath.Join(dir, "changed.xml"))
	if err := publishGen(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(filepath.Join(dir, "same.xml"))
	changedAfter, _ := os.Stat(filepath.Join(dir, "changed.xml"))
	if !os.SameFile(before, after) {
		t.Error("an unchanged streamed document was not linked from the old site")
	}
	if os.SameFile(changedBefore, changedAfter) {
		t.Error("a changed streamed document is the old file")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "changed.xml")); len(b) != 10*len(big)+1 || !bytes.HasSuffix(b, []byte("2")) {
		t.Errorf("changed.xml is %d bytes, not the second publish's", len(b))
	}
	failed := errors.New("a render failed")
	if err := publishGen(context.Background(), 3, failed); !errors.Is(err, failed) {
		t.Errorf("a failed build: %v", err)
	}
	if err := publishGen(stopctx.After(3), 4, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a build stopped within a document: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "feeds/a.xml")); string(b) != "<gen>2</gen>" {
		t.Errorf("after a failed and a stopped build the site holds %q, want the second publish's", b)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".public.new-*"))
	if len(leftovers) != 0 {
		t.Errorf("left behind: %v", leftovers)
	}
}
