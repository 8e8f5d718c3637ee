package scheduler

import "time"

// Kind says whether a slot airs a show live or replays an archived episode.
type Kind string

const (
	Live        Kind = "live"
	Rebroadcast Kind = "rebroadcast"
)

// Station is what the engine knows of a station: its shows, in the order
// its configuration lists them. (The station's name, zone and settings are
// the station package's.)
type Station struct {
	Shows []*Show
	// Skip lists local dates (holidays) on which no show's scheduled
	// airings air, each read in the show's own zone, as the show's Skip.
	Skip []Date
}

// Show is a program with its recurring slots and its exceptions.
type Show struct {
	ID          string
	Title       string
	Description string
	Location    *time.Location // the show's zone; wall times of its slots are read here
	Slots       []Slot
	// Skip lists local dates on which none of the show's scheduled airings air.
	Skip []Date
	// Exceptions change single airings: cancel, move or pick what they replay.
	Exceptions []Exception
	// AllowOverlap lets this show's airings overlap others (a second stream).
	AllowOverlap bool
}

// Slot is one recurring (or one-off) place of a show in the schedule.
type Slot struct {
	Kind     Kind
	Rule     Rule
	Location *time.Location // nil: the show's zone (set by a CRON_TZ= prefix)
	Duration time.Duration
	Title    string // optional; the show's title otherwise
	// From and Until bound the slot to a season (local dates, inclusive; zero: open).
	From, Until Date
	// Of, for a rebroadcast, is the show whose episodes it replays ("best
	// of" shows); empty: its own show's.
	Of string
}

// Exception changes the airing scheduled at a wall-clock time in the show's zone.
type Exception struct {
	Airing   DateTime // the airing's scheduled local start
	Cancel   bool
	MoveTo   *DateTime     // new local start
	Replay   string        // for a rebroadcast: the episode id to replay instead
	Duration time.Duration // new length; zero keeps the slot's
	Title    string        // new title; empty keeps it
}

func (sh *Show) slotLocation(i int) *time.Location {
	if l := sh.Slots[i].Location; l != nil {
		return l
	}
	return sh.Location
}

// HasLive reports whether any of the show's slots is live.
func (sh *Show) HasLive() bool {
	for _, s := range sh.Slots {
		if s.Kind == Live {
			return true
		}
	}
	return false
}
