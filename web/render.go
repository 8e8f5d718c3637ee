package web

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/internal/sink"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// Input is what the pages are made of.
type Input struct {
	Station *station.Station
	// Episodes gives a show's most recent episodes, oldest first: at least
	// the last RecentEpisodes (the show page lists no more). It is called
	// only for the show pages rendered.
	Episodes func(show string) []feeds.Episode
	// EpisodeCounts are how many episodes each show has in all, when that is
	// more than Episodes holds.
	EpisodeCounts map[string]int
	// At is the instant the pages are true of: what is on air, what is next.
	At time.Time
	// Parts, when set, keeps the week's grid from one render to the next.
	Parts *Parts
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Assets are the files every page uses, by path under the site's root:
// each with a hash of its content in its name (assets/onair.1f2e3d4c5b.css),
// so that a new build of onair is a new name, and a browser or a CDN may
// keep each for good (Immutable). The map is the caller's; the bytes are
// shared (read once), not to be changed, so that a server sees the same
// slices from one publish to the next.
func Assets() map[string][]byte { return maps.Clone(assets().files) }

// AssetPath is the path under the site's root of the asset that is
// web/assets/name in the source ("onair.css").
func AssetPath(name string) string {
	p, ok := assets().paths[name]
	if !ok {
		panic("web: no asset " + name)
	}
	return p
}

// Immutable says whether the document at path (under the site's root)
// never changes under its name: an asset, whose name holds its hash.
func Immutable(path string) bool {
	_, ok := assets().files[path]
	return ok
}

var assets = sync.OnceValue(func() (a struct {
	files map[string][]byte // by hashed path
	paths map[string]string // hashed path by source name
}) {
	a.files, a.paths = make(map[string][]byte), make(map[string]string)
	fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		body, _ := assetFS.ReadFile(p)
		sum := sha256.Sum256(body)
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		a.files[hashed] = body
		a.paths[strings.TrimPrefix(p, "assets/")] = hashed
		return nil
	})
	return a
})

var pageTemplates = sync.OnceValue(func() map[string]*template.Template {
	funcs := template.FuncMap{
		"asset": AssetPath,
		"hm":    func(t time.Time) string { return t.Format("15:04") },
		"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"date":  func(t time.Time) string { return dayLabel(dateOf(t)) },
		"long":  func(t time.Time) string { return t.Format("Monday, January 2, 2006") },
		"zone":  func(t time.Time) string { return t.Format("MST") },
		// hmz is t's time, with its zone when the clocks change between
		// t and other (the airing's other end): "01:30 EDT".
		"hmz": func(t, other time.Time) string {
			if zonesDiffer(t, other) {
				return t.Format("15:04 MST")
			}
			return t.Format("15:04")
		},
		// sameZone is " CST" when both ends are in one offset, and ""
		// when hmz has already named each end's.
		"sameZone": func(s, e time.Time) string {
			if zonesDiffer(s, e) {
				return ""
			}
			return " " + s.Format("MST")
		},
	}
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
	out := make(map[string]*template.Template)
	for _, name := range []string{"week", "show", "embed"} {
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
	}
	return out
})

// zonesDiffer says whether the clocks changed between s and e.
func zonesDiffer(s, e time.Time) bool {
	_, so := s.Zone()
	_, eo := e.Zone()
	return so != eo
}

// page is what the layout needs of any page.
type page struct {
	Lang    string
	Title   string
	Station string
	Root    string // the way back to the site's root: "" or "../../"
	Class   string // the body's class
	Body    any
	LD      any // the page's schema.org JSON-LD; nil for none
}

// Home is the link to the week at a glance.
func (p page) Home() string { return cmp.Or(p.Root, "./") }

func execute(name string, p page) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := executeTo(&buf, name, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// executeTo writes the page to w as it renders it.
func executeTo(w io.Writer, name string, p page) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := pageTemplates()[name].ExecuteTemplate(bw, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// Render makes every page of the site, by path under the site's root
// (index.html, shows/prn/index.html, embed/now/index.html), and its assets.
func Render(in Input) (map[string][]byte, error) {
	return RenderWith(in, func(_ *station.Show, p *ShowPage) ([]byte, error) { return p.Render() })
}

// RenderWith is Render, with show rendering each show's page (or reusing
// one rendered before with the same key: see ShowPage.Key).
func RenderWith(in Input, show func(*station.Show, *ShowPage) ([]byte, error)) (map[string][]byte, error) {
	out := make(sink.Memory)
	if err := RenderTo(out, in, show); err != nil {
		return nil, err
	}
	return out, nil
}

// RenderTo is RenderWith, giving each page and asset to s as it is made:
// the week page, which on a busy station is tens of MB, is written as it
// is rendered.
func RenderTo(s sink.Sink, in Input, show func(*station.Show, *ShowPage) ([]byte, error)) error {
	for p, body := range assets().files {
		if err := s.Put(p, body); err != nil {
			return err
		}
	}
	r := NewRenderer(in)
	w, err := s.Create("index.html")
	if err != nil {
		return err
	}
	if err := r.WriteWeek(w); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	doc, err := r.Embed()
	if err != nil {
		return err
	}
	if err := s.Put("embed/now/index.html", doc); err != nil {
		return err
	}
	for _, set := range in.Station.Shows {
		doc, err := show(set, r.Show(set))
		if err != nil {
			return err
		}
		if err := s.Put(ShowPath(set.ID), doc); err != nil {
			return err
		}
	}
	return nil
}

// ShowPath is the path of a show's page under the site's root.
func ShowPath(id string) string { return "shows/" + id + "/index.html" }

// Pages lists the paths Render makes for st, assets aside.
func Pages(st *station.Station) []string {
	out := []string{"index.html", "embed/now/index.html"}
	for _, set := range st.Shows {
		out = append(out, ShowPath(set.ID))
	}
	return out
}

// Renderer renders the pages of one Input; it holds what several pages
// share.
type Renderer struct {
	in  Input
	st  *station.Station
	loc *time.Location
	// around is every airing from the day before today to the day after
	// the week, in any zone: what the script needs to lay the week out in
	// the viewer's zone and to move the highlight.
	around []airing
	// until is the end of around, where the week's data runs out.
	until time.Time
}

// NewRenderer prepares to render in's pages.
func NewRenderer(in Input) *Renderer {
	st := in.Station
	r := &Renderer{in: in, st: st, loc: st.Location}
	today := dateOf(in.At.In(r.loc))
	from := scheduler.Resolve(scheduler.DateTime{Date: today.AddDays(-1)}, r.loc)
	to := scheduler.Resolve(scheduler.DateTime{Date: today.AddDays(Days + 1)}, r.loc)
	r.until = to
	// Airings returns those starting in the window; one that started
	// before it may still be on the air.
	for _, a := range st.Schedule.Airings(from.Add(-st.Schedule.MaxDuration()), to) {
		if a.End.After(from) {
			r.around = append(r.around, r.airing(a, ""))
		}
	}
	mark(r.around, in.At)
	return r
}

// airing is a as pages show it, linking to its show's page from root.
func (r *Renderer) airing(a scheduler.Airing, root string) airing {
	v := airing{
		ID: a.ID, Show: a.Show.ID, Title: a.Title,
		Kind: "rebroadcast", Href: root + "shows/" + a.Show.ID + "/",
		Start: a.Start.In(r.loc), End: a.End.In(r.loc),
	}
	if a.Kind == scheduler.Live {
		v.Kind = "live"
		if set := r.st.Show(a.Show.ID); set != nil {
			v.Stream = set.Podcast.StreamURL
		}
	}
	return v
}

// withRoot is airings with links from a page at root.
func withRoot(as []airing, root string) []airing {
	out := make([]airing, len(as))
	for i, a := range as {
		a.Href = root + a.Href
		out[i] = a
	}
	return out
}
