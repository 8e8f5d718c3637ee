package server

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/onair-radio/onair/web"
)

// TestPages: the web pages at their directories' paths, with their type,
// a clock for their script, revalidation on every view, and 304s; the
// assets, named by their hash, kept for good.
func TestPages(t *testing.T) {
	h := exampleHandler(t)
	css, js := web.AssetPath("onair.css"), web.AssetPath("onair.js")
	for _, tc := range []struct{ path, file, ctype string }{
		{"/", "index.html", "text/html; charset=utf-8"},
		{"/index.html", "index.html", "text/html; charset=utf-8"},
		{"/shows/prn/", "shows/prn/index.html", "text/html; charset=utf-8"},
		{"/embed/now/", "embed/now/index.html", "text/html; charset=utf-8"},
		{"/" + css, css, "text/css; charset=utf-8"},
		{"/" + js, js, "text/javascript; charset=utf-8"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			want, ok := web.Assets()[tc.file]
			if !ok {
				var err error
				if want, err = os.ReadFile(filepath.Join("testdata", "publish", tc.file)); err != nil {
					t.Fatal(err)
				}
			}
			w := get(h, "GET", tc.path)
			if w.Code != 200 || w.Body.String() != string(want) {
				t.Fatalf("GET %s: %d, body equal to %s: %v", tc.path, w.Code, tc.file, w.Body.String() == string(want))
			}
			if got := w.Header().Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tc.ctype)
			}
			page := tc.ctype == "text/html; charset=utf-8"
			clock := w.Header().Get("Server-Timing")
			if page && clock != "clock;desc="+strconv.FormatInt(liveAt.UnixMilli(), 10) {
				t.Errorf("Server-Timing = %q, want the handler's clock", clock)
			}
			if csp := w.Header().Get("Content-Security-Policy"); page != strings.Contains(csp, "script-src 'self'") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			wantCache := "no-cache"
			if !page {
				wantCache = "public, max-age=31536000, immutable"
			}
			if cc := w.Header().Get("Cache-Control"); cc != wantCache {
				t.Errorf("Cache-Control = %q, want %q", cc, wantCache)
			}
			if page && !strings.Contains(w.Body.String(), `href="`+strings.Repeat("../", strings.Count(tc.file, "/"))+css+`"`) {
				t.Errorf("the page does not link %s", css)
			}
			again := get(h, "GET", tc.path, "If-None-Match", w.Header().Get("ETag"))
			if again.Code != 304 || again.Body.Len() != 0 {
				t.Errorf("revalidation: %d with %d bytes, want 304 and none", again.Code, again.Body.Len())
			}
			gz := get(h, "GET", tc.path, "Accept-Encoding", "gzip")
			if gz.Header().Get("Content-Encoding") != "gzip" || gz.Body.Len() >= len(want) {
				t.Errorf("gzip: %q, %d bytes of %d", gz.Header().Get("Content-Encoding"), gz.Body.Len(), len(want))
			}
		})
	}
	// The unhashed names are not served: a page names the one it was
	// rendered with.
	if w := get(h, "GET", "/assets/onair.css"); w.Code != 404 {
		t.Errorf("GET /assets/onair.css: %d", w.Code)
	}
	// A directory without its slash goes to the directory, relatively, so
	// that the pages' relative links hold behind a proxy's path too.
	for p, loc := range map[string]string{"/embed/now": "now/", "/shows/prn": "prn/", "/shows/prn?x=1": "prn/?x=1"} {
		w := get(h, "GET", p)
		if w.Code != 301 || w.Header().Get("Location") != loc {
			t.Errorf("GET %s: %d to %q, want 301 to %q", p, w.Code, w.Header().Get("Location"), loc)
		}
	}
}
