package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"runtime"
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
	// computing holds a place for each schedule.json being computed.
	computing chan struct{}
	// MediaSlots, when set, holds a place for each download in progress;
	// a download finds none free is answered 503.
	MediaSlots chan struct{}
	// roots are the archive directories served, held open.
	roots mediaRoots
}

// NewHandler serves snap.
func NewHandler(snap *Snapshot) *Handler {
	h := &Handler{mux: http.NewServeMux(), Now: time.Now, computing: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))}
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
func (h *Handler) Swap(snap *Snapshot) {
	h.current.Store(snap)
	h.roots.close()
}

// Close lets go of the archive directories held open for serving.
func (h *Handler) Close() { h.roots.close() }

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
	byteRanges(r)
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
	hdrNoCache = []string{publish.CachePage}
	// hdrCaches holds each Cache-Control a document may have, once.
	hdrCaches = map[string][]string{
		publish.CacheDocument:  {publish.CacheDocument},
		publish.CachePage:      hdrNoCache,
		publish.CacheImmutable: {publish.CacheImmutable},
		publish.CacheMedia:     {publish.CacheMedia},
	}
	hdrNoSniff = []string{"nosniff"}
	hdrGzip    = []string{"gzip"}
)

// serveDocument answers GET, HEAD and conditional requests for a document
// with header values made at publish time; a byte range goes to
// http.ServeContent.
func serveDocument(w http.ResponseWriter, r *http.Request, d *document) {
	gz := (d.gz != nil || d.later != nil) && acceptsGzip(r.Header.Get("Accept-Encoding"))
	if r.Header.Get("Range") != "" {
		size := len(d.body)
		var zipped []byte
		if gz {
			zipped, _ = d.gzipped()
			size = len(zipped)
		}
		if !rangesOK(w, r, int64(size)) {
			return
		}
		body, etag := d.body, d.etag
		w.Header().Set("Vary", "Accept-Encoding")
		w.Header()["Cache-Control"] = d.hdrCache
		if d.hdrCORS != nil {
			w.Header()["Access-Control-Allow-Origin"] = d.hdrCORS
		}
		if d.hdrLink != nil {
			w.Header()["Link"] = d.hdrLink
		}
		if gz {
			body, etag = zipped, d.etagGz
			w.Header().Set("Content-Encoding", "gzip")
		}
		serveBytes(w, r, body, etag, d.modTime, d.contentType)
		return
	}
	hd := w.Header()
	body, etag, hdrETag, hdrLength := d.body, d.etag, d.hdrETag, d.hdrLength
	if gz {
		etag, hdrETag = d.etagGz, d.hdrETagGz
	}
	hd["Vary"], hd["Cache-Control"], hd["Etag"], hd["Last-Modified"] = hdrVary, d.hdrCache, hdrETag, d.hdrModified
	if notModified(r, etag, d.modTime) {
		// The tags are the body's: a large document need not be
		// compressed to say it did not change.
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if gz {
		body, hdrLength = d.gzipped()
	}
	hd["Content-Type"], hd["Content-Length"] = d.hdrType, hdrLength
	if d.hdrCORS != nil {
		hd["Access-Control-Allow-Origin"] = d.hdrCORS
	}
	if d.hdrLink != nil {
		hd["Link"] = d.hdrLink
	}
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

// Limits of a computed schedule.json: what one request may cost.
const (
	// maxQueryAirings is the most airings one answer holds; a window that
	// holds more is refused with a hint to page with from and count.
	maxQueryAirings = 1000
	// maxQueryWindow is the longest window one may ask about.
	maxQueryWindow = 366 * 24 * time.Hour
	// maxCachedQueries bounds the answers a snapshot keeps.
	maxCachedQueries = 1024
)

// queryError is a computed schedule.json's refusal, answered as JSON.
type queryError struct {
	code int
	msg  string
}

// serveSchedule serves the published schedule.json, or with a query
// (?show=prn&from=...&to=...&count=N&tz=Zone) computes one on demand, in
// the published document's shape. Any site may read it (CORS). An answer
// that names its from is the same until the next publish, and is kept.
func (h *Handler) serveSchedule(w http.ResponseWriter, r *http.Request) {
	if r.URL.RawQuery == "" {
		h.serveDocument(w, r)
		return
	}
	snap := h.current.Load()
	q := r.URL.Query()
	cacheable := q.Get("from") != ""
	if cacheable {
		if d, ok := snap.queries.Load(r.URL.RawQuery); ok {
			serveDocument(w, r, d.(*document))
			return
		}
	}
	// Computing is bounded in cost, and in how many run at once, so that
	// the feeds stay fast while queries run.
	select {
	case h.computing <- struct{}{}:
		defer func() { <-h.computing }()
	case <-r.Context().Done():
		return
	}
	body, qe := h.computeSchedule(snap, q)
	if qe != nil {
		w.Header().Set("Cache-Control", "no-store")
		writeJSONError(w, qe.code, qe.msg)
		return
	}
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	d := (&document{
		body: body, gz: gzipped(body), etag: `"` + tag + `"`, etagGz: `"` + tag + `-gz"`,
		modTime: snap.Site.At.Truncate(time.Second), contentType: "application/json", name: "schedule.json",
	}).prepare()
	d.hdrCache = hdrNoCache
	if cacheable && snap.queryCount.Add(1) <= maxCachedQueries {
		snap.queries.Store(r.URL.RawQuery, d)
	}
	serveDocument(w, r, d)
}

func (h *Handler) computeSchedule(snap *Snapshot, q url.Values) ([]byte, *queryError) {
	st := snap.Station
	var shows []string
	for _, s := range q["show"] {
		for _, id := range strings.Split(s, ",") {
			if st.Show(id) == nil {
				return nil, &queryError{http.StatusNotFound, "show: no show " + strconv.Quote(id)}
			}
			shows = append(shows, id)
		}
	}
	loc := st.Location
	if v := q.Get("tz"); v != "" {
		l, err := time.LoadLocation(v)
		if err != nil || v == "Local" {
			return nil, &queryError{http.StatusBadRequest, "tz: want an IANA time zone, such as Europe/Berlin"}
		}
		loc = l
	}
	// from and to are read as --at is: an RFC 3339 time (its '+' may come
	// unencoded, as a space), or a date and time, or a date, in tz (else
	// the station's zone).
	from := h.Now()
	if v := q.Get("from"); v != "" {
		w, err := scheduler.ParseWhen(v)
		if err != nil {
			return nil, &queryError{http.StatusBadRequest, "from: " + err.Error()}
		}
		from = w.In(loc)
	}
	days, to := st.ScheduleDays, from.Add(st.Days())
	if v := q.Get("to"); v != "" {
		w, err := scheduler.ParseWhen(v)
		t := w.In(loc)
		if err != nil || !t.After(from) || t.Sub(from) > maxQueryWindow {
			return nil, &queryError{http.StatusBadRequest, "to: " + strings.TrimPrefix(scheduler.ErrWhen.Error(), "want ") + ", after from and within a year of it"}
		}
		days, to = 0, t
	}
	limit := maxQueryAirings
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxQueryAirings {
			return nil, &queryError{http.StatusBadRequest, fmt.Sprintf("count: want 1 to %d", maxQueryAirings)}
		}
		limit = n
		if q.Get("to") == "" {
			days, to = 0, from.Add(maxQueryWindow) // the next n, within a year
		}
	}
	// At most one more than the limit is computed, whatever the window.
	as := st.Schedule.Next(from, limit+1, shows...)
	for i, a := range as {
		if !a.Start.Before(to) {
			as = as[:i]
			break
		}
	}
	if len(as) > limit {
		if q.Get("count") != "" {
			as = as[:limit]
		} else {
			return nil, &queryError{http.StatusBadRequest, fmt.Sprintf("the window holds more than %d airings: ask for fewer with from and count (count=%d), then again from the start of the last one", maxQueryAirings, maxQueryAirings)}
		}
	}
	return publish.NewScheduleJSON(st, from, to, days, as, snap.Site.Recordings, loc).Encode(), nil
}

// writeJSONError answers {"error": msg}.
func writeJSONError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Write(append(b, '\n'))
}

// maxRanges is the most byte ranges one request may ask for.
const maxRanges = 16

// rangesOK refuses a Range header that asks for more than maxRanges
// ranges, or for none ("bytes=-0"), with 416; true lets it through.
// byteRanges leaves a request's Range header to http.ServeContent only
// when its unit is bytes: a range of another unit is ignored, as RFC 9110
// §14.2 asks (the whole body, 200), where ServeContent would answer 416.
// The unit is read without regard to case.
func byteRanges(r *http.Request) {
	h := r.Header.Get("Range")
	if h == "" {
		return
	}
	unit, spec, ok := strings.Cut(h, "=")
	switch {
	case !ok || !strings.EqualFold(strings.TrimSpace(unit), "bytes"):
		r.Header.Del("Range")
	case unit != "bytes":
		r.Header.Set("Range", "bytes="+spec)
	}
}

func rangesOK(w http.ResponseWriter, r *http.Request, size int64) bool {
	h := r.Header.Get("Range")
	spec, ok := strings.CutPrefix(h, "bytes=")
	if h == "" || !ok {
		return true // no range, or a unit http.ServeContent ignores
	}
	parts := strings.Split(spec, ",")
	bad := len(parts) > maxRanges
	for _, p := range parts {
		if strings.TrimSpace(p) == "-0" {
			bad = true // a suffix of no bytes
		}
	}
	if bad {
		w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
		http.Error(w, fmt.Sprintf("416 range not satisfiable: ask for 1 to %d ranges, each of at least a byte", maxRanges), http.StatusRequestedRangeNotSatisfiable)
		return false
	}
	return true
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
	// Opened in the archive's root: missing, or a link that leaves the
	// archive, is not found. Opened without blocking, and served only if
	// regular: a FIFO would wait for a writer, holding the request (and a
	// thread) for ever.
	f, err := h.roots.open(dir, name)
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
	if !rangesOK(w, r, info.Size()) {
		return
	}
	// A download may hold only so many of the connections: the feeds and
	// pages must stay reachable when slow clients pile up.
	if h.MediaSlots != nil {
		select {
		case h.MediaSlots <- struct{}{}:
			defer func() { <-h.MediaSlots }()
		default:
			w.Header().Set("Retry-After", "10")
			http.Error(w, "503 too many downloads at once; try again shortly", http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", publish.ContentType(strings.ToLower(name)))
	w.Header().Set("ETag", `"`+strconv.FormatInt(info.Size(), 36)+"-"+strconv.FormatInt(info.ModTime().UnixNano(), 36)+`"`)
	w.Header().Set("Cache-Control", publish.CacheMedia)
	http.ServeContent(&steadyWriter{w, http.NewResponseController(w)}, r, name, info.ModTime(), f)
}

// A recording can take longer to send than the server's write timeout, so
// its response sets its own deadlines: each chunk of mediaChunk bytes must
// be taken within mediaIdle, a rate of at least 8.5 KB/s. A client that
// stops reading (or trickles) is cut, and its connection freed.
var (
	mediaIdle  = 30 * time.Second // a variable for tests
	mediaChunk = int64(256 << 10)
)

// steadyWriter is a media response whose every chunk has a deadline.
type steadyWriter struct {
	http.ResponseWriter
	rc *http.ResponseController
}

func (w *steadyWriter) Write(p []byte) (int, error) {
	w.rc.SetWriteDeadline(time.Now().Add(mediaIdle))
	return w.ResponseWriter.Write(p)
}

// ReadFrom keeps the server's sendfile path (the metrics' wrapper and the
// listener keep it too: statusWriter.ReadFrom, LimitListener), a chunk at
// a time.
func (w *steadyWriter) ReadFrom(src io.Reader) (int64, error) {
	rf, ok := w.ResponseWriter.(io.ReaderFrom)
	if !ok {
		return io.Copy(struct{ io.Writer }{w}, src)
	}
	// http.ServeContent hands over the file behind one LimitedReader; the
	// chunks stay one LimitedReader deep, which sendfile sees through.
	lr, ok := src.(*io.LimitedReader)
	if !ok {
		lr = &io.LimitedReader{R: src, N: 1<<63 - 1}
	}
	var total int64
	for lr.N > 0 {
		w.rc.SetWriteDeadline(time.Now().Add(mediaIdle))
		chunk := &io.LimitedReader{R: lr.R, N: min(lr.N, mediaChunk)}
		want := chunk.N
		n, err := rf.ReadFrom(chunk)
		total += n
		lr.N -= n
		if err != nil || n < want {
			return total, err
		}
	}
	return total, nil
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
