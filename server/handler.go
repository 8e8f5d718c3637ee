package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/onair-radio/onair/publish"
	"github.com/onair-radio/onair/scheduler"
)

// Handler serves the current snapshot. Swap replaces it atomically.
type Handler struct {
	current atomic.Pointer[Snapshot]
	mux     *http.ServeMux
	// Health reports the service's state for /healthz; nil serves {"status":"ok"}.
	Health func() any
	// Metrics serves /metrics; nil answers 404.
	Metrics http.Handler
	// Now is the clock for schedule.json computed on demand.
	Now func() time.Time
}

// NewHandler serves snap.
func NewHandler(snap *Snapshot) *Handler {
	h := &Handler{mux: http.NewServeMux(), Now: time.Now}
	h.current.Store(snap)
	h.mux.HandleFunc("GET /feeds/{file}", h.serveDocument)
	h.mux.HandleFunc("GET /calendar.ics", h.serveDocument)
	h.mux.HandleFunc("GET /calendar/{file}", h.serveDocument)
	h.mux.HandleFunc("GET /schedule.json", h.serveSchedule)
	h.mux.HandleFunc("GET /media/{show}/{file}", h.serveMedia)
	h.mux.HandleFunc("GET /healthz", h.serveHealth)
	h.mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if h.Metrics == nil {
			http.NotFound(w, r)
			return
		}
		h.Metrics.ServeHTTP(w, r)
	})
	return h
}

// Swap makes snap the snapshot served from the next request on.
func (h *Handler) Swap(snap *Snapshot) { h.current.Store(snap) }

// Snapshot returns the snapshot being served.
func (h *Handler) Snapshot() *Snapshot { return h.current.Load() }

// ServeHTTP refuses any path that is not already clean (dot segments,
// encoded slashes or dots, backslashes, doubled slashes; a directory's
// trailing slash is clean) with 404, rather than redirecting to a cleaned
// path as http.ServeMux would.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	raw := strings.ToLower(r.URL.RawPath)
	if p == "" || p[0] != '/' || cleanDir(p) != p || strings.ContainsAny(p, "\\\x00") ||
		strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") || strings.Contains(raw, "%2e") {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// The hot path: a published document, without the mux.
	if r.URL.RawQuery == "" {
		if d := h.current.Load().docs[p[1:]]; d != nil {
			if d.hdrCSP != nil { // a page, asked for by its file name
				h.setClock(w)
			}
			serveDocument(w, r, d)
			return
		}
	}
	if h.servePage(w, r, p) {
		return
	}
	h.mux.ServeHTTP(w, r)
}

// setClock tells a page's script the server's time, so that a clock
// shifted with --at moves the on-air highlight as it should.
func (h *Handler) setClock(w http.ResponseWriter) {
	w.Header().Set("Server-Timing", "clock;desc="+strconv.FormatInt(h.Now().UnixMilli(), 10))
}

// cleanDir is path.Clean, keeping a directory's trailing slash.
func cleanDir(p string) string {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

// servePage serves the web pages: a directory's index.html at the
// directory's path (/, /shows/prn/, /embed/now/), with the server's clock,
// and redirects a directory's path without its slash to the path with one,
// as static hosts do, so that the pages' relative links hold. It says
// whether it answered.
func (h *Handler) servePage(w http.ResponseWriter, r *http.Request, p string) bool {
	docs := h.current.Load().docs
	if strings.HasSuffix(p, "/") {
		d := docs[p[1:]+"index.html"]
		if d == nil {
			return false
		}
		h.setClock(w)
		serveDocument(w, r, d)
		return true
	}
	if docs[p[1:]+"/index.html"] == nil {
		return false
	}
	target := path.Base(p) + "/"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusMovedPermanently)
	return true
}

var (
	hdrVary    = []string{"Accept-Encoding"}
	hdrCache   = []string{"public, max-age=60"}
	hdrNoCache = []string{"no-cache"}
	hdrNoSniff = []string{"nosniff"}
	hdrGzip    = []string{"gzip"}
)

// serveDocument answers GET, HEAD and conditional requests for a document
// with header values made at publish time; a byte range goes to
// http.ServeContent.
func serveDocument(w http.ResponseWriter, r *http.Request, d *document) {
	gz := acceptsGzip(r.Header.Get("Accept-Encoding"))
	if r.Header.Get("Range") != "" {
		body, etag := d.body, d.etag
		w.Header().Set("Vary", "Accept-Encoding")
		w.Header()["Cache-Control"] = d.hdrCache
		if gz {
			body, etag = d.gz, d.etagGz
			w.Header().Set("Content-Encoding", "gzip")
		}
		serveBytes(w, r, body, etag, d.modTime, d.contentType)
		return
	}
	hd := w.Header()
	body, etag, hdrETag, hdrLength := d.body, d.etag, d.hdrETag, d.hdrLength
	if gz {
		body, etag, hdrETag, hdrLength = d.gz, d.etagGz, d.hdrETagGz, d.hdrLengthGz
	}
	hd["Vary"], hd["Cache-Control"], hd["Etag"], hd["Last-Modified"] = hdrVary, d.hdrCache, hdrETag, d.hdrModified
	if notModified(r, etag, d.modTime) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd["Content-Type"], hd["Content-Length"] = d.hdrType, hdrLength
	if d.hdrCSP != nil {
		hd["Content-Security-Policy"], hd["X-Content-Type-Options"] = d.hdrCSP, hdrNoSniff
	}
	if gz {
		hd["Content-Encoding"] = hdrGzip
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// notModified applies If-None-Match (which, when present, decides alone)
// and If-Modified-Since (RFC 9110 §13.1).
func notModified(r *http.Request, etag string, mod time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == etag || t == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !mod.Truncate(time.Second).After(t) {
			return true
		}
	}
	return false
}

func (h *Handler) serveDocument(w http.ResponseWriter, r *http.Request) {
	d := h.current.Load().docs[strings.TrimPrefix(r.URL.Path, "/")]
	if d == nil {
		http.NotFound(w, r)
		return
	}
	serveDocument(w, r, d)
}

func serveBytes(w http.ResponseWriter, r *http.Request, body []byte, etag string, mod time.Time, ctype string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("ETag", etag)
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "public, max-age=60")
	}
	http.ServeContent(w, r, "", mod, bytes.NewReader(body))
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) with a non-zero q.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.ReplaceAll(strings.TrimSpace(params), " ", ""), "q="); ok {
			q, _ = strconv.ParseFloat(v, 64)
		}
		return q > 0
	}
	return false
}

// serveSchedule serves the published schedule.json, or with a query
// (?show=prn&from=...&to=...&count=N) computes one on demand.
func (h *Handler) serveSchedule(w http.ResponseWriter, r *http.Request) {
	if r.URL.RawQuery == "" {
		h.serveDocument(w, r)
		return
	}
	snap := h.current.Load()
	q := r.URL.Query()
	var shows []string
	for _, s := range q["show"] {
		for _, id := range strings.Split(s, ",") {
			if snap.Station.Show(id) == nil {
				http.Error(w, "no show "+strconv.Quote(id), http.StatusNotFound)
				return
			}
			shows = append(shows, id)
		}
	}
	from := h.Now()
	if v := q.Get("from"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			http.Error(w, "from: want an RFC 3339 time", http.StatusBadRequest)
			return
		}
		from = t
	}
	st := snap.Station
	days := st.ScheduleDays
	to := from.Add(st.Days())
	if v := q.Get("to"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil || !t.After(from) || t.Sub(from) > 366*24*time.Hour {
			http.Error(w, "to: want an RFC 3339 time after from, within a year of it", http.StatusBadRequest)
			return
		}
		to, days = t, 0
	}
	var as []scheduler.Airing
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			http.Error(w, "count: want 1 to 1000", http.StatusBadRequest)
			return
		}
		as, days = st.Schedule.Next(from, n, shows...), 0
		if q.Get("to") != "" {
			kept := as[:0]
			for _, a := range as {
				if a.Start.Before(to) {
					kept = append(kept, a)
				}
			}
			as = kept
		}
	} else {
		as = st.Schedule.Airings(from, to, shows...)
	}
	body := publish.NewScheduleJSON(st, from, days, as).Encode()
	sum := sha256.Sum256(body)
	serveBytes(w, r, body, `"`+hex.EncodeToString(sum[:12])+`"`, time.Time{}, "application/json")
}

// mediaTypes are the files of an archive directory that are served: audio,
// artwork, transcripts and chapters; not sidecars nor anything else.
var mediaTypes = map[string]bool{".mp3": true, ".m4a": true, ".png": true, ".jpg": true, ".jpeg": true, ".vtt": true, ".srt": true, ".json": true}

// serveMedia serves a file of a show's archive directory, with byte ranges
// and HEAD (as Apple requires of media hosts), and nothing outside it.
func (h *Handler) serveMedia(w http.ResponseWriter, r *http.Request) {
	dir, ok := h.current.Load().media[r.PathValue("show")]
	name := r.PathValue("file")
	if !ok || name == "" || name[0] == '.' || strings.ContainsAny(name, `/\`) || !mediaTypes[strings.ToLower(filepath.Ext(name))] {
		http.NotFound(w, r)
		return
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, name))
	if err != nil || filepath.Dir(real) != root {
		http.NotFound(w, r) // missing, or a link that leaves the archive
		return
	}
	f, err := os.Open(real)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	// A recording can take longer to send than the server's write timeout.
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", contentType(strings.ToLower(name)))
	w.Header().Set("ETag", `"`+strconv.FormatInt(info.Size(), 36)+"-"+strconv.FormatInt(info.ModTime().UnixNano(), 36)+`"`)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, name, info.ModTime(), f)
}

func (h *Handler) serveHealth(w http.ResponseWriter, r *http.Request) {
	var v any = map[string]string{"status": "ok"}
	if h.Health != nil {
		v = h.Health()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}
