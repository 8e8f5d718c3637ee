package web

import (
	"time"
)

// Schema.org JSON-LD, for search engines and assistants: a show page is a
// RadioSeries with a BroadcastEvent an upcoming airing, and the week page
// the station's BroadcastService with its week's BroadcastEvents. Every
// event is publishedOn the station's BroadcastService, named by @id.

type ldService struct {
	Type     string `json:"@type"`
	ID       string `json:"@id"`
	Name     string `json:"name,omitempty"`
	URL      string `json:"url,omitempty"`
	Display  string `json:"broadcastDisplayName,omitempty"`
	Timezone string `json:"broadcastTimezone,omitempty"`
}

// ldGraph is a page's JSON-LD: its nodes, the station's among them.
type ldGraph struct {
	Context string `json:"@context"`
	Graph   []any  `json:"@graph"`
}

type ldRef struct {
	ID string `json:"@id"`
}

type ldSeries struct {
	Type        string    `json:"@type"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	URL         string    `json:"url,omitempty"`
	Image       string    `json:"image,omitempty"`
	WebFeed     string    `json:"webFeed,omitempty"`
	Publication []ldEvent `json:"publication,omitempty"`
}

type ldEvent struct {
	Type        string    `json:"@type"`
	Name        string    `json:"name"`
	StartDate   string    `json:"startDate"`
	EndDate     string    `json:"endDate"`
	Live        bool      `json:"isLiveBroadcast"`
	PublishedOn any       `json:"publishedOn"`
	Work        *ldSeries `json:"workPerformed,omitempty"`
}

// service is the station as the events' publishedOn names it.
func (r *Renderer) service() ldService {
	st := r.st
	return ldService{Type: "BroadcastService", ID: st.BaseURL + "/#station", Name: st.Name, URL: st.BaseURL + "/", Display: st.Name, Timezone: st.Location.String()}
}

func (r *Renderer) event(a airing, loc *time.Location, work *ldSeries) ldEvent {
	return ldEvent{
		Type: "BroadcastEvent", Name: a.Title,
		StartDate: a.Start.In(loc).Format(time.RFC3339), EndDate: a.End.In(loc).Format(time.RFC3339),
		Live: a.Kind == "live", PublishedOn: ldRef{r.st.BaseURL + "/#station"}, Work: work,
	}
}

// showLD is a show page's JSON-LD: the show, its upcoming airings, and
// the station.
func (r *Renderer) showLD(p *showPage, image string) ldGraph {
	st := r.st
	series := ldSeries{Type: "RadioSeries", Name: p.Title, Description: p.Description,
		URL: st.BaseURL + "/shows/" + p.ID + "/", Image: image, WebFeed: p.FeedURL}
	for _, a := range p.Upcoming {
		series.Publication = append(series.Publication, r.event(a.airing, a.Start.Location(), nil))
	}
	return ldGraph{"https://schema.org", []any{series, r.service()}}
}

// LDHorizon is how far ahead the week page's JSON-LD lists airings (an
// airing enters it when its start is LDHorizon away): the
// show pages list each show's next ones, and a station on the air around
// the clock would double the page's weight with a week of them.
const LDHorizon = 24 * time.Hour

// weekLD is the week page's JSON-LD: the station, and its airings on the
// air or starting within LDHorizon (its end included), each with its show.
func (r *Renderer) weekLD(as []airing) ldGraph {
	g := ldGraph{"https://schema.org", []any{r.service()}}
	end := r.in.At.Add(LDHorizon)
	for _, a := range as {
		if !a.End.After(r.in.At) || a.Start.After(end) {
			continue
		}
		set := r.st.Show(a.Show)
		if set == nil {
			continue
		}
		work := &ldSeries{Type: "RadioSeries", Name: set.Title, URL: r.st.BaseURL + "/shows/" + a.Show + "/"}
		g.Graph = append(g.Graph, r.event(a, r.loc, work))
	}
	return g
}
