package web

import (
	"bytes"
	"html/template"
	"io"
	"time"

	"github.com/onair-radio/onair/scheduler"
)

// weekPage is index.html: what is on the air, and the week at a glance.
type weekPage struct {
	OnAir    onAir
	Grid     grid
	Shows    []showLink
	Calendar string       // calendar.ics
	Webcal   template.URL // the same, to subscribe to
	Data     clientData
}

type showLink struct{ Title, Href string }

// onAir is what is on the air and what comes next.
type onAir struct{ Now, Next []airing }

// clientData is what the script needs to lay the week out in another zone
// and to move the highlight as time passes: what each show is, once, and
// each airing by reference to its show, its start in minutes after Base
// (Unix seconds) and its length in minutes. Until is when the data runs
// out: a page still open then reloads.
type clientData struct {
	Zone    string                `json:"zone"`
	Days    int                   `json:"days"`
	Base    int64                 `json:"base"`
	Until   int64                 `json:"until"`
	Stream  string                `json:"stream,omitempty"` // the live stream of shows that name none of their own
	Shows   map[string]clientShow `json:"shows"`
	Airings []clientAiring        `json:"airings"`
}

type clientShow struct {
	Title  string `json:"title"`
	Href   string `json:"href"`
	Stream string `json:"stream,omitempty"`
}

type clientAiring struct {
	ID    string `json:"id"`
	Show  string `json:"show"`
	Title string `json:"title,omitempty"` // when not the show's
	Live  bool   `json:"live,omitempty"`
	At    int64  `json:"at"`
	Len   int64  `json:"len"`
}

func (r *Renderer) clientData(as []airing, until time.Time) clientData {
	d := clientData{Zone: r.loc.String(), Days: Days, Until: until.Unix(), Shows: make(map[string]clientShow), Airings: make([]clientAiring, len(as))}
	if len(as) > 0 {
		d.Base = as[0].Start.Unix()
	}
	streams := make(map[string]int)
	for _, set := range r.st.Shows {
		streams[set.Podcast.StreamURL]++
	}
	for u, n := range streams {
		if n > streams[d.Stream] || n == streams[d.Stream] && u < d.Stream {
			d.Stream = u
		}
	}
	for i, a := range as {
		sh := r.st.Show(a.Show)
		if _, ok := d.Shows[a.Show]; !ok {
			cs := clientShow{Title: sh.Title, Href: a.Href}
			if sh.Podcast.StreamURL != d.Stream {
				cs.Stream = sh.Podcast.StreamURL
			}
			d.Shows[a.Show] = cs
		}
		ca := clientAiring{ID: a.ID, Show: a.Show, Live: a.Kind == "live", At: (a.Start.Unix() - d.Base) / 60, Len: int64(a.End.Sub(a.Start) / time.Minute)}
		if a.Title != sh.Title {
			ca.Title = a.Title
		}
		d.Airings[i] = ca
	}
	return d
}

func (r *Renderer) onAir(as []airing) onAir {
	var o onAir
	for _, a := range as {
		switch a.State {
		case "now":
			o.Now = append(o.Now, a)
		case "next":
			o.Next = append(o.Next, a)
		}
	}
	return o
}

// Week renders index.html, the week at a glance.
func (r *Renderer) Week() ([]byte, error) {
	var b bytes.Buffer
	if err := r.WriteWeek(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteWeek writes index.html to w as it renders it.
func (r *Renderer) WriteWeek(w io.Writer) error {
	st := r.st
	as := withRoot(r.around, "")
	p := weekPage{
		OnAir:    r.onAir(as),
		Grid:     layWeek(as, r.in.At, r.loc),
		Calendar: "calendar.ics",
		Webcal:   template.URL(Webcal(st.BaseURL + "/calendar.ics")),
		Data:     r.clientData(as, r.until),
	}
	for _, set := range st.Shows {
		p.Shows = append(p.Shows, showLink{set.Title, "shows/" + set.ID + "/"})
	}
	if r.in.Parts != nil {
		if err := r.in.Parts.fill(&p.Grid); err != nil {
			return err
		}
	}
	return executeTo(w, "week", page{Lang: st.Language, Title: st.Name + ": schedule", Station: st.Name, Class: "week", Body: p, LD: r.weekLD(as)})
}

// embedPage is embed/now/index.html, a widget for other sites' sidebars.
type embedPage struct {
	OnAir onAir
	Zone  string
	Data  clientData
}

// Embed renders embed/now/index.html, the widget.
func (r *Renderer) Embed() ([]byte, error) {
	st := r.st
	// What is on and what comes by the end of the day after tomorrow (a
	// day's boundary, so that the page changes only when NextChange says):
	// a widget left open reloads when they run out.
	var as []airing
	until := scheduler.Resolve(scheduler.DateTime{Date: dateOf(r.in.At.In(r.loc)).AddDays(3)}, r.loc)
	for _, a := range withRoot(r.around, "../../") {
		if a.End.After(r.in.At) && a.Start.Before(until) || a.State == "next" {
			as = append(as, a)
		}
	}
	p := embedPage{OnAir: r.onAir(as), Zone: r.loc.String(), Data: r.clientData(as, until)}
	return execute("embed", page{Lang: st.Language, Title: st.Name + ": on the air", Station: st.Name, Root: "../../", Class: "embed", Body: p})
}
