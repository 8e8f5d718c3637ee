// Package guide writes the station's programme guide in the formats radio
// and IPTV players read: XMLTV (Jellyfin, Kodi, Plex, TVHeadend and most
// IPTV apps take their guide from it) and an M3U playlist of the station's
// stream that points at that guide (tvg-id, url-tvg).
package guide

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"iter"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/onair-radio/onair/internal/keep"
	"github.com/onair-radio/onair/scheduler"
)

// Channel is the station as a guide names it.
type Channel struct {
	ID       string // the XMLTV channel id and the playlist's tvg-id
	Name     string
	URL      string // the station's site
	Language string
	Stream   string // what listeners hear; "" for none
	GuideURL string // where the XMLTV guide is served (gzipped)
}

// ChannelID is a station's guide id: its site's host name (an RFC 2838
// style id, radio.example.org), or its name made into one.
func ChannelID(name, baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" && u.Hostname() != "localhost" && net.ParseIP(u.Hostname()) == nil {
		return u.Hostname()
	}
	slug := strings.Trim(nonAlnum.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if slug == "" {
		slug = "station"
	}
	return slug + ".onair"
}

var nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

// Programme is one airing as the guide lists it.
type Programme struct {
	Airing      scheduler.Airing
	Description string
	Categories  []string
	Image       string
	URL         string
	// Replays is when the live airing a rebroadcast replays aired; zero
	// when unknown (or for a live airing).
	Replays time.Time
}

type tv struct {
	XMLName    xml.Name    `xml:"tv"`
	SourceInfo string      `xml:"source-info-name,attr"`
	SourceURL  string      `xml:"source-info-url,attr,omitempty"`
	Generator  string      `xml:"generator-info-name,attr"`
	Channels   []channel   `xml:"channel"`
	Programmes []programme `xml:"programme"`
}

type channel struct {
	ID      string `xml:"id,attr"`
	Display lang   `xml:"display-name"`
	URL     string `xml:"url,omitempty"`
}

type lang struct {
	Lang  string `xml:"lang,attr,omitempty"`
	Value string `xml:",chardata"`
}

type programme struct {
	Start      string    `xml:"start,attr"`
	Stop       string    `xml:"stop,attr"`
	Channel    string    `xml:"channel,attr"`
	Title      lang      `xml:"title"`
	SubTitle   *lang     `xml:"sub-title,omitempty"`
	Desc       *lang     `xml:"desc,omitempty"`
	Length     *length   `xml:"length,omitempty"`
	Categories []lang    `xml:"category"`
	Icon       *icon     `xml:"icon,omitempty"`
	URL        string    `xml:"url,omitempty"`
	EpisodeNum *episode  `xml:"episode-num,omitempty"`
	Previously *previous `xml:"previously-shown,omitempty"`
	New        *struct{} `xml:"new,omitempty"`
}

type length struct {
	Units string `xml:"units,attr"`
	Value int64  `xml:",chardata"`
}

type icon struct {
	Src string `xml:"src,attr"`
}

type episode struct {
	System string `xml:"system,attr"`
	Value  string `xml:",chardata"`
}

type previous struct {
	Start string `xml:"start,attr,omitempty"`
}

// xmltvTime is XMLTV's time: YYYYMMDDhhmmss and the offset.
const xmltvTime = "20060102150405 -0700"

// XMLTV is the guide: the channel and a programme an airing, times with
// their offsets in each show's zone.
func XMLTV(c Channel, progs []Programme) []byte {
	var ps *Programmes // keeping nothing
	return ps.XMLTV(c, progs)
}

// Programmes writes guides out of programmes it encodes once each: a
// service that keeps one encodes at an air time only the airings new to
// the guide. Each is kept by all it says: its airing's ID and show (a
// configuration's shows are its own, an edit makes new ones, and in one
// configuration an airing's ID determines the airing), the rest of the
// Programme, and the channel's id and language, so a programme kept is its
// bytes; those the last guide did not list are forgotten. The zero
// value is ready; a nil one keeps none (a guide written once). Not safe for
// concurrent use.
type Programmes struct {
	parts keep.Parts[programmeKey, []byte]
}

type programmeKey struct {
	id                           string
	show                         *scheduler.Show
	replays                      time.Time
	desc, image, url, categories string
	channel, lang                string
}

// XMLTV is the package's XMLTV, reusing the programmes it has.
func (ps *Programmes) XMLTV(c Channel, progs []Programme) []byte {
	out := bytes.NewBuffer(make([]byte, 0, 512+len(progs)*300))
	ps.Write(out, c, slices.Values(progs)) // a bytes.Buffer's writes do not fail
	return out.Bytes()
}

// Write writes XMLTV's guide of progs to w, reusing the programmes it
// has. It holds no more of the document than one programme (and what it
// keeps), and returns w's first error.
func (ps *Programmes) Write(w io.Writer, c Channel, progs iter.Seq[Programme]) error {
	// The document without its programmes ends "\n</tv>"; each programme
	// goes before that, on its own lines, as the encoder indents it
	// inside <tv>.
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE tv SYSTEM "xmltv.dtd">` + "\n")
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(tv{SourceInfo: c.Name, SourceURL: c.URL, Generator: "onair",
		Channels: []channel{{ID: c.ID, Display: lang{c.Language, c.Name}, URL: c.URL}}}); err != nil {
		panic(err) // strings only
	}
	const end = "\n</tv>"
	head := b.Bytes()
	if !bytes.HasSuffix(head, []byte(end)) {
		panic("guide: the XMLTV document does not end with </tv>")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head[:len(head)-len(end)])
	var parts *keep.Parts[programmeKey, []byte]
	if ps != nil {
		parts = &ps.parts
	}
	parts.Turn()
	var pe programmeEncoder
	for p := range progs {
		bw.WriteByte('\n')
		var part []byte
		if parts == nil {
			part = pe.encode(c, p)
		} else {
			k := programmeKey{id: p.Airing.ID, show: p.Airing.Show, replays: p.Replays, desc: p.Description, image: p.Image, url: p.URL,
				categories: strings.Join(p.Categories, "\x00"), channel: c.ID, lang: c.Language}
			part = parts.Get(k, func() []byte { return bytes.Clone(pe.encode(c, p)) })
		}
		if _, err := bw.Write(part); err != nil {
			return err
		}
	}
	bw.WriteString(end + "\n")
	return bw.Flush()
}

// programmeEncoder encodes programmes, one after another, with one
// encoder and one buffer: an encoder is a 4 KB buffer of its own, and a
// busy station's guide has hundreds of thousands of programmes.
type programmeEncoder struct {
	buf bytes.Buffer
	enc *xml.Encoder
}

// encode is p's element, indented as inside <tv>: valid until the next
// call.
func (e *programmeEncoder) encode(c Channel, p Programme) []byte {
	a := p.Airing
	loc := a.Show.Location
	pr := programme{
		Start: a.Start.In(loc).Format(xmltvTime), Stop: a.End.In(loc).Format(xmltvTime), Channel: c.ID,
		Title:  lang{c.Language, a.Show.Title},
		Length: &length{"minutes", int64(a.Duration() / time.Minute)},
		URL:    p.URL,
	}
	if a.Title != "" && a.Title != a.Show.Title {
		pr.SubTitle = &lang{c.Language, a.Title}
	}
	if p.Description != "" {
		pr.Desc = &lang{c.Language, p.Description}
	}
	for _, cat := range p.Categories {
		pr.Categories = append(pr.Categories, lang{c.Language, cat})
	}
	if p.Image != "" {
		pr.Icon = &icon{p.Image}
	}
	if a.Episode != "" {
		pr.EpisodeNum = &episode{"onair", a.Episode}
	}
	switch {
	case a.Kind == scheduler.Rebroadcast && !p.Replays.IsZero():
		pr.Previously = &previous{Start: p.Replays.In(loc).Format(xmltvTime)}
	case a.Kind == scheduler.Rebroadcast:
		pr.Previously = &previous{}
	default:
		pr.New = &struct{}{}
	}
	if e.enc == nil {
		e.enc = xml.NewEncoder(&e.buf)
		e.enc.Indent("  ", "  ")
	}
	e.buf.Reset()
	if err := e.enc.Encode(pr); err != nil {
		panic(err) // strings only
	}
	// After its first element, the encoder begins each with a new line.
	return bytes.TrimPrefix(e.buf.Bytes(), []byte("\n"))
}

// GzipDefaultPast is the size past which Gzip uses gzip's default level,
// not its best: a large document (a busy station's guide or calendar is a
// hundred MB, and changes at every air time) in a third of the best's
// time, for about 6 % more bytes.
const GzipDefaultPast = 1 << 20

// Gzip is b gzipped, the same bytes every time (no name, no time), at the
// best level, or the default past GzipDefaultPast.
func Gzip(b []byte) []byte {
	var out bytes.Buffer
	zw := NewGzipWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// NewGzipWriter compresses what is written to it onto w as Gzip does (the
// same bytes), without holding more than GzipDefaultPast of it: until
// then it does not know its level. Close ends the stream (and does not
// close w).
func NewGzipWriter(w io.Writer) io.WriteCloser { return &gzipWriter{w: w} }

type gzipWriter struct {
	w   io.Writer
	buf []byte       // what came before the level was known
	zw  *gzip.Writer // once it is (past GzipDefaultPast)
}

func (g *gzipWriter) Write(p []byte) (int, error) {
	if g.zw != nil {
		return g.zw.Write(p)
	}
	g.buf = append(g.buf, p...)
	if len(g.buf) > GzipDefaultPast {
		g.zw, _ = gzip.NewWriterLevel(g.w, gzip.DefaultCompression)
		_, err := g.zw.Write(g.buf)
		g.buf = nil
		if err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (g *gzipWriter) Close() error {
	if g.zw == nil {
		g.zw, _ = gzip.NewWriterLevel(g.w, gzip.BestCompression)
		if _, err := g.zw.Write(g.buf); err != nil {
			return err
		}
		g.buf = nil
	}
	return g.zw.Close()
}

// M3U is the station's playlist: its stream, named and tied to the guide.
// Empty when the station has no stream.
func M3U(c Channel) []byte {
	if c.Stream == "" {
		return nil
	}
	q := func(s string) string { return strings.NewReplacer(`"`, "'", "\n", " ", "\r", " ").Replace(s) }
	var b bytes.Buffer
	fmt.Fprintf(&b, "#EXTM3U url-tvg=\"%s\" x-tvg-url=\"%s\"\n", q(c.GuideURL), q(c.GuideURL))
	fmt.Fprintf(&b, "#EXTINF:-1 tvg-id=\"%s\" tvg-name=\"%s\" group-title=\"Radio\" radio=\"true\",%s\n", q(c.ID), q(c.Name), q(c.Name))
	fmt.Fprintf(&b, "%s\n", c.Stream)
	return b.Bytes()
}
