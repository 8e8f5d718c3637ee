package cli

import (
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onair-radio/onair/internal/testmedia"
)

// TestCheckOnline: --online fetches the served site: media that does not
// answer byte ranges, and artwork served from elsewhere that is too small,
// are each a warning line; media that does, is none. A base_url that does
// not answer is one line.
func TestCheckOnline(t *testing.T) {
	dir := t.TempDir()
	for _, show := range []string{"good", "noranges"} {
		os.MkdirAll(filepath.Join(dir, show), 0o755)
		os.WriteFile(filepath.Join(dir, show, show+"-2026-11-02.mp3"), testmedia.MP3(50, ""), 0o644)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/media/good/", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(dir, "good", filepath.Base(r.URL.Path)))
	})
	mux.HandleFunc("/media/noranges/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := os.ReadFile(filepath.Join(dir, "noranges", filepath.Base(r.URL.Path)))
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		w.Write(b) // a Range header is ignored
	})
	mux.HandleFunc("/art/small.png", func(w http.ResponseWriter, r *http.Request) {
		png.Encode(w, image.NewRGBA(image.Rect(0, 0, 300, 300)))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := filepath.Join(dir, "onair.yaml")
	write := func(base string) {
		os.WriteFile(cfg, []byte(fmt.Sprintf(`station:
  name: Online Radio
  timezone: UTC
  base_url: %s
  owner: {name: Online Radio, email: podcasts@example.org}
shows:
  - id: good
    title: Good
    category: News
    image: %s/art/small.png
    recordings: {dir: good}
    slots: [{kind: live, weekly: [MON], at: "10:00", duration: 1h}]
  - id: noranges
    title: No Ranges
    category: News
    recordings: {dir: noranges}
    slots: [{kind: live, weekly: [MON], at: "12:00", duration: 1h}]
`, base, srv.URL)), 0o644)
	}
	write(srv.URL)
	_, stdout, _ := run(t, nil, "check", "-c", cfg, "--at", "2026-12-01", "--days", "7", "--online")
	var lines []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.Contains(l, srv.URL) {
			lines = append(lines, strings.ReplaceAll(l, srv.URL, "<site>"))
		}
	}
	want := []string{
		"<site>/art/small.png: warning: show good: Apple Podcasts and Spotify refuse this artwork: it is 300×300 pixels; want a square of 1400 to 3000",
		"<site>/media/noranges/noranges-2026-11-02.mp3: warning: show noranges: media answers a byte range (Range: bytes=0-1) with 200 OK; want 206 Partial Content: Apple Podcasts requires byte ranges",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("check --online:\n%s\nwant\n%s\n(all of it:\n%s)", strings.Join(lines, "\n"), strings.Join(want, "\n"), stdout)
	}

	// A site that does not answer: one line, and no check of its media.
	write("http://127.0.0.1:1")
	_, stdout, _ = run(t, nil, "check", "-c", cfg, "--at", "2026-12-01", "--days", "7", "--online")
	if n := strings.Count(stdout, "--online: base_url does not answer"); n != 1 || strings.Contains(stdout, "byte range") {
		t.Errorf("an unreachable site:\n%s", stdout)
	}
}

// TestCheckBestOf: check says that a best-of show's feed has no episodes
// of its own.
func TestCheckBestOf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "onair.yaml")
	os.WriteFile(path, []byte("station: {name: T, timezone: UTC}\nshows:\n  - {id: t, title: T, slots: [{kind: live, cron: \"0 13 * * SUN\", duration: 1h}]}\n  - {id: best, title: Best, slots: [{kind: rebroadcast, of: t, cron: \"0 17 * * FRI\", duration: 1h}]}\n"), 0o644)
	_, stdout, _ := run(t, nil, "check", "-c", path, "--at", "2026-12-01", "--days", "7")
	if !strings.Contains(stdout, "shows[best]: warning: show best has no live slot, so its feed has no episodes of its own: its page offers the podcast of t") {
		t.Errorf("check:\n%s", stdout)
	}
}
