package notify

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// Event types. The webhook's JSON names them; they are a contract.
const (
	AiringStarted    = "airing.started"
	AiringEnded      = "airing.ended"
	EpisodePublished = "episode.published"
	FeedUpdated      = "feed.updated"
	// A recording that lacks part of its airing (published all the same),
	// or that failed (not published).
	RecordingPartial = "recording.partial"
	RecordingFailed  = "recording.failed"
)

// Podping reasons, for feed.updated.
const (
	ReasonLive    = "live"
	ReasonLiveEnd = "liveEnd"
	ReasonUpdate  = "update"
)

// Event is one thing that happened, told to every endpoint that wants its
// type. Its JSON is a webhook's body.
type Event struct {
	ID      string    `json:"id"` // unique, and the same however often it is planned
	Type    string    `json:"type"`
	At      time.Time `json:"at"`
	Station string    `json:"station"`
	Show    string    `json:"show"`
	Airing  string    `json:"airing,omitempty"`
	Episode string    `json:"episode,omitempty"`
	// Feed is the URL of the show's feed; Reason, for feed.updated, is
	// the Podping reason: live, liveEnd or update.
	Feed   string `json:"feed,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Recording is what became of the airing's recording, for recording.*.
	Recording *Recording `json:"recording,omitempty"`
}

// Recording is a recording's verdict, in a recording.* event.
type Recording struct {
	File    string  `json:"file"`
	Verdict string  `json:"verdict"`           // partial or failed
	Missing float64 `json:"missing,omitempty"` // seconds of the airing it lacks
	Error   string  `json:"error,omitempty"`
}

// State is what the notifications last knew of: when the site was last
// published, each feed's ETag, and each show's published episodes. It is
// kept with the outbox, so that a service that comes back tells only what
// changed while it was away.
type State struct {
	At       time.Time
	Feeds    map[string]string   // show id → its feed's ETag
	Episodes map[string][]string // show id → its published episodes, sorted
}

// same says a and b are one list (not merely equal ones): a show whose
// recordings did not change keeps its list from publish to publish.
func same(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// Published is what a publish put out, for Plan.
type Published struct {
	At       time.Time
	Feeds    map[string]string   // show id → its feed's ETag
	Episodes map[string][]string // show id → its published episodes, sorted
}

// Plan says what a publish changed since prev: the airings that started
// and ended, the feeds whose bytes changed (live when a live airing went
// on, liveEnd when it ended, else update), and the episodes that are new.
// It returns the events and the state to keep. A zero prev (a first start)
// tells nothing: it only learns the state.
//
// A service that was down: an airing that started while it was and is
// still on is told (started, live); one that started and ended while it
// was is not; one that was on when it went down and ended since is told
// ended.
func Plan(st *station.Station, prev State, now Published) ([]Event, State) {
	next := State(now)
	if prev.At.IsZero() || !now.At.After(prev.At) {
		if !prev.At.IsZero() {
			next.At = prev.At // the clock went back: keep the later instant
		}
		return nil, next
	}
	var out []Event
	feedURL := func(show string) string {
		if set := st.Show(show); set != nil {
			return set.Podcast.FeedURL
		}
		return ""
	}
	explained := make(map[string]bool) // feeds whose change a live or liveEnd tells
	sched := st.Schedule
	for _, a := range sched.Airings(prev.At.Add(-sched.MaxDuration()), now.At.Add(1)) {
		startedNow := a.Start.After(prev.At) && !a.Start.After(now.At)
		endedNow := a.End.After(prev.At) && !a.End.After(now.At)
		// An airing that started (or ended) since: its event, and for a
		// live one its feed's live item turning live (or ended).
		tell := func(typ, reason string, at time.Time) {
			e := Event{ID: typ + ":" + a.ID, Type: typ, At: at, Station: st.Name, Show: a.Show.ID, Airing: a.ID, Episode: a.Episode}
			out = append(out, e)
			if a.Kind == scheduler.Live {
				e.ID, e.Type, e.Feed, e.Reason = FeedUpdated+":"+a.Show.ID+":"+reason+":"+a.ID, FeedUpdated, feedURL(a.Show.ID), reason
				out = append(out, e)
				explained[a.Show.ID] = true
			}
		}
		switch {
		case startedNow && !endedNow:
			tell(AiringStarted, ReasonLive, a.Start)
		case endedNow && !startedNow:
			tell(AiringEnded, ReasonLiveEnd, a.End)
		}
	}
	for _, show := range slices.Sorted(maps.Keys(now.Feeds)) {
		etag := now.Feeds[show]
		if old, ok := prev.Feeds[show]; !ok || old == etag || explained[show] {
			continue // a new show's first feed is no change to tell
		}
		out = append(out, Event{
			ID: FeedUpdated + ":" + show + ":" + strconv.FormatInt(now.At.UnixMilli(), 10), Type: FeedUpdated, At: now.At,
			Station: st.Name, Show: show, Feed: feedURL(show), Reason: ReasonUpdate,
		})
	}
	for _, show := range slices.Sorted(maps.Keys(now.Episodes)) {
		old, ok := prev.Episodes[show]
		if !ok {
			continue // a show new to the state: its archive is no news
		}
		if same(old, now.Episodes[show]) {
			continue // the list a publish reused: nothing new in it
		}
		for _, ep := range now.Episodes[show] {
			if _, found := slices.BinarySearch(old, ep); !found {
				out = append(out, Event{ID: EpisodePublished + ":" + ep, Type: EpisodePublished, At: now.At, Station: st.Name, Show: show, Episode: ep, Feed: feedURL(show)})
			}
		}
	}
	return out, next
}
