package config

import (
	"cmp"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/feeds"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// DefaultScheduleDays is how many days ahead schedule.json and the calendars reach.
const DefaultScheduleDays = 14

var languagePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`) })

// stationDefaults are the station keys that shows inherit.
type stationDefaults struct {
	baseURL, language, streamURL, image string
	owner                               feeds.Owner
	playout                             bool // the station has an air chain
	notify                              *station.Notify
}

func (v *validator) stationDefaults(p keyPath, rs *rawStation, baseURL string) stationDefaults {
	d := stationDefaults{baseURL: baseURL, language: "en"}
	if rs.Language != "" {
		if languagePattern().MatchString(rs.Language) {
			d.language = rs.Language
		} else {
			v.fail(p.key("language"), rs.Language, "want a language code such as en or en-US")
		}
	}
	d.streamURL = v.httpURL(p.key("stream_url"), rs.StreamURL)
	switch {
	case rs.Image == "":
	case !strings.Contains(rs.Image, ":"):
		// A path under base_url, such as media/prn/cover.png: it follows
		// base_url wherever the station is served.
		if clean := path.Clean("/" + rs.Image); clean != "/"+rs.Image {
			v.fail(p.key("image"), rs.Image, "want an http or https URL, or a path under base_url such as media/prn/cover.png (no leading /, no ..)")
		} else {
			d.image = baseURL + (&url.URL{Path: clean}).EscapedPath()
		}
	default:
		d.image = v.httpURL(p.key("image"), rs.Image)
	}
	d.owner = v.owner(p.key("owner"), rs.Owner)
	return d
}

func (v *validator) scheduleDays(p keyPath, s string) int {
	if s == "" {
		return DefaultScheduleDays
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 366 {
		v.fail(p, s, "want a whole number of days from 1 to 366")
		return DefaultScheduleDays
	}
	return n
}

// httpURL checks an optional absolute http(s) URL.
func (v *validator) httpURL(p keyPath, s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.fail(p, s, "want an absolute http or https URL")
		return ""
	}
	return s
}

func (v *validator) owner(p keyPath, ro rawOwner) feeds.Owner {
	if ro.Email != "" && (!strings.Contains(ro.Email, "@") || strings.ContainsAny(ro.Email, " <>")) {
		v.fail(p.key("email"), ro.Email, "want an email address such as podcasts@example.org")
		return feeds.Owner{}
	}
	if ro.Name != "" && ro.Email == "" {
		v.fail(p.key("email"), "", "an owner needs an email address (Apple writes to it)")
	}
	return feeds.Owner{Name: ro.Name, Email: ro.Email}
}

// podcast validates a show's podcast keys and its recordings.
func (v *validator) podcast(p keyPath, rs *rawShow, sh *scheduler.Show, d stationDefaults, configDir string) *station.Show {
	base := d.baseURL
	pod := feeds.Podcast{
		Show:         sh,
		FeedURL:      base + "/feeds/" + rs.ID + ".xml",
		Link:         base + "/shows/" + rs.ID + "/",
		ImageURL:     d.image,
		Language:     d.language,
		Copyright:    rs.Copyright,
		Author:       rs.Author,
		Owner:        d.owner,
		Explicit:     v.boolean(p.key("explicit"), rs.Explicit),
		Locked:       v.boolean(p.key("locked"), rs.Locked),
		GUID:         rs.GUID,
		StreamURL:    d.streamURL,
		StreamType:   "audio/mpeg",
		EpisodeTitle: rs.EpisodeTitle,
		Numbering:    feeds.NumberNone,
	}
	if n := d.notify; n != nil {
		pod.Hubs, pod.Podping = n.WebSub, n.Podping != nil
	}
	if rs.Link != "" {
		pod.Link = v.httpURL(p.key("link"), rs.Link)
	}
	artFile := ""
	if rs.Image != "" {
		if !strings.Contains(rs.Image, "://") && !strings.Contains(rs.Image, ":") {
			artFile = rs.Image // a file of the show's recordings, placed below
		} else {
			pod.ImageURL = v.httpURL(p.key("image"), rs.Image)
		}
	}
	if rs.Language != "" {
		if languagePattern().MatchString(rs.Language) {
			pod.Language = rs.Language
		} else {
			v.fail(p.key("language"), rs.Language, "want a language code such as en or en-US")
		}
	}
	if rs.Owner != (rawOwner{}) {
		pod.Owner = v.owner(p.key("owner"), rs.Owner)
	}
	if pod.Locked && pod.Owner.Email == "" {
		v.fail(p.key("locked"), rs.Locked, "a locked podcast needs an owner email (owner: {email: ...}, here or under station)")
	}
	if rs.StreamURL != "" {
		pod.StreamURL = v.httpURL(p.key("stream_url"), rs.StreamURL)
	}
	if rs.Category != "" {
		if c, err := feeds.ParseCategory(rs.Category); err != nil {
			v.fail(p.key("category"), rs.Category, "%v", err)
		} else {
			pod.Categories = []feeds.Category{c}
		}
	}
	switch rs.Numbering {
	case "", feeds.NumberNone:
	case feeds.NumberSequential, feeds.NumberYearly:
		pod.Numbering = rs.Numbering
	default:
		v.fail(p.key("numbering"), rs.Numbering, "want none, sequential or yearly")
	}
	if rs.GUID != "" {
		if u, err := uuid.Parse(rs.GUID); err != nil || u.String() != rs.GUID {
			v.fail(p.key("guid"), rs.GUID, "want a UUID in lowercase, such as the podcast:guid the feed had before")
		}
	}
	for i, h := range rs.Hosts {
		hp := p.key("hosts").item(i, "")
		if strings.TrimSpace(h.Name) == "" {
			v.fail(hp.key("name"), "", "a host needs a name")
			continue
		}
		pod.Hosts = append(pod.Hosts, archive.Person{Name: h.Name, Role: h.Role, Img: v.httpURL(hp.key("img"), h.Img), Href: v.httpURL(hp.key("href"), h.Href)})
	}
	// podcast:updateFrequency when the show has one recurring live slot.
	var rules []string
	for _, sl := range sh.Slots {
		if sl.Kind == scheduler.Live && sl.Rule != nil {
			if r, ok := scheduler.RRule(sl.Rule); ok {
				rules = append(rules, r)
			}
		}
	}
	if len(rules) == 1 {
		pod.UpdateFrequency = rules[0]
	}

	set := &station.Show{Show: sh, Podcast: pod}
	rr := rs.Recordings
	rp := p.key("recordings")
	if artFile != "" && rr.Dir == "" {
		v.fail(p.key("image"), rs.Image, "want an http or https URL, or the name of a file in the show's recordings.dir (which it is served from, under media/%s/)", rs.ID)
	}
	if rr == (rawRecordings{}) {
		return set
	}
	if rr.Dir == "" {
		v.fail(rp.key("dir"), "", "recordings needs dir: the directory holding the show's audio files")
		return set
	}
	dir := rr.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(configDir, dir)
	}
	pattern, err := archive.ParsePattern(cmp.Or(rr.Pattern, archive.DefaultPattern), rs.ID)
	if err != nil {
		v.fail(rp.key("pattern"), rr.Pattern, "%v", err)
		return set
	}
	mediaURL := base + "/media/" + rs.ID + "/"
	if rr.URL != "" {
		mediaURL = v.httpURL(rp.key("url"), rr.URL)
	}
	set.Recordings = &archive.Source{Show: rs.ID, Dir: dir, Pattern: pattern, URL: mediaURL}
	// Live airings are recorded from the show's stream where onair drives
	// the air chain, unless the show says not to; record: true records
	// without playout too.
	set.Record = d.playout
	if rr.Record != "" {
		set.Record = v.boolean(rp.key("record"), rr.Record)
	}
	if rr.Normalize != "" {
		set.Normalize = v.boolean(rp.key("normalize"), rr.Normalize)
	}
	if set.Record && set.Podcast.StreamURL == "" {
		if rr.Record != "" {
			v.fail(rp.key("record"), rr.Record, "recording needs a stream_url (the station's or the show's) to record from")
		}
		set.Record = false
	}
	if artFile != "" {
		switch ext := strings.ToLower(filepath.Ext(artFile)); {
		case strings.ContainsAny(artFile, `/\`) || strings.HasPrefix(artFile, "."):
			v.fail(p.key("image"), rs.Image, "want a file directly in recordings.dir (no directories), such as cover.jpg")
		case ext != ".jpg" && ext != ".jpeg" && ext != ".png":
			v.fail(p.key("image"), rs.Image, "want a JPEG or PNG file (.jpg, .png), as Apple asks")
		default:
			set.ImageFile = filepath.Join(dir, artFile)
			set.Podcast.ImageURL = strings.TrimRight(mediaURL, "/") + "/" + url.PathEscape(artFile)
		}
	}
	return set
}
