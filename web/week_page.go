package web

import "html/template"

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
// and to move the highlight as time passes. Times are Unix seconds.
type clientData struct {
	Zone    string         `json:"zone"`
	Days    int            `json:"days"`
	Airings []clientAiring `json:"airings"`
}

type clientAiring struct {
	ID     string `json:"id"`
	Show   string `json:"show"`
	Title  string `json:"title"`
	Kind   string `json:"kind"`
	Href   string `json:"href"`
	Stream string `json:"stream,omitempty"`
	Start  int64  `json:"start"`
	End    int64  `json:"end"`
}

func (r *renderer) clientData(as []airing) clientData {
	d := clientData{Zone: r.loc.String(), Days: Days, Airings: make([]clientAiring, len(as))}
	for i, a := range as {
		d.Airings[i] = clientAiring{a.ID, a.Show, a.Title, a.Kind, a.Href, a.Stream, a.Start.Unix(), a.End.Unix()}
	}
	return d
}

func (r *renderer) onAir(as []airing) onAir {
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

func (r *renderer) week() ([]byte, error) {
	st := r.in.Config.Station
	as := withRoot(r.around, "")
	p := weekPage{
		OnAir:    r.onAir(as),
		Grid:     layWeek(as, r.in.At, r.loc),
		Calendar: "calendar.ics",
		Webcal:   template.URL(Webcal(st.BaseURL + "/calendar.ics")),
		Data:     r.clientData(as),
	}
	for _, set := range r.in.Config.Shows {
		p.Shows = append(p.Shows, showLink{set.Podcast.Show.Title, "shows/" + set.Podcast.Show.ID + "/"})
	}
	return execute("week", page{Lang: r.lang, Title: st.Name + ": schedule", Station: st.Name, Class: "week", Body: p})
}

// embedPage is embed/now/index.html, a widget for other sites' sidebars.
type embedPage struct {
	OnAir onAir
	Data  clientData
}

func (r *renderer) embed() ([]byte, error) {
	st := r.in.Config.Station
	// All of the days around, so that a widget left open moves on.
	as := withRoot(r.around, "../../")
	p := embedPage{OnAir: r.onAir(as), Data: r.clientData(as)}
	return execute("embed", page{Lang: r.lang, Title: st.Name + ": on the air", Station: st.Name, Root: "../../", Class: "embed", Body: p})
}
