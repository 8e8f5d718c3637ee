package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/testmedia"
	"github.com/onair-radio/onair/scheduler"
)

func TestPattern(t *testing.T) {
	tests := []struct {
		pattern, name string
		date          string
		n             int
		ok            bool
	}{
		{DefaultPattern, "prn-2026-11-29.mp3", "2026-11-29", 1, true},
		{DefaultPattern, "prn-2026-11-29-2.m4a", "2026-11-29", 2, true},
		{DefaultPattern, "prn-2026-11-29.wav", "", 0, false},
		{DefaultPattern, "jazz-2026-11-29.mp3", "", 0, false},
		{DefaultPattern, "prn-2026-13-01.mp3", "", 0, false},
		{"PRN_{date}_final.{ext}", "PRN_2026-11-29_final.mp3", "2026-11-29", 1, true},
		{"{show}/{date}.mp3", "", "", 0, false},
		{"{date}-{n}.{ext}", "2026-11-29-2.m4a", "2026-11-29", 2, true},
		{"{date}-{n}.{ext}", "2026-11-29.m4a", "", 0, false}, // {n} names second and later episodes only
		{"{show}_{date}.{ext}", "prn_2026-11-29.mp3", "2026-11-29", 1, true},
		{DefaultPattern, "prn-2026-11-29-1.mp3", "", 0, false}, // the first has no number
	}
	for _, tc := range tests {
		p, err := ParsePattern(tc.pattern, "prn")
		if err != nil {
			if tc.ok || !strings.Contains(tc.pattern, "/") {
				t.Errorf("ParsePattern(%q): %v", tc.pattern, err)
			}
			continue
		}
		d, n, ok := p.Match(tc.name)
		if ok != tc.ok || (ok && (d.String() != tc.date || n != tc.n)) {
			t.Errorf("%q.Match(%q) = %s %d %v, want %s %d %v", tc.pattern, tc.name, d, n, ok, tc.date, tc.n, tc.ok)
		}
	}
	for _, bad := range []string{"{show}.mp3", "{date}-{episode}.mp3", "{day}.mp3", "{date.mp3", "a/{date}.mp3"} {
		if _, err := ParsePattern(bad, "prn"); err == nil {
			t.Errorf("ParsePattern(%q) accepted", bad)
		}
	}
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func source(t *testing.T, dir string) Source {
	p, err := ParsePattern(DefaultPattern, "prn")
	if err != nil {
		t.Fatal(err)
	}
	return Source{Show: "prn", Dir: dir, Pattern: p, URL: "http://localhost:8080/media/prn/"}
}

func TestScan(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "prn-2026-11-22.mp3", testmedia.MP3(84, "Tagged title"))
	write(t, dir, "prn-2026-11-29.m4a", testmedia.M4A(3600*time.Second))
	write(t, dir, "prn-2026-11-29-2.mp3", testmedia.MP3(56, ""))
	write(t, dir, "prn-2026-11-15.mp3", []byte("this is not audio, it is a text file"))
	write(t, dir, "prn-2026-11-08.mp3", testmedia.MP3(56, ""))
	write(t, dir, "prn-2026-11-08.yaml", []byte("title: Election special\nnotes: With <guests> & more\nguests:\n  - name: Ada\n"))
	write(t, dir, "prn-2026-11-01.mp3", testmedia.MP3(56, ""))
	write(t, dir, "prn-2026-11-01.yaml", []byte("title: x\ncolour: red\n"))
	write(t, dir, "notes.txt", []byte("ignored: not a recording's name"))
	if err := os.Mkdir(filepath.Join(dir, "prn-2026-10-01.mp3"), 0o755); err != nil {
		t.Fatal(err)
	}

	cache := OpenCache(filepath.Join(t.TempDir(), "probes.json"))
	var calls int
	recs, problems := Scan(context.Background(), source(t, dir), cache, func(done, total int) { calls++ })
	var got []string
	for _, r := range recs {
		got = append(got, r.Episode+" "+r.Type+" "+r.Duration.String())
	}
	want := []string{
		"prn-2026-11-08 audio/mpeg 2.016s",
		"prn-2026-11-22 audio/mpeg 3.024s",
		"prn-2026-11-29 audio/x-m4a 1h0m0s",
		"prn-2026-11-29-2 audio/mpeg 2.016s",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("recordings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if recs[1].Title != "Tagged title" || recs[1].Size != int64(len(testmedia.MP3(84, "Tagged title"))) {
		t.Errorf("tagged recording: title %q size %d", recs[1].Title, recs[1].Size)
	}
	if recs[0].Sidecar == nil || recs[0].Sidecar.Title != "Election special" || recs[0].Sidecar.Guests[0].Name != "Ada" {
		t.Errorf("sidecar = %+v", recs[0].Sidecar)
	}
	if recs[0].URL != "http://localhost:8080/media/prn/prn-2026-11-08.mp3" {
		t.Errorf("url = %s", recs[0].URL)
	}
	if len(problems) != 2 {
		t.Fatalf("problems = %v, want 2", problems)
	}
	if !strings.HasSuffix(problems[0].Path, "prn-2026-11-01.mp3") || !strings.Contains(problems[0].Err.Error(), `sidecar prn-2026-11-01.yaml: line 2: unknown key "colour"`) {
		t.Errorf("problem 0 = %v", problems[0])
	}
	if !strings.HasSuffix(problems[1].Path, "prn-2026-11-15.mp3") || !errors.Is(problems[1].Err, errNotAudio) {
		t.Errorf("problem 1 = %v", problems[1])
	}
	if calls != 6 {
		t.Errorf("progress called %d times, want 6", calls)
	}

	// The cache answers for unchanged files; a changed file is probed again.
	if err := cache.Save(); err != nil {
		t.Fatal(err)
	}
	cache2 := OpenCache(cache.path)
	if cache2.Len() != 5 { // the four published, and the one with a bad sidecar
		t.Fatalf("cache holds %d probes, want 5", cache2.Len())
	}
	// Make the cache lie about one file: if it is consulted, the lie shows.
	key := filepath.Join(dir, "prn-2026-11-22.mp3")
	e := cache2.entries[key]
	e.Probe.Duration = 42 * time.Second
	cache2.entries[key] = e
	recs, _ = Scan(context.Background(), source(t, dir), cache2, nil)
	if recs[1].Duration != 42*time.Second {
		t.Errorf("an unchanged file was probed again (duration %s)", recs[1].Duration)
	}
	// Change the file: size and time differ, so it is probed anew.
	write(t, dir, "prn-2026-11-22.mp3", testmedia.MP3(112, ""))
	future := time.Now().Add(time.Hour)
	os.Chtimes(key, future, future)
	recs, _ = Scan(context.Background(), source(t, dir), cache2, nil)
	if recs[1].Duration != 112*testmedia.FrameDuration {
		t.Errorf("a changed file kept its cached probe (duration %s)", recs[1].Duration)
	}
}

func TestScanMissingDirectory(t *testing.T) {
	recs, problems := Scan(context.Background(), source(t, filepath.Join(t.TempDir(), "nope")), nil, nil)
	if len(recs) != 0 || len(problems) != 1 || !os.IsNotExist(problems[0].Err) {
		t.Errorf("recs %v, problems %v", recs, problems)
	}
}

func TestSidecar(t *testing.T) {
	s, err := ParseSidecar(strings.NewReader("title: T\nexplicit: true\nepisode_type: bonus\ntranscript: https://x/t.vtt\nchapters: https://x/c.json\n"))
	if err != nil || s.Title != "T" || s.Explicit == nil || !*s.Explicit || s.EpisodeType != "bonus" {
		t.Fatalf("%+v %v", s, err)
	}
	for in, want := range map[string]string{
		"episode_type: teaser\n":                    `episode_type "teaser": want full, trailer or bonus`,
		"guests: [{role: guest}]":                   "guests[0]: a guest needs a name",
		"title: [a\n":                               "line 1: did not find expected",
		"notes: " + strings.Repeat("x", maxSidecar): "larger than 256 KiB",
		"titel: T\n":                                `line 1: unknown key "titel" (did you mean "title"?)`,
		"image: javascript:alert(1)\n":              `image "javascript:alert(1)": want an absolute http or https URL`,
		"chapters: /c.json\n":                       `chapters "/c.json": want an absolute http or https URL`,
		"guests: [{name: A, href: 'data:x'}]\n":     `guests[0].href "data:x": want an absolute http or https URL`,
	} {
		if _, err := ParseSidecar(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.30q: err %v, want %q", in, err, want)
		}
	}
}

// FuzzProbe: no file makes the probe panic.
func FuzzProbe(f *testing.F) {
	f.Add(testmedia.MP3(3, "t"))
	f.Add(testmedia.M4A(time.Second))
	f.Add([]byte("ID3\x03\x00\x00\x00\x00\x00\x10"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "x.mp3")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ProbeFile(p)
	})
}

// TestScanReportsNearMisses: a file meant as a recording whose name
// differs from the pattern in case, or names no real date, is reported,
// not passed over in silence.
func TestScanReportsNearMisses(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"prn-2026-11-22.MP3", "PRN-2026-11-23.mp3", "prn-2026-02-30.mp3", "prn-2026-11-24.mp3", "notes.txt"} {
		write(t, dir, name, testmedia.MP3(20, ""))
	}
	write(t, dir, "prn-2026-11-24.yaml", []byte("title: A sidecar is no near miss\n"))
	recs, problems := Scan(context.Background(), source(t, dir), nil, nil)
	if len(recs) != 1 || recs[0].Episode != "prn-2026-11-24" {
		t.Errorf("recordings: %v", recs)
	}
	var got []string
	for _, p := range problems {
		msg, _, _ := strings.Cut(p.Err.Error(), " but ")
		got = append(got, filepath.Base(p.Path)+": "+msg)
	}
	want := []string{
		"PRN-2026-11-23.mp3: the name matches the pattern {episode}.{ext}",
		"prn-2026-02-30.mp3: the name matches the pattern {episode}.{ext}",
		"prn-2026-11-22.MP3: the name matches the pattern {episode}.{ext}",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s", strings.Join(got, "\n"))
	}
}

// TestProbeBounded: a file that is not audio is found out within the first
// megabyte past its tags, however large it is, and reads through a buffer.
func TestProbeBounded(t *testing.T) {
	dir := t.TempDir()
	zeros := filepath.Join(dir, "prn-2026-11-22.mp3")
	if err := os.WriteFile(zeros, make([]byte, 20<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := ProbeFile(zeros); !errors.Is(err, errNotAudio) {
		t.Errorf("20 MB of zeros: %v, want not audio", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("20 MB of zeros took %s to probe", took)
	}
	// Audio after a megabyte of junk is refused too; audio after a large
	// ID3 tag is not.
	late := append(make([]byte, maxJunk+1), testmedia.MP3(20, "")...)
	write(t, dir, "prn-2026-11-23.mp3", late)
	if _, err := ProbeFile(filepath.Join(dir, "prn-2026-11-23.mp3")); !errors.Is(err, errNotAudio) {
		t.Errorf("a frame past a megabyte of junk: %v", err)
	}
	tag := []byte("ID3\x04\x00\x00")
	size := 2 << 20 // a large tag (embedded artwork)
	tag = append(tag, byte(size>>21&0x7f), byte(size>>14&0x7f), byte(size>>7&0x7f), byte(size&0x7f))
	tagged := append(append(tag, make([]byte, size)...), testmedia.MP3(20, "")...)
	write(t, dir, "prn-2026-11-24.mp3", tagged)
	if p, err := ProbeFile(filepath.Join(dir, "prn-2026-11-24.mp3")); err != nil || p.Duration <= 0 {
		t.Errorf("audio after a 2 MB tag: %+v %v", p, err)
	}
}

// TestScanSkipsWhatIsNotAFile: a FIFO named like a recording, or as its
// sidecar, never blocks a scan.
func TestScanSkipsWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "prn-2026-11-22.mp3", testmedia.MP3(20, ""))
	for _, name := range []string{"prn-2026-11-22.yaml", "prn-2026-11-29.mp3"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan []Problem, 1)
	go func() { _, probs := Scan(context.Background(), source(t, dir), nil, nil); done <- probs }()
	select {
	case probs := <-done:
		if len(probs) != 1 || !strings.Contains(probs[0].Error(), "not a regular file") {
			t.Errorf("problems: %v", probs)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the scan hangs on a FIFO")
	}
}

// TestScanStops: a scan asked to stop probes no further file.
func TestScanStops(t *testing.T) {
	dir := t.TempDir()
	for i := 1; i <= 9; i++ {
		write(t, dir, fmt.Sprintf("prn-2026-11-0%d.mp3", i), testmedia.MP3(20, ""))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if recs, _ := Scan(ctx, source(t, dir), nil, nil); len(recs) != 0 {
		t.Errorf("a stopped scan probed %d files", len(recs))
	}
	if recs, _ := Scan(context.Background(), source(t, dir), nil, nil); len(recs) != 9 {
		t.Errorf("%d recordings, want 9", len(recs))
	}
}

// TestPatternName: what Name writes, Match reads back.
func TestPatternName(t *testing.T) {
	d := scheduler.MustDate("2026-11-29")
	for _, tc := range []struct {
		pattern string
		n       int
		want    string
	}{
		{DefaultPattern, 1, "prn-2026-11-29.mp3"},
		{DefaultPattern, 2, "prn-2026-11-29-2.mp3"},
		{"{show}_{date}.{ext}", 1, "prn_2026-11-29.mp3"},
		{"{date}-{n}.{ext}", 3, "2026-11-29-3.mp3"},
	} {
		p, err := ParsePattern(tc.pattern, "prn")
		if err != nil {
			t.Fatal(err)
		}
		name, err := p.Name(d, tc.n, "mp3")
		if err != nil || name != tc.want {
			t.Errorf("%s n=%d: %q %v, want %q", tc.pattern, tc.n, name, err, tc.want)
			continue
		}
		if md, mn, ok := p.Match(name); !ok || md != d || mn != tc.n {
			t.Errorf("%s: Match(%q) = %s %d %v", tc.pattern, name, md, mn, ok)
		}
	}
	p, _ := ParsePattern("{date}-{n}.{ext}", "prn")
	if _, err := p.Name(d, 1, "mp3"); err == nil {
		t.Error("{n} named a first episode")
	}
}

// TestScanRefusesLinksOutside: a recording or a sidecar that is a link to
// a file outside the recordings directory (a secret the service may read)
// is refused, and nothing of that file reaches a message; a link that
// stays inside is read.
func TestScanRefusesLinksOutside(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	secret := write(t, elsewhere, "shadow", []byte("root:$6$secret-hash-marker:19000:0:99999:7:::\nnotes: fine\n"))
	audio := write(t, elsewhere, "other.mp3", testmedia.MP3(20, ""))
	write(t, dir, "prn-2026-11-22.mp3", testmedia.MP3(20, ""))
	write(t, dir, "kept.mp3", testmedia.MP3(20, ""))
	for link, target := range map[string]string{
		"prn-2026-11-22.yaml": secret,                                                   // a sidecar
		"prn-2026-11-29.mp3":  audio,                                                    // a recording
		"prn-2026-11-15.mp3":  filepath.Join(dir, "kept.mp3"),                           // inside: read
		"prn-2026-11-08.mp3":  filepath.Join(dir, "..", filepath.Base(dir), "kept.mp3"), // inside, by way of ..
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	recs, probs := Scan(context.Background(), source(t, dir), nil, nil)
	var got []string
	for _, r := range recs {
		got = append(got, r.File)
	}
	if strings.Join(got, " ") != "prn-2026-11-08.mp3 prn-2026-11-15.mp3" {
		t.Errorf("recordings read: %v", got)
	}
	if len(probs) != 2 {
		t.Fatalf("problems: %v", probs)
	}
	for _, p := range probs {
		if !errors.Is(p.Err, ErrOutside) {
			t.Errorf("%s: %v, want ErrOutside", p.Path, p.Err)
		}
		if strings.Contains(p.Error(), "marker") || strings.Contains(p.Error(), "root") {
			t.Errorf("a message quotes the file behind the link: %v", p)
		}
	}
}

// TestSidecarQuotesLittle: a sidecar's unknown key, or text that is not
// keys at all, is quoted short and escaped, if at all.
func TestSidecarQuotesLittle(t *testing.T) {
	for in, want := range map[string]string{
		strings.Repeat("k", 100) + ": 1\n":  `line 1: unknown key "kkkkkkkkkkkkkkkk" (and 84 bytes more)`,
		"root:$6$secret-hash-marker:1:::\n": `line 1: unknown key "root:$6$secret-h" (and 14 bytes more)`,
		"- a list\n":                        "line 1: want key: value lines",
		"\"a\\x1b[2Jb\": 1\n":               `line 1: unknown key "a\x1b[2Jb"`,
	} {
		_, err := ParseSidecar(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "marker") || strings.ContainsRune(err.Error(), 0x1b) {
			t.Errorf("ParseSidecar(%q): %v, want %s", in, err, want)
		}
	}
}
