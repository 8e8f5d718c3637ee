package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/testmedia"
	"github.com/onair-radio/onair/internal/testpg"
	"github.com/onair-radio/onair/internal/teststation"
	"github.com/onair-radio/onair/publish"
)

func TestMain(m *testing.M) {
	if err := os.Chdir(".."); err != nil {
		panic(err)
	}
	os.Exit(testpg.Run(m))
}

var liveAt = time.Date(2026, 11, 29, 19, 30, 0, 0, time.UTC)

func exampleHandler(t *testing.T) *Handler { return handlerFor(t, "config.example.yaml") }

// handlerFor serves the station configured at path, its recordings
// scanned, at liveAt.
func handlerFor(t *testing.T, path string) *Handler {
	t.Helper()
	st, err := teststation.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := publish.Scan(context.Background(), st, nil, nil)
	site, err := publish.Build(context.Background(), st, recs, liveAt)
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandler(NewSnapshot(st, site, nil))
	h.Now = func() time.Time { return liveAt }
	return h
}

func get(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestDocuments(t *testing.T) {
	h := exampleHandler(t)
	golden := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "publish", p))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct{ path, file, ctype string }{
		{"/feeds/prn.xml", "feeds/prn.xml", "application/rss+xml; charset=utf-8"},
		{"/schedule.json", "schedule.json", "application/json"},
		{"/calendar.ics", "calendar.ics", "text/calendar; charset=utf-8"},
		{"/calendar/jazz.ics", "calendar/jazz.ics", "text/calendar; charset=utf-8"},
	}
	for _, tc := range tests {
		w := get(h, "GET", tc.path)
		if w.Code != 200 || w.Header().Get("Content-Type") != tc.ctype || !bytes.Equal(w.Body.Bytes(), golden(tc.file)) {
			t.Errorf("GET %s: %d %q, body equal to the published file: %v", tc.path, w.Code, w.Header().Get("Content-Type"), bytes.Equal(w.Body.Bytes(), golden(tc.file)))
		}
		if w.Header().Get("ETag") == "" || w.Header().Get("Last-Modified") == "" || w.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("GET %s: headers %v", tc.path, w.Header())
		}
		head := get(h, "HEAD", tc.path)
		if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != w.Header().Get("Content-Length") {
			t.Errorf("HEAD %s: %d, %d bytes, length %q", tc.path, head.Code, head.Body.Len(), head.Header().Get("Content-Length"))
		}
	}
}

func TestConditionalAndGzip(t *testing.T) {
	h := exampleHandler(t)
	plain := get(h, "GET", "/feeds/prn.xml")
	etag, mod := plain.Header().Get("ETag"), plain.Header().Get("Last-Modified")
	if w := get(h, "GET", "/feeds/prn.xml", "If-None-Match", etag); w.Code != 304 || w.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d", w.Code)
	}
	if w := get(h, "GET", "/feeds/prn.xml", "If-Modified-Since", mod); w.Code != 304 {
		t.Errorf("If-Modified-Since: %d", w.Code)
	}
	if w := get(h, "GET", "/feeds/prn.xml", "If-None-Match", `"other"`); w.Code != 200 {
		t.Errorf("a stale ETag: %d", w.Code)
	}
	gz := get(h, "GET", "/feeds/prn.xml", "Accept-Encoding", "br, gzip;q=0.8")
	if gz.Code != 200 || gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("ETag") == etag {
		t.Fatalf("gzip: %d %v", gz.Code, gz.Header())
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); !bytes.Equal(b, plain.Body.Bytes()) {
		t.Error("the gzipped body is not the document")
	}
	if w := get(h, "GET", "/feeds/prn.xml", "Accept-Encoding", "gzip", "If-None-Match", gz.Header().Get("ETag")); w.Code != 304 {
		t.Errorf("gzip If-None-Match: %d", w.Code)
	}
	if w := get(h, "GET", "/feeds/prn.xml", "Accept-Encoding", "gzip;q=0"); w.Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 got gzip")
	}
	if w := get(h, "GET", "/feeds/prn.xml", "Range", "bytes=0-99"); w.Code != 206 || w.Body.Len() != 100 {
		t.Errorf("range: %d, %d bytes", w.Code, w.Body.Len())
	}
}

// copyArchive serves a copy of a show's archive directory, for a test to
// add to (the example's own is read by other packages' tests at the same
// time), and returns it.
func copyArchive(t *testing.T, h *Handler, show string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), show)
	if err := os.CopyFS(dir, os.DirFS(h.Snapshot().media[show])); err != nil {
		t.Fatal(err)
	}
	h.Snapshot().media[show] = dir
	return dir
}

func TestMedia(t *testing.T) {
	h := exampleHandler(t)
	file, _ := os.ReadFile("testdata/archive/prn/prn-2026-11-22.mp3")
	w := get(h, "GET", "/media/prn/prn-2026-11-22.mp3")
	if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), file) || w.Header().Get("Content-Type") != "audio/mpeg" || w.Header().Get("Accept-Ranges") != "bytes" {
		t.Fatalf("GET media: %d %v", w.Code, w.Header())
	}
	if w := get(h, "HEAD", "/media/prn/prn-2026-11-22.mp3"); w.Code != 200 || w.Header().Get("Content-Length") != "16128" || w.Body.Len() != 0 {
		t.Errorf("HEAD media: %d %v", w.Code, w.Header())
	}
	r := get(h, "GET", "/media/prn/prn-2026-11-22.mp3", "Range", "bytes=100-199")
	if r.Code != 206 || !bytes.Equal(r.Body.Bytes(), file[100:200]) || r.Header().Get("Content-Range") != "bytes 100-199/16128" {
		t.Errorf("range: %d %v", r.Code, r.Header())
	}
	if w := get(h, "GET", "/media/prn/cover.png"); w.Code != 200 || w.Header().Get("Content-Type") != "image/png" {
		t.Errorf("cover: %d", w.Code)
	}
}

// TestMediaNotRegular: a FIFO (or any file that is not regular) in an
// archive answers 404 at once, without being opened; so does a link to one.
func TestMediaNotRegular(t *testing.T) {
	h := exampleHandler(t)
	dir := copyArchive(t, h, "prn")
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.mp3"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink("fifo.mp3", filepath.Join(dir, "link-to-fifo.mp3"))
	for _, p := range []string{"/media/prn/fifo.mp3", "/media/prn/link-to-fifo.mp3"} {
		done := make(chan int, 1)
		go func() { done <- get(h, "GET", p).Code }()
		select {
		case code := <-done:
			if code != 404 {
				t.Errorf("%s: %d, want 404", p, code)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the request hangs (the FIFO was opened)", p)
		}
	}
}

// TestMediaRanges: ranges are served, within reason, of media and of
// documents alike.
func TestMediaRanges(t *testing.T) {
	h := exampleHandler(t)
	many := "bytes=" + strings.TrimSuffix(strings.Repeat("0-0,", 17), ",")
	thousand := "bytes=" + strings.TrimSuffix(strings.Repeat("0-0,", 1000), ",")
	if w := get(h, "GET", "/feeds/prn.xml", "Range", thousand); w.Code != 416 || w.Body.Len() > 1000 {
		t.Errorf("a feed, 1000 ranges: %d, %d bytes", w.Code, w.Body.Len())
	}
	if w := get(h, "GET", "/feeds/prn.xml", "Range", "bytes=0-9"); w.Code != 206 || w.Body.Len() != 10 {
		t.Errorf("a feed, one range: %d, %d bytes", w.Code, w.Body.Len())
	}
	for _, tc := range []struct {
		rng  string
		code int
	}{
		{"bytes=0-9", 206},
		{"bytes=0-0,10-10", 206},
		{"bytes=" + strings.TrimSuffix(strings.Repeat("0-0,", 16), ","), 206},
		{many, 416},
		{"bytes=-0", 416},
		{"bytes=-10", 206},
		{"Bytes=0-9", 206}, // the unit is case-insensitive
		{"items=0-9", 200}, // another unit: ignored (RFC 9110 §14.2)
		{"pages", 200},     // no unit at all
	} {
		w := get(h, "GET", "/media/prn/prn-2026-11-22.mp3", "Range", tc.rng)
		if w.Code != tc.code {
			t.Errorf("Range %s: %d, want %d", tc.rng, w.Code, tc.code)
		}
		if tc.code == 416 && w.Header().Get("Content-Range") != "bytes */16128" {
			t.Errorf("Range %s: Content-Range %q", tc.rng, w.Header().Get("Content-Range"))
		}
	}
}

// TestNothingOutsideTheArchive: every traversal attempt is a plain 404.
func TestNothingOutsideTheArchive(t *testing.T) {
	h := exampleHandler(t)
	// A link inside the archive that leads out of it.
	dir := copyArchive(t, h, "prn")
	cfg, _ := filepath.Abs("config.example.yaml")
	if err := os.Symlink(cfg, filepath.Join(dir, "escape.mp3")); err != nil {
		t.Fatal(err)
	}
	os.Symlink("../outside.mp3", filepath.Join(dir, "up.mp3"))
	os.WriteFile(filepath.Join(dir, "..", "outside.mp3"), []byte("outside"), 0o644)
	for _, p := range []string{
		"/media/prn/../../onair.yaml",
		"/media/prn/../../../config.example.yaml",
		"/media/prn/%2e%2e/%2e%2e/config.example.yaml",
		"/media/prn/%2E%2E%2Fjazz%2Fjazz-2026-11-14.mp3",
		"/media/prn/..%2f..%2fconfig.example.yaml",
		"/media/prn/prn-2026-11-22.yaml", // a sidecar: not media
		"/media/prn/escape.mp3",
		"/media/prn/up.mp3",
		"/media/prn/.hidden.mp3",
		"/media/nosuchshow/prn-2026-11-22.mp3",
		"/media/prn//prn-2026-11-22.mp3",
		"/media/prn/%5c..%5cconfig.example.yaml",
		"//etc/passwd",
		"/feeds/../config.example.yaml",
		"/feeds/nope.xml",
		"/config.example.yaml",
		"/shows/",
		"/shows/nope/",
		"/shows/prn/../../config.example.yaml",
		"/assets/",
		"/assets/../config.example.yaml",
	} {
		w := get(h, "GET", p)
		if w.Code != 404 {
			t.Errorf("GET %s: %d, want 404", p, w.Code)
		}
		if strings.Contains(w.Body.String(), "station:") {
			t.Errorf("GET %s leaked the configuration", p)
		}
	}
	if w := get(h, "POST", "/feeds/prn.xml"); w.Code != 405 {
		t.Errorf("POST: %d", w.Code)
	}
}

func TestScheduleQuery(t *testing.T) {
	h := exampleHandler(t)
	w := get(h, "GET", "/schedule.json?show=prn&count=2")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"id": "prn-2026-12-01T1000"`) || strings.Contains(w.Body.String(), "jazz") {
		t.Errorf("?show=prn&count=2: %d\n%s", w.Code, w.Body)
	}
	w = get(h, "GET", "/schedule.json?from=2026-12-27T00:00:00-06:00&to=2027-01-02T00:00:00-06:00")
	if w.Code != 200 || strings.Count(w.Body.String(), `"id"`) != 3 {
		t.Errorf("from/to: %d\n%s", w.Code, w.Body)
	}
	// A rebroadcast names the recording it plays; one of an episode not
	// recorded names none.
	w = get(h, "GET", "/schedule.json?show=prn&count=3&from=2026-11-23T00:00:00-06:00")
	if body := w.Body.String(); strings.Count(body, `"media": "http://localhost:8080/media/prn/prn-2026-11-22.mp3"`) != 2 || strings.Count(body, `"media": null`) != 1 {
		t.Errorf("media of rebroadcasts:\n%s", body)
	}
	for _, bad := range []string{"?show=nope", "?from=tomorrow", "?count=0", "?count=x", "?to=2020-01-01T00:00:00Z"} {
		if w := get(h, "GET", "/schedule.json"+bad); w.Code < 400 {
			t.Errorf("%s: %d", bad, w.Code)
		}
	}
}

// TestScheduleForOtherSites: schedule.json, published or computed, is
// readable from any site's script, computed answers have the published
// document's shape, and a refusal is JSON.
func TestScheduleForOtherSites(t *testing.T) {
	h := exampleHandler(t)
	for _, target := range []string{"/schedule.json", "/schedule.json?count=2", "/schedule.json?show=nope", "/feeds/prn.xml"} {
		if w := get(h, "GET", target); w.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: no Access-Control-Allow-Origin: *", target)
		}
	}
	decode := func(w *httptest.ResponseRecorder) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil || w.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("%d %s: not JSON: %v\n%s", w.Code, w.Header().Get("Content-Type"), err, w.Body)
		}
		return m
	}
	published := decode(get(h, "GET", "/schedule.json"))
	computed := decode(get(h, "GET", "/schedule.json?from=2026-11-29T13:30:00-06:00"))
	for _, k := range []string{"station", "at", "from", "to", "days", "airings"} {
		if _, ok := published[k]; !ok {
			t.Errorf("the published schedule.json lacks %q", k)
		}
		if _, ok := computed[k]; !ok {
			t.Errorf("a computed schedule.json lacks %q", k)
		}
	}
	if fmt.Sprint(published["airings"]) != fmt.Sprint(computed["airings"]) || published["to"] != computed["to"] {
		t.Errorf("a computed answer for the published window differs from the published one")
	}
	w := get(h, "GET", "/schedule.json?show=prn&count=1&tz=Europe/Berlin&from=2026-11-29T00:00:00-06:00")
	if m := decode(w); !strings.Contains(w.Body.String(), `"start": "2026-11-29T20:00:00+01:00"`) || m["at"] != "2026-11-29T07:00:00+01:00" {
		t.Errorf("?tz=Europe/Berlin:\n%s", w.Body)
	}
	// The same from, written as people and forms do: a '+' left
	// unencoded (a space once decoded), a date, a date and time in tz.
	for _, from := range []string{"2026-11-29T07:00:00+01:00", "2026-11-29T07:00:00%2B01:00", "2026-11-29T06:00:00Z", "2026-11-29%2007:00", "2026-11-29T07:00"} {
		w := get(h, "GET", "/schedule.json?show=prn&count=1&tz=Europe/Berlin&from="+from)
		if m := decode(w); m["at"] != "2026-11-29T07:00:00+01:00" {
			t.Errorf("from=%s: at %v (%d %v)", from, m["at"], w.Code, m["error"])
		}
	}
	if m := decode(get(h, "GET", "/schedule.json?show=prn&count=1&from=2026-11-29")); m["at"] != "2026-11-29T00:00:00-06:00" {
		t.Errorf("from=2026-11-29 (a date, in the station's zone): at %v", m["at"])
	}
	for _, tc := range []struct{ query, code, says string }{
		{"?show=nope", "404", `no show \"nope\"`},
		{"?tz=Mars/Olympus", "400", "tz: want an IANA time zone"},
		{"?from=tomorrow", "400", "from: want an RFC 3339 time"},
		{"?count=1001", "400", "count: want 1 to 1000"},
	} {
		w := get(h, "GET", "/schedule.json"+tc.query)
		if m := decode(w); fmt.Sprint(w.Code) != tc.code || !strings.Contains(fmt.Sprint(m["error"]), strings.ReplaceAll(tc.says, `\"`, `"`)) {
			t.Errorf("%s: %d %v", tc.query, w.Code, m)
		}
	}
}

// TestScheduleQueryBounds: a query costs at most about a thousand
// airings, however large the window; a larger answer is refused with a hint
// to page; an answer that names its from is computed once per publish.
func TestScheduleQueryBounds(t *testing.T) {
	h := handlerFor(t, "testdata/config/around-the-clock.yaml")
	year := "/schedule.json?from=2026-11-29T00:00:00Z&to=2027-11-29T00:00:00Z"
	start := time.Now()
	w := get(h, "GET", year)
	if took := time.Since(start); w.Code != 400 || !strings.Contains(w.Body.String(), "count=1000") || took > time.Second {
		t.Errorf("a year of a busy station: %d in %s\n%s", w.Code, took, w.Body)
	}
	page := "/schedule.json?from=2026-11-29T00:00:00Z&count=1000"
	w = get(h, "GET", page)
	if w.Code != 200 || strings.Count(w.Body.String(), `"id"`) != 1000 {
		t.Fatalf("a page of 1000: %d, %d airings", w.Code, strings.Count(w.Body.String(), `"id"`))
	}
	d, ok := h.Snapshot().queries.Load("from=2026-11-29T00:00:00Z&count=1000")
	if !ok {
		t.Fatal("the answer was not kept")
	}
	if w2 := get(h, "GET", page); w2.Body.String() != w.Body.String() {
		t.Error("the kept answer differs")
	}
	if d2, _ := h.Snapshot().queries.Load("from=2026-11-29T00:00:00Z&count=1000"); d2 != d {
		t.Error("the answer was computed again")
	}
	if w := get(h, "GET", page, "If-None-Match", w.Header().Get("ETag")); w.Code != 304 {
		t.Errorf("revalidation: %d", w.Code)
	}
	if w := get(h, "GET", page, "Accept-Encoding", "gzip"); w.Header().Get("Content-Encoding") != "gzip" || w.Body.Len() == 0 || w.Body.Len() > 50_000 {
		t.Errorf("gzip: %q, %d bytes", w.Header().Get("Content-Encoding"), w.Body.Len())
	}
}

func TestSwapKeepsUnchangedDocuments(t *testing.T) {
	h := exampleHandler(t)
	snap := h.Snapshot()
	site2, _ := publish.Build(context.Background(), snap.Station, nil, liveAt.Add(time.Hour)) // without recordings: feeds change
	next := NewSnapshot(snap.Station, &publish.Site{At: site2.At, Files: map[string][]byte{
		"feeds/prn.xml": site2.Files["feeds/prn.xml"], "calendar/prn.ics": snap.Site.Files["calendar/prn.ics"],
	}}, snap)
	if next.docs["calendar/prn.ics"] != snap.docs["calendar/prn.ics"] {
		t.Error("an unchanged document was prepared again")
	}
	if next.docs["feeds/prn.xml"].etag == snap.docs["feeds/prn.xml"].etag || !next.docs["feeds/prn.xml"].modTime.After(snap.docs["feeds/prn.xml"].modTime) {
		t.Error("a changed document kept its ETag or time")
	}
	h.Swap(next)
	if w := get(h, "GET", "/feeds/jazz.xml"); w.Code != 404 {
		t.Errorf("after the swap, a document the new snapshot lacks: %d", w.Code)
	}
}

// TestSlowDownloads: a client that stops reading a download is cut after
// mediaIdle, and while downloads hold every media slot, more are refused
// with 503 and the feeds are still served.
func TestSlowDownloads(t *testing.T) {
	idle := mediaIdle
	mediaIdle = 300 * time.Millisecond
	t.Cleanup(func() { mediaIdle = idle })
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "archive"), 0o755)
	big := append(testmedia.MP3(50, ""), make([]byte, 32<<20)...) // more than the sockets' buffers hold
	os.WriteFile(filepath.Join(dir, "archive", "t-2026-11-22.mp3"), big, 0o644)
	path := filepath.Join(dir, "onair.yaml")
	os.WriteFile(path, []byte("station: {name: T, timezone: UTC}\nshows:\n  - id: t\n    title: T\n    recordings: {dir: archive}\n    slots: [{kind: live, cron: \"0 13 * * SUN\", duration: 1h}]\n"), 0o644)
	h := handlerFor(t, path)
	h.MediaSlots = make(chan struct{}, 1)
	srv := httptest.NewServer(h)
	defer srv.Close()

	// A client that asks and then reads nothing.
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("GET /media/t/t-2026-11-22.mp3 HTTP/1.1\r\nHost: x\r\n\r\n"))
	time.Sleep(100 * time.Millisecond) // it holds the one slot now

	resp, err := http.Get(srv.URL + "/media/t/t-2026-11-22.mp3")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a download while the slots are taken: %d", resp.StatusCode)
	}
	if resp, err := http.Get(srv.URL + "/feeds/t.xml"); err != nil || resp.StatusCode != 200 {
		t.Errorf("the feed while the slots are taken: %v", err)
	} else {
		resp.Body.Close()
	}
	// Past mediaIdle the silent client is cut, and its slot freed.
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(srv.URL + "/media/t/t-2026-11-22.mp3")
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 && n == int64(len(big)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the silent client was never cut")
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if n, err := io.Copy(io.Discard, c); err != nil || n >= int64(len(big)) {
		t.Errorf("the silent client read %d bytes (%v); want the connection closed short", n, err)
	}
}

// TestGuideDocuments: the guide is served as XML, its gzipped copy as the
// file it is (not compressed again), the playlist as an M3U.
func TestGuideDocuments(t *testing.T) {
	h := exampleHandler(t)
	for _, tc := range []struct{ path, ctype, encoding string }{
		{"/xmltv.xml", "application/xml; charset=utf-8", "gzip"},
		{"/xmltv.xml.gz", "application/gzip", ""},
		{"/station.m3u", "audio/x-mpegurl", "gzip"},
	} {
		w := get(h, "GET", tc.path, "Accept-Encoding", "gzip")
		if w.Code != 200 || w.Header().Get("Content-Type") != tc.ctype || w.Header().Get("Content-Encoding") != tc.encoding {
			t.Errorf("GET %s: %d %q, encoding %q", tc.path, w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Encoding"))
		}
	}
	zr, err := gzip.NewReader(get(h, "GET", "/xmltv.xml.gz", "Accept-Encoding", "gzip").Body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if !bytes.Equal(b, get(h, "GET", "/xmltv.xml").Body.Bytes()) {
		t.Errorf("xmltv.xml.gz is not xmltv.xml gzipped")
	}
}

// TestGzipLater: a document past gzipLater is not compressed at its
// publish; a 304 does not compress it either; the first request that takes
// gzip does, once, and every form of answer (GET, HEAD, a range) serves
// those bytes.
func TestGzipLater(t *testing.T) {
	big := bytes.Repeat([]byte("BEGIN:VEVENT\r\nSUMMARY:an airing\r\nEND:VEVENT\r\n"), 2*gzipLater/44)
	site := &publish.Site{At: liveAt, Files: map[string][]byte{"calendar.ics": big, "feeds/small.xml": []byte("<rss/>")}}
	st, err := teststation.Load("config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	snap := NewSnapshot(st, site, nil)
	d := snap.docs["calendar.ics"]
	if d.gz != nil || d.later == nil || snap.docs["feeds/small.xml"].gz == nil {
		t.Fatal("the large document was compressed at its publish, or the small one was not")
	}
	h := NewHandler(snap)
	tag := get(h, "HEAD", "/calendar.ics").Header().Get("ETag")
	if w := get(h, "GET", "/calendar.ics", "Accept-Encoding", "gzip", "If-None-Match", strings.TrimSuffix(tag, `"`)+`-gz"`); w.Code != 304 || d.later.gz != nil {
		t.Errorf("a 304 (%d) compressed the document", w.Code)
	}
	w := get(h, "GET", "/calendar.ics", "Accept-Encoding", "gzip")
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); w.Code != 200 || !bytes.Equal(b, big) || w.Header().Get("Content-Length") != strconv.Itoa(len(d.later.gz)) {
		t.Errorf("gzip GET: %d, length %s of %d", w.Code, w.Header().Get("Content-Length"), len(d.later.gz))
	}
	first := d.later.gz
	if head := get(h, "HEAD", "/calendar.ics", "Accept-Encoding", "gzip"); head.Header().Get("Content-Length") != strconv.Itoa(len(first)) {
		t.Errorf("gzip HEAD: length %s", head.Header().Get("Content-Length"))
	}
	if r := get(h, "GET", "/calendar.ics", "Accept-Encoding", "gzip", "Range", "bytes=0-9"); r.Code != 206 || !bytes.Equal(r.Body.Bytes(), first[:10]) || &d.later.gz[0] != &first[0] {
		t.Errorf("gzip range: %d %q", r.Code, r.Body.Bytes())
	}
	// The next publish with the same bytes keeps the compressed form.
	if next := NewSnapshot(st, site, snap); next.docs["calendar.ics"] != d {
		t.Error("an unchanged large document was not kept")
	}
}
