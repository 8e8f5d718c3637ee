// Package station is onair's one model of a station, as everything below
// the command line takes it: the schedule the engine answers questions
// from, each show with what it publishes (its podcast and its recordings),
// and the station's own settings (its zone, language, stream, how far ahead
// it publishes).
//
// The config package builds a Station from the YAML; nothing else reads the
// configuration. A Station is immutable once built: a service that reloads
// builds a new one and swaps it in, so identity says whether it changed.
package station

import (
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/scheduler"
)

// Station is a station and its shows.
type Station struct {
	Name     string
	Location *time.Location // the station's zone: its days, its week page
	BaseURL  string         // where its feeds and pages are served, without a trailing slash
	Language string         // the station's language (the pages'; a show's feed may have its own)
	// StreamURL is what listeners hear, the enclosure of a live item; empty when none.
	StreamURL string
	// ScheduleDays is how far ahead schedule.json and the calendars reach.
	ScheduleDays int
	// Skip lists the station's holidays: local dates on which no show's
	// scheduled airings air.
	Skip []scheduler.Date
	// Playout is the air chain onair drives; nil when it drives none.
	Playout *Playout
	// Notify is who is told when a feed changes or an airing starts; nil
	// when no one is.
	Notify *Notify
	// Shows are in the order the configuration lists them.
	Shows []*Show
	// Schedule is the engine's view of the shows, prepared once.
	Schedule *scheduler.Schedule

	byID map[string]*Show
}

// Show is a show of the station: its schedule (the engine's Show) and what
// it publishes.
type Show struct {
	*scheduler.Show
	Podcast    feeds.Podcast
	Recordings *archive.Source // nil when the show names no recordings directory
	// ImageFile is the show's artwork on disk, when it is a file of its
	// recordings directory (served under media/<show>/); "" otherwise.
	ImageFile string
	// Record says that onair records the station's stream during the
	// show's live airings into its recordings directory.
	Record bool
	// Normalize says that a recording's loudness is evened (to -16 LUFS)
	// when it is made.
	Normalize bool
}

// New prepares a station whose settings and shows are filled in: it builds
// the schedule from the shows and indexes them by id. zone is the station's
// own zone, the default of its shows.
func New(st *Station) *Station {
	shows := make([]*scheduler.Show, len(st.Shows))
	st.byID = make(map[string]*Show, len(st.Shows))
	for i, sh := range st.Shows {
		shows[i] = sh.Show
		st.byID[sh.ID] = sh
	}
	st.Schedule = scheduler.New(&scheduler.Station{Shows: shows, Skip: st.Skip})
	return st
}

// Show returns the show with the given id, or nil.
func (st *Station) Show(id string) *Show { return st.byID[id] }

// Days is ScheduleDays as a duration.
func (st *Station) Days() time.Duration { return time.Duration(st.ScheduleDays) * 24 * time.Hour }

// Playout is the station's air chain, which onair drives: its Liquidsoap
// (playout), the Icecast that Liquidsoap sends the air signal to, the
// harbor that the studio's encoder connects to, and what airs when nothing
// is scheduled.
type Playout struct {
	// Liquidsoap is the address of Liquidsoap's server (telnet), host:port.
	Liquidsoap string
	Icecast    Icecast
	Harbor     Harbor
	// Fallback is a file or a directory (played as a playlist) that airs
	// when no airing does; "" airs silence.
	Fallback string
}

// Notify is who onair tells of changes: Podping, WebSub hubs, the Podcast
// Index, and the station's own webhooks. Every URL is http or https.
type Notify struct {
	Podping       *Podping // nil: no Podping
	WebSub        []string // hubs
	PubNotify     string   // the Podcast Index's pubnotify URL; "" for none
	Webhooks      []string
	WebhookSecret string // signs the webhooks' bodies
}

// Podping is the Podping service and its token.
type Podping struct {
	URL, Token string
}

// Icecast is where Liquidsoap sends the air signal.
type Icecast struct {
	Host     string
	Port     int
	Mount    string // with its leading slash: /air
	Password string
}

// Harbor is Liquidsoap's input for the studio's encoder.
type Harbor struct {
	// Bind is the address the harbor listens on: every interface
	// (0.0.0.0) unless the station says otherwise, for studios connect
	// from elsewhere.
	Bind     string
	Port     int
	Mount    string // with its leading slash: /live
	Password string
}
