package cloud

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/onair-radio/onair/publish"
	"github.com/onair-radio/onair/web"
)

// fakeS3 is an S3 server in the test's process (it checks no signature),
// and the requests that changed it, in order: "PUT key", "DELETE key".
type fakeS3 struct {
	url string
	mu  sync.Mutex
	ops []string
	// cache is each upload's Cache-Control: the fake keeps none.
	cache map[string]string
	// delay is added to each upload and deletion: a real store's round
	// trip. inflight and peak count them under way.
	delay          time.Duration
	inflight, peak int
}

func newFakeS3(t *testing.T) *fakeS3 {
	backend := s3mem.New()
	if err := backend.CreateBucket("onair"); err != nil {
		t.Fatal(err)
	}
	f := &fakeS3{cache: make(map[string]string)}
	s3 := gofakes3.New(backend).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut || r.Method == http.MethodDelete {
			f.mu.Lock()
			key := strings.TrimPrefix(r.URL.Path, "/onair/")
			f.ops = append(f.ops, r.Method+" "+key)
			f.cache[key] = r.Header.Get("Cache-Control")
			f.inflight++
			f.peak = max(f.peak, f.inflight)
			delay := f.delay
			f.mu.Unlock()
			defer func() { f.mu.Lock(); f.inflight--; f.mu.Unlock() }()
			time.Sleep(delay)
		}
		s3.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	f.url = "s3://onair?endpoint=" + url.QueryEscape(srv.URL) + "&region=us-east-1&use_path_style=true"
	return f
}

func (f *fakeS3) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ops := f.ops
	f.ops = nil
	return ops
}

// bucketSite is a small site with media: two recordings and artwork.
func bucketSite(t *testing.T, dir string) *publish.Site {
	media := map[string]string{}
	for name, size := range map[string]int{"prn-2026-11-22.mp3": 300_000, "prn-2026-11-29.mp3": 200_000, "cover.png": 5_000} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err != nil {
			os.WriteFile(p, []byte(strings.Repeat(name[:1], size)), 0o644)
		}
		media["media/prn/"+name] = p
	}
	return &publish.Site{Files: map[string][]byte{
		"feeds/prn.xml":            []byte("<rss>1</rss>"),
		"calendar.ics":             []byte("BEGIN:VCALENDAR"),
		"schedule.json":            []byte(`{"at": 1}`),
		"index.html":               []byte("<!doctype html>"),
		web.AssetPath("onair.css"): web.Assets()[web.AssetPath("onair.css")],
		"xmltv.xml.gz":             []byte("\x1f\x8b"),
		"shows/prn/index.html":     []byte("<!doctype html> prn"),
	}, Media: media}
}

// newFakeGCS is a Google Cloud Storage server in the test's process
// (fake-gcs-server), and the gs:// URL of a bucket in it. gcsblob finds it
// through STORAGE_EMULATOR_HOST, as Google's own client does.
func newFakeGCS(t *testing.T) string {
	// Reads go to the XML API's host, which the server must be told: a
	// port picked first.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", Port: uint16(port), PublicHost: fmt.Sprintf("127.0.0.1:%d", port), Writer: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "onair"})
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(srv.URL(), "http://"))
	return "gs://onair"
}

// TestBucket: S3 (gofakes3), Google Cloud Storage (fake-gcs-server) and
// a directory (fileblob), each in the test's process. Azure's driver has
// no such double here: it is built, not tested.
func TestBucket(t *testing.T) {
	s3 := newFakeS3(t)
	for _, tc := range []struct{ name, url string }{
		{"s3", s3.url},
		{"gcs", newFakeGCS(t)},
		{"fileblob", "file://" + t.TempDir()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			site := bucketSite(t, t.TempDir())
			b, err := Open(ctx, tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if err := b.Write(context.Background(), site); err != nil {
				t.Fatal(err)
			}
			if got := b.Last; got.Uploaded != 10 || got.Bytes < 505_000 {
				t.Errorf("first write: %+v", got)
			}
			// Each object has its type and cache lifetime, and its bytes.
			for key, want := range map[string][2]string{
				"feeds/prn.xml":                {"application/rss+xml; charset=utf-8", "public, max-age=60"},
				"index.html":                   {"text/html; charset=utf-8", "no-cache"},
				"schedule.json":                {"application/json", "public, max-age=60"},
				"xmltv.xml.gz":                 {"application/gzip", "public, max-age=60"},
				"media/prn/prn-2026-11-22.mp3": {"audio/mpeg", "public, max-age=86400"},
				"media/prn/cover.png":          {"image/png", "public, max-age=86400"},
				web.AssetPath("onair.css"):     {"text/css; charset=utf-8", "public, max-age=31536000, immutable"},
			} {
				a, err := b.bucket.Attributes(ctx, key)
				if err != nil {
					t.Fatalf("%s: %v", key, err)
				}
				if tc.name == "s3" {
					s3.mu.Lock()
					a.CacheControl = s3.cache[key] // what was sent
					s3.mu.Unlock()
				}
				if a.ContentType != want[0] || a.CacheControl != want[1] {
					t.Errorf("%s: %q, %q; want %q, %q", key, a.ContentType, a.CacheControl, want[0], want[1])
				}
			}
			if body, err := b.bucket.ReadAll(ctx, "media/prn/prn-2026-11-22.mp3"); len(body) != 300_000 {
				t.Errorf("the recording: %d bytes (%v)", len(body), err)
			}
			// The same site again: nothing is uploaded; nor by a new
			// process, which learns the bucket from its listing.
			if err := b.Write(context.Background(), site); err != nil || b.Last.Uploaded != 0 || b.Last.Unchanged != 10 {
				t.Errorf("the same site again: %+v, %v", b.Last, err)
			}
			b.Close()
			b, err = Open(ctx, tc.url)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if err := b.Write(context.Background(), site); err != nil || b.Last.Uploaded != 0 {
				t.Errorf("after a restart: %+v, %v", b.Last, err)
			}
			// A feed changes, a recording goes: one upload, one deletion.
			site.Files["feeds/prn.xml"] = []byte("<rss>2</rss>")
			delete(site.Media, "media/prn/prn-2026-11-22.mp3")
			if err := b.Write(context.Background(), site); err != nil || b.Last.Uploaded != 1 || b.Last.Deleted != 1 {
				t.Errorf("a change: %+v, %v", b.Last, err)
			}
			if ok, _ := b.bucket.Exists(ctx, "media/prn/prn-2026-11-22.mp3"); ok {
				t.Error("the stale recording is still there")
			}
		})
	}
}

// TestBucketOrder: a publish uploads media first, then feeds and
// calendars, then the rest, and deletes last, so that a reader never finds
// a feed whose enclosure is not there, nor a page whose feed is not.
func TestBucketOrder(t *testing.T) {
	s3 := newFakeS3(t)
	ctx := context.Background()
	b, err := Open(ctx, s3.url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	dir := t.TempDir()
	site := bucketSite(t, dir)
	site.Files["old.html"] = []byte("old")
	if err := b.Write(context.Background(), site); err != nil {
		t.Fatal(err)
	}
	delete(site.Files, "old.html")
	os.WriteFile(filepath.Join(dir, "prn-2026-12-06.mp3"), []byte("new"), 0o644)
	site.Media["media/prn/prn-2026-12-06.mp3"] = filepath.Join(dir, "prn-2026-12-06.mp3")
	site.Files["feeds/prn.xml"] = []byte("<rss>with the new episode</rss>")
	site.Files["index.html"] = []byte("<!doctype html> new")
	s3.take()
	if err := b.Write(context.Background(), site); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(s3.take(), ", ")
	if want := "PUT media/prn/prn-2026-12-06.mp3, PUT feeds/prn.xml, PUT index.html, DELETE old.html"; got != want {
		t.Errorf("order:\n got %s\nwant %s", got, want)
	}
}

// TestBucketParallel: the uploads of a stage run side by side (a real
// store's round trips add up otherwise), never more than Parallel at once,
// and the stages still one after the other.
func TestBucketParallel(t *testing.T) {
	s3 := newFakeS3(t)
	s3.delay = 20 * time.Millisecond
	b, err := Open(context.Background(), s3.url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	site := bucketSite(t, t.TempDir())
	for i := range 40 {
		site.Files[fmt.Sprintf("feeds/show-%02d.xml", i)] = []byte(fmt.Sprintf("<rss>%d</rss>", i))
		site.Files[fmt.Sprintf("shows/show-%02d/index.html", i)] = []byte(fmt.Sprintf("<!doctype html> %d", i))
	}
	start := time.Now()
	if err := b.Write(context.Background(), site); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	ops := s3.take()
	if len(ops) != b.Last.Uploaded || b.Last.Uploaded != 90 {
		t.Fatalf("%d requests, %+v", len(ops), b.Last)
	}
	if s3.peak < 2 || s3.peak > Parallel {
		t.Errorf("%d uploads at once at most; want 2 to %d", s3.peak, Parallel)
	}
	t.Logf("90 uploads with 20 ms each: %s, %d at once at most", took.Round(time.Millisecond), s3.peak)
	last := map[int]int{}
	for i, op := range ops {
		last[stage(strings.TrimPrefix(op, "PUT "))] = i
	}
	for i, op := range ops {
		if s := stage(strings.TrimPrefix(op, "PUT ")); s > 0 && i < last[s-1] {
			t.Fatalf("%s (stage %d) went before the last of stage %d", op, s, s-1)
		}
	}
}
