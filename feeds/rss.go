package feeds

import (
	"encoding/xml"

	"github.com/eduncan911/podcast"
)

// The document's types. channel and item embed the library's own types and
// add what v1.4.2 lacks; a field declared here shadows the library's field
// of the same XML name (encoding/xml keeps the shallower one).

const (
	nsItunes  = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsPodcast = "https://podcastindex.org/namespace/1.0"
)

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Itunes  string   `xml:"xmlns:itunes,attr"`
	Atom    string   `xml:"xmlns:atom,attr"`
	Podcast string   `xml:"xmlns:podcast,attr"`
	Channel *channel
}

type channel struct {
	podcast.Podcast
	XMLName         xml.Name         `xml:"channel"`
	AtomLinks       []atomLink       `xml:"atom:link"` // self, then the WebSub hubs
	Podping         *podpingTag      `xml:"podcast:podping,omitempty"`
	IType           string           `xml:"itunes:type,omitempty"`
	GUID            string           `xml:"podcast:guid,omitempty"`
	Locked          *locked          `xml:"podcast:locked,omitempty"`
	Persons         []person         `xml:"podcast:person"`
	UpdateFrequency *updateFrequency `xml:"podcast:updateFrequency,omitempty"`
	LiveItems       []liveItem       `xml:"podcast:liveItem"`
	Items           []*item          `xml:"item"`
}

type item struct {
	*podcast.Item
	XMLName     xml.Name    `xml:"item"`
	GUID        guid        `xml:"guid"`
	EpisodeType string      `xml:"itunes:episodeType,omitempty"`
	Season      int         `xml:"itunes:season,omitempty"`
	Episode     int         `xml:"itunes:episode,omitempty"`
	PSeason     int         `xml:"podcast:season,omitempty"`
	PEpisode    int         `xml:"podcast:episode,omitempty"`
	Transcript  *transcript `xml:"podcast:transcript,omitempty"`
	Chapters    *chapters   `xml:"podcast:chapters,omitempty"`
	Persons     []person    `xml:"podcast:person"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type podpingTag struct {
	UsesPodping string `xml:"usesPodping,attr"`
}

// guid writes isPermaLink, which the library never does.
type guid struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type locked struct {
	Owner string `xml:"owner,attr,omitempty"`
	Value string `xml:",chardata"`
}

type person struct {
	Role  string `xml:"role,attr,omitempty"`
	Img   string `xml:"img,attr,omitempty"`
	Href  string `xml:"href,attr,omitempty"`
	Value string `xml:",chardata"`
}

type updateFrequency struct {
	RRule string `xml:"rrule,attr"`
	Value string `xml:",chardata"`
}

type transcript struct {
	URL  string `xml:"url,attr"`
	Type string `xml:"type,attr"`
}

type chapters struct {
	URL  string `xml:"url,attr"`
	Type string `xml:"type,attr"`
}

type liveItem struct {
	Status      string             `xml:"status,attr"`
	Start       string             `xml:"start,attr"`
	End         string             `xml:"end,attr,omitempty"`
	Title       string             `xml:"title"`
	Description string             `xml:"description,omitempty"`
	Link        string             `xml:"link,omitempty"`
	GUID        guid               `xml:"guid"`
	Enclosure   *podcast.Enclosure `xml:"enclosure,omitempty"`
	ContentLink *contentLink       `xml:"podcast:contentLink,omitempty"`
	Persons     []person           `xml:"podcast:person"`
}

type contentLink struct {
	Href  string `xml:"href,attr"`
	Value string `xml:",chardata"`
}
