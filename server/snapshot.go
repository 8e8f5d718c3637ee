package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onair-radio/onair/guide"
	"github.com/onair-radio/onair/publish"
	"github.com/onair-radio/onair/station"
)

// document is one published file, ready to serve: its header values are
// made once per publish, not once per request.
type document struct {
	body, gz []byte
	// later compresses a large document (gzipLater) at its first request
	// that takes gzip, instead of gz.
	later        *lazyGzip
	etag, etagGz string
	modTime      time.Time // when its content last changed
	contentType  string
	name         string // its path, for the headers that depend on it

	hdrType, hdrETag, hdrETagGz, hdrModified, hdrLength, hdrLengthGz, hdrCache []string
	hdrCSP                                                                     []string // pages only
	hdrCORS                                                                    []string // data any site may read
	hdrLink                                                                    []string // a feed's WebSub links
}

func (d *document) prepare() *document {
	d.hdrType = []string{d.contentType}
	d.hdrETag, d.hdrETagGz = []string{d.etag}, []string{d.etagGz}
	d.hdrModified = []string{d.modTime.UTC().Format(http.TimeFormat)}
	d.hdrLength, d.hdrLengthGz = []string{strconv.Itoa(len(d.body))}, []string{strconv.Itoa(len(d.gz))}
	if d.later != nil {
		d.hdrLengthGz = nil
	}
	d.hdrCache = hdrCaches[publish.CacheControl(d.name)]
	if strings.HasPrefix(d.contentType, "text/html") {
		d.hdrCSP = hdrPagePolicy
	}
	switch path.Ext(d.name) {
	case ".json", ".xml", ".ics":
		// Public data: a station's own site, or a web player, may read
		// it from its page's script.
		d.hdrCORS = hdrAnyOrigin
	}
	return d
}

var hdrAnyOrigin = []string{"*"}

// hdrPagePolicy is the pages' Content-Security-Policy: their own script
// and stylesheet only (style attributes place the grid's airings), artwork
// and audio from anywhere (a CDN's), and any site may frame them (the
// widget is made for that).
var hdrPagePolicy = []string{"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data:; media-src *; frame-ancestors *; base-uri 'self'; form-action 'none'"}

// Snapshot is everything served at one moment. It is immutable: a publish
// makes a new one and swaps it in, so no response mixes two.
type Snapshot struct {
	Station *station.Station
	Site    *publish.Site
	docs    map[string]*document
	// media maps a show id to its archive directory.
	media map[string]string
	// queries keeps computed schedule.json answers by query, until the
	// next publish; queryCount bounds them.
	queries    sync.Map
	queryCount atomic.Int64
}

// NewSnapshot prepares a site for serving. Documents whose bytes are the
// same as in prev keep prev's modification time and compressed form, so an
// unchanged feed keeps its Last-Modified and is not compressed again.
func NewSnapshot(st *station.Station, site *publish.Site, prev *Snapshot) *Snapshot {
	s := &Snapshot{Station: st, Site: site, docs: make(map[string]*document, len(site.Files)), media: make(map[string]string)}
	for _, set := range st.Shows {
		if set.Recordings != nil {
			s.media[set.Recordings.Show] = set.Recordings.Dir
		}
	}
	for p, body := range site.Files {
		// A document publish.Builder reused is the very same bytes: no need
		// to hash a large station's feeds again to know they did not change.
		if prev != nil {
			if old := prev.docs[p]; old != nil && sameBytes(old.body, body) {
				s.docs[p] = old
				continue
			}
		}
		sum := sha256.Sum256(body)
		tag := hex.EncodeToString(sum[:12])
		if prev != nil {
			if old := prev.docs[p]; old != nil && old.etag == `"`+tag+`"` {
				s.docs[p] = old
				continue
			}
		}
		var gz []byte
		var later *lazyGzip
		switch {
		case path.Ext(p) == ".gz": // compressed once is enough
		case len(body) > gzipLater:
			later = new(lazyGzip)
		default:
			gz = gzipped(body)
		}
		s.docs[p] = (&document{
			body: body, gz: gz, later: later,
			etag: `"` + tag + `"`, etagGz: `"` + tag + `-gz"`,
			modTime:     site.At.Truncate(time.Second),
			contentType: publish.ContentType(p),
			name:        p,
			hdrLink:     feedLinks(st, p),
		}).prepare()
	}
	return s
}

// feedLinks are the Link headers of the document at p, a show's feed whose
// changes WebSub hubs are told of: the feed itself and its hubs, as the
// feed's atom:links name them. nil for any other document.
func feedLinks(st *station.Station, p string) []string {
	id, ok := strings.CutPrefix(p, "feeds/")
	if !ok {
		return nil
	}
	set := st.Show(strings.TrimSuffix(id, ".xml"))
	if set == nil || len(set.Podcast.Hubs) == 0 {
		return nil
	}
	links := []string{"<" + set.Podcast.FeedURL + `>; rel="self"`}
	for _, h := range set.Podcast.Hubs {
		links = append(links, "<"+h+`>; rel="hub"`)
	}
	return []string{strings.Join(links, ", ")}
}

// gzipWriters are reused: a compressor's state is most of a megabyte, and a
// large station compresses thousands of documents per publish.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	return zw
}}

// gzipLater is the size past which a document is compressed when it is
// first asked for, not at its publish, and at gzip's default level rather
// than its best: the feeds, pages and show calendars that most requests
// are for are smaller, and ready compressed the moment they are served;
// a large station's station-wide documents (a hundred MB of calendar and
// schedule, changed at every air time) would make each publish seconds of
// compression at the best level, mostly for documents no one fetches
// before the next (guide.GzipDefaultPast).
const gzipLater = guide.GzipDefaultPast

// lazyGzip is a large document's compressed form, made once, by the first
// request that takes gzip (the others wait for it).
type lazyGzip struct {
	once sync.Once
	gz   []byte
	hdr  []string
}

func (l *lazyGzip) get(body []byte) ([]byte, []string) {
	l.once.Do(func() {
		l.gz = guide.Gzip(body)
		l.hdr = []string{strconv.Itoa(len(l.gz))}
	})
	return l.gz, l.hdr
}

// gzipped is d's compressed form and its Content-Length; nil when it has
// none (it is compressed already).
func (d *document) gzipped() ([]byte, []string) {
	if d.later != nil {
		return d.later.get(d.body)
	}
	return d.gz, d.hdrLengthGz
}

// sameBytes says whether a and b are one slice (not merely equal bytes).
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(b)
	zw.Close()
	gzipWriters.Put(zw)
	return bytes.Clone(buf.Bytes()) // exactly sized: it is kept until the next publish
}
