package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zone data inside the binary, for hosts without /usr/share/zoneinfo

	"github.com/onair-radio/onair/internal/suggest"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// DefaultBaseURL is where feeds and pages are served when station.base_url is not set.
const DefaultBaseURL = "http://localhost:8080"

// MaxDuration is the longest a slot may last.
const MaxDuration = 7 * 24 * time.Hour

// The patterns are compiled when first used, not at every start of every
// command.
var idPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`) })

func validID(s string) bool { return len(s) <= 64 && idPattern().MatchString(s) }

// validator turns the decoded schema into the engine's types, collecting
// every problem with its position.
type validator struct {
	file    string
	pos     map[string]pos
	errs    Errors
	getenv  func(string) string
	baseURL string // base_url when none is set
}

// fail records a problem with the value at p. value is quoted in the message
// unless it is empty (a missing key).
func (v *validator) fail(p keyPath, value string, format string, args ...any) {
	e := &Error{File: v.file, Path: p.display, Value: value, HasVal: value != "", Msg: fmt.Sprintf(format, args...)}
	if env := envName(p.index); env != "" && v.getenv(env) != "" {
		e.File = "$" + env
	} else {
		// A missing key is reported where its parent starts.
		for ip := p.index; ; ip = parentPath(ip) {
			if at, ok := v.pos[ip]; ok {
				e.Line, e.Column = at.line, at.col
				break
			}
			if ip == "" {
				break
			}
		}
	}
	v.errs = append(v.errs, e)
}

func envName(index string) string {
	for _, k := range envKeys {
		if k.key == index {
			return k.env
		}
	}
	return ""
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func (v *validator) zone(p keyPath, name string) *time.Location {
	if name == "Local" || name == "" {
		v.fail(p, name, "want an IANA time zone such as America/Chicago")
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		v.fail(p, name, "unknown time zone%s; want an IANA name such as America/Chicago", suggest.Hint(name, KnownZones()))
		return nil
	}
	return loc
}

func (v *validator) config(raw *rawConfig, c *Config) {
	st, shows := v.station(raw)
	p := keyPath{}.key("station")
	st.ScheduleDays = v.scheduleDays(p.key("schedule_days"), raw.Station.ScheduleDays)
	d := v.stationDefaults(p, &raw.Station, st.BaseURL)
	st.Language, st.StreamURL = d.language, d.streamURL
	st.Playout = v.playout(p.key("playout"), &raw.Station.Playout, c.Dir)
	st.Notify = v.notify(p.key("notify"), &raw.Station.Notify)
	d.playout, d.notify = st.Playout != nil, st.Notify
	for i, s := range raw.Station.Skip {
		if d, err := scheduler.ParseDate(s); err != nil {
			v.fail(p.key("skip").item(i, ""), s, "%v", err)
		} else {
			st.Skip = append(st.Skip, d)
		}
	}
	for i, sh := range shows {
		label := ""
		if validID(sh.ID) {
			label = sh.ID
		}
		st.Shows = append(st.Shows, v.podcast(keyPath{}.key("shows").item(i, label), &raw.Shows[i], sh, d, c.Dir))
	}
	c.Station, c.BaseURLSet = st, raw.Station.BaseURL != ""
}

// station reads the station's own keys and its shows' schedules.
func (v *validator) station(raw *rawConfig) (*station.Station, []*scheduler.Show) {
	p := keyPath{}.key("station")
	st := &station.Station{Name: raw.Station.Name, BaseURL: raw.Station.BaseURL}
	if strings.TrimSpace(st.Name) == "" {
		v.fail(p.key("name"), "", "the station's name is required")
	} else if i := strings.IndexFunc(st.Name, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f }); i >= 0 {
		v.fail(p.key("name"), st.Name, "a name with a control character (%q at byte %d) cannot be published (XML, the air chain): remove it", st.Name[i], i)
	}
	if raw.Station.Timezone == "" {
		v.fail(p.key("timezone"), "", "the station's time zone is required, such as America/Chicago")
	} else {
		st.Location = v.zone(p.key("timezone"), raw.Station.Timezone)
	}
	if st.BaseURL == "" {
		st.BaseURL = v.baseURL
	} else if u, err := url.Parse(st.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		v.fail(p.key("base_url"), st.BaseURL, "want an absolute http or https URL with no query, such as https://radio.example.org")
	}
	st.BaseURL = strings.TrimRight(st.BaseURL, "/")

	sp := keyPath{}.key("shows")
	if len(raw.Shows) == 0 {
		v.fail(sp, "", "no shows: list at least one show under shows:")
	}
	ids := make(map[string]int)
	var shows []*scheduler.Show
	for i := range raw.Shows {
		rs := &raw.Shows[i]
		label := ""
		if validID(rs.ID) {
			label = rs.ID
		}
		sh := v.show(sp.item(i, label), rs, st.Location)
		if prev, dup := ids[rs.ID]; dup && rs.ID != "" {
			v.fail(sp.item(i, label).key("id"), rs.ID, "another show has this id (shows[%d])", prev)
		}
		ids[rs.ID] = i
		shows = append(shows, sh)
	}
	// A rebroadcast's of: names a show of the station with live airings.
	for i, sh := range shows {
		for j, sl := range sh.Slots {
			if sl.Of == "" {
				continue
			}
			k, ok := ids[sl.Of]
			switch {
			case !ok:
				v.fail(sp.item(i, sh.ID).key("slots").item(j, "").key("of"), sl.Of, "no show has this id%s", suggest.Hint(sl.Of, showIDs(shows)))
			case !shows[k].HasLive():
				v.fail(sp.item(i, sh.ID).key("slots").item(j, "").key("of"), sl.Of, "that show has no live slot: it has no episodes to replay")
			}
		}
	}
	return st, shows
}

func (v *validator) show(p keyPath, rs *rawShow, stationLoc *time.Location) *scheduler.Show {
	sh := &scheduler.Show{ID: rs.ID, Title: rs.Title, Description: rs.Description, Location: stationLoc}
	switch {
	case rs.ID == "":
		v.fail(p.key("id"), "", "every show needs an id (lowercase letters, digits and '-', such as prn)")
	case !validID(rs.ID):
		v.fail(p.key("id"), rs.ID, "an id is lowercase letters, digits and single '-' between them, at most 64 characters, such as prn or late-jazz")
	}
	if strings.TrimSpace(rs.Title) == "" {
		v.fail(p.key("title"), "", "every show needs a title")
	}
	if rs.Timezone != "" {
		sh.Location = v.zone(p.key("timezone"), rs.Timezone)
	}
	sh.AllowOverlap = v.boolean(p.key("allow_overlap"), rs.AllowOverlap)
	for i, s := range rs.Skip {
		if d, err := scheduler.ParseDate(s); err != nil {
			v.fail(p.key("skip").item(i, ""), s, "%v", err)
		} else {
			sh.Skip = append(sh.Skip, d)
		}
	}
	if len(rs.Slots) == 0 {
		v.fail(p.key("slots"), "", "a show needs at least one slot (when it airs)")
	}
	for i := range rs.Slots {
		sh.Slots = append(sh.Slots, v.slot(p.key("slots").item(i, ""), &rs.Slots[i]))
	}
	if !sh.HasLive() {
		for i, sl := range sh.Slots {
			if sl.Kind == scheduler.Rebroadcast && sl.Of == "" {
				v.fail(p.key("slots").item(i, "").key("kind"), "rebroadcast", "the show has no live slot for this rebroadcast to replay; add a live slot, make this one live, or name the show it replays (of: prn)")
				break
			}
		}
	}
	replays := []string{rs.ID} // the shows whose episodes the show's rebroadcasts replay
	for _, sl := range sh.Slots {
		if sl.Of != "" {
			replays = append(replays, sl.Of)
		}
	}
	for i := range rs.Exceptions {
		if e, ok := v.exception(p.key("exceptions").item(i, ""), &rs.Exceptions[i], replays); ok {
			sh.Exceptions = append(sh.Exceptions, e)
		}
	}
	return sh
}

func (v *validator) boolean(p keyPath, s string) bool {
	switch s {
	case "", "false":
		return false
	case "true":
		return true
	}
	v.fail(p, s, "want true or false")
	return false
}

func (v *validator) slot(p keyPath, rs *rawSlot) scheduler.Slot {
	var sl scheduler.Slot
	switch rs.Kind {
	case "live", "rebroadcast":
		sl.Kind = scheduler.Kind(rs.Kind)
	case "":
		v.fail(p.key("kind"), "", "every slot needs a kind: live or rebroadcast")
	default:
		v.fail(p.key("kind"), rs.Kind, "want live or rebroadcast")
	}
	var set []string
	for _, r := range []struct {
		key string
		on  bool
	}{{"cron", rs.Cron != ""}, {"weekly", len(rs.Weekly) > 0}, {"monthly", len(rs.Monthly) > 0}, {"once", rs.Once != ""}} {
		if r.on {
			set = append(set, r.key)
		}
	}
	switch len(set) {
	case 0:
		v.fail(p, "", "a slot needs one of cron, weekly, monthly or once to say when it airs")
	case 1:
		sl.Rule, sl.Location = v.rule(p, rs, set[0])
	default:
		v.fail(p.key(set[1]), "", "a slot takes one of cron, weekly, monthly or once; this one has %s", strings.Join(set, " and "))
	}
	if set := len(set) == 1 && (set[0] == "cron" || set[0] == "once"); set && rs.At != "" {
		v.fail(p.key("at"), rs.At, "at goes with weekly or monthly; cron and once carry their own time of day")
	}
	if len(rs.Weekly) == 0 {
		if rs.Every != "" {
			v.fail(p.key("every"), rs.Every, "every goes with weekly")
		}
		if rs.Anchor != "" {
			v.fail(p.key("anchor"), rs.Anchor, "anchor goes with weekly")
		}
	}
	if rs.Duration == "" {
		v.fail(p.key("duration"), "", "every slot needs a duration, such as 1h or 90m")
	} else {
		sl.Duration = v.duration(p.key("duration"), rs.Duration)
	}
	sl.Title = rs.Title
	if rs.Of != "" {
		if sl.Kind != scheduler.Rebroadcast {
			v.fail(p.key("of"), rs.Of, "of goes with a rebroadcast: it names the show whose episodes it replays")
		} else {
			sl.Of = rs.Of
		}
	}
	sl.From = v.date(p.key("from"), rs.From)
	sl.Until = v.date(p.key("until"), rs.Until)
	if !sl.From.IsZero() && !sl.Until.IsZero() && sl.Until.Before(sl.From) {
		v.fail(p.key("until"), rs.Until, "until is before from (%s)", rs.From)
	}
	if rs.Once != "" && (rs.From != "" || rs.Until != "") {
		v.fail(p.key("once"), rs.Once, "a one-off slot takes no from or until")
	}
	return sl
}

// rule builds the slot's recurrence from the one key that sets it.
func (v *validator) rule(p keyPath, rs *rawSlot, key string) (scheduler.Rule, *time.Location) {
	var at scheduler.Clock
	if key == "weekly" || key == "monthly" {
		if rs.At == "" {
			v.fail(p.key("at"), "", "%s needs at: the time of day it airs, such as \"13:00\"", key)
		} else if c, err := scheduler.ParseClock(rs.At); err != nil {
			v.fail(p.key("at"), rs.At, "%v", err)
		} else {
			at = c
		}
	}
	switch key {
	case "cron":
		r, loc, err := scheduler.ParseCron(rs.Cron)
		if err != nil {
			v.fail(p.key("cron"), rs.Cron, "%v", err)
			return nil, nil
		}
		return r, loc
	case "weekly":
		var days []time.Weekday
		for i, s := range rs.Weekly {
			d, err := scheduler.ParseWeekday(s)
			if err != nil {
				v.fail(p.key("weekly").item(i, ""), s, "%v", err)
				continue
			}
			days = append(days, d)
		}
		every := 1
		if rs.Every != "" {
			n, err := strconv.Atoi(rs.Every)
			if err != nil || n < 1 || n > 520 {
				v.fail(p.key("every"), rs.Every, "want a whole number of weeks from 1 to 520")
				return nil, nil
			}
			every = n
		}
		anchor := v.date(p.key("anchor"), rs.Anchor)
		if every > 1 && rs.Anchor == "" {
			v.fail(p.key("anchor"), "", "every %d weeks needs an anchor: a date in a week the show airs, such as 2026-11-07", every)
			return nil, nil
		}
		r, err := scheduler.Weekly(days, at, every, anchor)
		if err != nil {
			return nil, nil // the days were reported above
		}
		return r, nil
	case "monthly":
		var on []scheduler.NthWeekday
		for i, s := range rs.Monthly {
			n, err := scheduler.ParseNthWeekday(s)
			if err != nil {
				v.fail(p.key("monthly").item(i, ""), s, "%v", err)
				continue
			}
			on = append(on, n)
		}
		r, err := scheduler.Monthly(on, at)
		if err != nil {
			return nil, nil
		}
		return r, nil
	default: // once
		dt, err := scheduler.ParseDateTime(rs.Once)
		if err != nil {
			v.fail(p.key("once"), rs.Once, "%v", err)
			return nil, nil
		}
		return scheduler.Once(dt), nil
	}
}

func (v *validator) date(p keyPath, s string) scheduler.Date {
	if s == "" {
		return scheduler.Date{}
	}
	d, err := scheduler.ParseDate(s)
	if err != nil {
		v.fail(p, s, "%v", err)
	}
	return d
}

// duration reads a Go duration with units. A bare number is refused: viper
// would read 300 as 300 nanoseconds.
func (v *validator) duration(p keyPath, s string) time.Duration {
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		v.fail(p, s, "a duration needs a unit, such as 60m, 1h or 1h30m")
		return 0
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		v.fail(p, s, "not a duration: want a number with a unit, such as 60m, 1h or 1h30m")
	case d <= 0:
		v.fail(p, s, "a duration must be positive")
	case d > MaxDuration:
		v.fail(p, s, "longer than %s", "168h (7 days)")
	case d%time.Second != 0:
		v.fail(p, s, "a duration is whole seconds")
	default:
		return d
	}
	return 0
}

func (v *validator) exception(p keyPath, re *rawException, replays []string) (scheduler.Exception, bool) {
	showID := replays[0]
	var e scheduler.Exception
	ok := true
	if re.Airing == "" {
		v.fail(p.key("airing"), "", "an exception needs airing: the scheduled local start it changes, such as \"2026-12-27 13:00\"")
		ok = false
	} else if dt, err := scheduler.ParseDateTime(re.Airing); err != nil {
		v.fail(p.key("airing"), re.Airing, "%v", err)
		ok = false
	} else {
		e.Airing = dt
	}
	e.Cancel = v.boolean(p.key("cancel"), re.Cancel)
	if re.MoveTo != "" {
		if dt, err := scheduler.ParseDateTime(re.MoveTo); err != nil {
			v.fail(p.key("move_to"), re.MoveTo, "%v", err)
		} else {
			e.MoveTo = &dt
		}
	}
	if re.Replay != "" {
		if show, _, _, err := scheduler.ParseEpisodeID(re.Replay); err != nil || !slices.Contains(replays, show) {
			v.fail(p.key("replay"), re.Replay, "want an episode id of this show, such as %s-2026-11-29", showID)
		} else {
			e.Replay = re.Replay
		}
	}
	if re.Duration != "" {
		e.Duration = v.duration(p.key("duration"), re.Duration)
	}
	e.Title = re.Title
	changes := re.MoveTo != "" || re.Replay != "" || re.Duration != "" || re.Title != ""
	switch {
	case e.Cancel && changes:
		v.fail(p.key("cancel"), re.Cancel, "a cancelled airing takes no move_to, replay, duration or title")
	case !e.Cancel && !changes:
		v.fail(p, "", "the exception changes nothing: set cancel, move_to, replay, duration or title")
	}
	return e, ok
}

func showIDs(shows []*scheduler.Show) []string {
	ids := make([]string, len(shows))
	for i, sh := range shows {
		ids[i] = sh.ID
	}
	return ids
}
