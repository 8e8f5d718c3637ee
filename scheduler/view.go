package scheduler

import "time"

// AiringJSON is an airing as onair publishes it to scripts and websites
// (`onair next --json`, schedule.json). Its keys are a contract: add, never rename.
type AiringJSON struct {
	ID        string `json:"id"`
	Show      string `json:"show"`
	ShowTitle string `json:"show_title"`
	Kind      Kind   `json:"kind"`
	Title     string `json:"title"`
	Start     string `json:"start"` // RFC 3339, with the offset of Timezone
	End       string `json:"end"`
	Timezone  string `json:"timezone"`
	// Episode is a live airing's episode id, or the id a rebroadcast replays; null when none.
	Episode         *string `json:"episode"`
	DurationSeconds int64   `json:"duration_seconds"`
	// ScheduledStart is where the slot put a moved airing (local wall time in the slot's zone).
	ScheduledStart string `json:"scheduled_start,omitempty"`
	Moved          bool   `json:"moved,omitempty"`
	// Media is the URL of the recording the airing plays: the episode a
	// rebroadcast replays, or a live airing's own once recorded; null when
	// there is none (or none is known: the engine knows no recordings).
	Media *string `json:"media"`
}

// JSON renders the airing with its times in loc, or in its show's zone when loc is nil.
func (a Airing) JSON(loc *time.Location) AiringJSON {
	if loc == nil {
		loc = a.Show.Location
	}
	j := AiringJSON{
		ID: a.ID, Show: a.Show.ID, ShowTitle: a.Show.Title, Kind: a.Kind, Title: a.Title,
		Start: a.Start.In(loc).Format(time.RFC3339), End: a.End.In(loc).Format(time.RFC3339),
		Timezone: loc.String(), DurationSeconds: int64(a.Duration() / time.Second), Moved: a.Moved,
	}
	if a.Episode != "" {
		ep := a.Episode
		j.Episode = &ep
	}
	if a.Moved {
		j.ScheduledStart = a.Scheduled.String()
	}
	return j
}
