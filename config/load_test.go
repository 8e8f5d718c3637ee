package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onair-radio/onair/scheduler"
)

const good = `station:
  name: Test Radio
  timezone: America/Chicago
shows:
  - id: prn
    title: News Hour
    slots:
      - kind: live
        cron: "0 13 * * SUN"
        duration: 1h
`

func TestLoadExample(t *testing.T) {
	cfg, err := Load("../config.example.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := cfg.Station
	if st.Name != "Progressive Radio Network" || st.Location.String() != "America/Chicago" || st.BaseURL != "http://localhost:8080" {
		t.Errorf("station = %q %s %q", st.Name, st.Location, st.BaseURL)
	}
	prn := st.Shows[0]
	if prn.ID != "prn" || len(prn.Slots) != 4 || prn.Slots[0].Kind != scheduler.Live || prn.Slots[1].Kind != scheduler.Rebroadcast {
		t.Fatalf("prn = %+v", prn)
	}
	if prn.Slots[0].Duration != time.Hour || prn.Slots[0].Rule.String() != "0 13 * * SUN" {
		t.Errorf("prn live slot = %+v", prn.Slots[0])
	}
	if len(prn.Skip) != 1 || prn.Skip[0] != scheduler.MustDate("2026-12-27") {
		t.Errorf("skip = %v", prn.Skip)
	}
	if len(prn.Exceptions) != 3 || !prn.Exceptions[0].Cancel || prn.Exceptions[1].Replay != "prn-2026-12-13" || prn.Exceptions[2].Duration != 90*time.Minute {
		t.Errorf("exceptions = %+v", prn.Exceptions)
	}
	if got := st.Shows[1].Slots[0].Rule.String(); got != "weekly SAT at 20:00, every 2 weeks from 2026-11-28" {
		t.Errorf("jazz rule = %q", got)
	}
	if got := st.Shows[2].Slots[0].Rule.String(); got != "monthly last FRI at 18:00" {
		t.Errorf("voices rule = %q", got)
	}
}

func TestPath(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "ONAIR_CONFIG" {
				return v
			}
			return ""
		}
	}
	tests := []struct{ flag, env, want string }{
		{"a.yaml", "b.yaml", "a.yaml"},
		{"", "b.yaml", "b.yaml"},
		{"", "", "onair.yaml"},
	}
	for _, tc := range tests {
		if got := Path(tc.flag, env(tc.env)); got != tc.want {
			t.Errorf("Path(%q) with $ONAIR_CONFIG=%q = %q, want %q", tc.flag, tc.env, got, tc.want)
		}
	}
}

func TestEnvironmentOverridesStation(t *testing.T) {
	vars := map[string]string{"ONAIR_STATION_BASE_URL": "https://radio.example.org/", "ONAIR_STATION_NAME": "Renamed Radio"}
	getenv := func(k string) string { return vars[k] }
	cfg, err := Parse("t.yaml", []byte(good), Options{Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Station.BaseURL != "https://radio.example.org" || cfg.Station.Name != "Renamed Radio" {
		t.Errorf("station = %q %q", cfg.Station.Name, cfg.Station.BaseURL)
	}
	vars["ONAIR_STATION_TIMEZONE"] = "Mars/Olympus"
	_, err = Parse("t.yaml", []byte(good), Options{Getenv: getenv})
	if want := `$ONAIR_STATION_TIMEZONE: station.timezone "Mars/Olympus": unknown time zone`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want it to start %q", err, want)
	}
}

// TestProcessEnvironmentIgnored: the process's environment reaches the
// configuration only through the getenv the command passes in.
func TestProcessEnvironmentIgnored(t *testing.T) {
	t.Setenv("ONAIR_STATION_NAME", "From The Process")
	t.Setenv("ONAIR_STATION_TIMEZONE", "Mars/Olympus")
	cfg, err := Parse("t.yaml", []byte(good), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Station.Name == "From The Process" {
		t.Errorf("the process environment reached the configuration: name %q", cfg.Station.Name)
	}
}

// TestBadInput has one case per class of mistake, each with the exact message
// a station's staff would read.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key, with suggestion", strings.Replace(good, "  timezone:", "  timezon:", 1),
			[]string{
				`t.yaml:3:3: station.timezon: unknown key (did you mean "timezone"?)`,
				`t.yaml:2:3: station.timezone: the station's time zone is required, such as America/Chicago`,
			}},
		{"unknown key, far from any", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    colour: red", 1),
			[]string{`t.yaml:7:5: shows[prn].colour: unknown key (known keys here: allow_overlap, author, category, copyright, description, episode_title, exceptions, explicit, guid, hosts, id, image, language, link, locked, numbering, owner, recordings, skip, slots, stream_url, timezone, title)`}},
		{"bad zone", strings.Replace(good, "America/Chicago", "America/Chicgo", 1),
			[]string{`t.yaml:3:13: station.timezone "America/Chicgo": unknown time zone (did you mean "America/Chicago"?); want an IANA name such as America/Chicago`}},
		{"a zone in the wrong case", strings.Replace(good, "America/Chicago", "utc", 1),
			[]string{`t.yaml:3:13: station.timezone "utc": unknown time zone (did you mean "UTC"?); want an IANA name such as America/Chicago`}},
		{"a key named as people say it", strings.Replace(good, "        duration: 1h", "        duration: 1h\n        time: \"13:00\"", 1),
			[]string{`t.yaml:11:9: shows[prn].slots[0].time: unknown key (did you mean "at"?)`}},
		{"bad cron", strings.Replace(good, "0 13 * * SUN", "0 25 * * SUN", 1),
			[]string{`t.yaml:9:15: shows[prn].slots[0].cron "0 25 * * SUN": end of range (25) above maximum (23): 25`}},
		{"cron day 7", strings.Replace(good, "0 13 * * SUN", "0 13 * * 7", 1),
			[]string{`t.yaml:9:15: shows[prn].slots[0].cron "0 13 * * 7": end of range (7) above maximum (6): 7 (day of week is 0-6 or SUN-SAT; Sunday is 0)`}},
		{"cron that panics robfig", strings.Replace(good, "0 13 * * SUN", "TZ=0", 1),
			[]string{`t.yaml:9:15: shows[prn].slots[0].cron "TZ=0": malformed expression: a TZ= or CRON_TZ= prefix needs a zone and then the fields, such as "CRON_TZ=America/Chicago 0 13 * * SUN"`}},
		{"cron too frequent", strings.Replace(good, "0 13 * * SUN", "*/5 * * * *", 1),
			[]string{`t.yaml:9:15: shows[prn].slots[0].cron "*/5 * * * *": the expression fires 288 times a day; a slot airs at most 96 times a day (every 15 minutes)`}},
		{"cron @every", strings.Replace(good, "0 13 * * SUN", "@every 1h", 1),
			[]string{`t.yaml:9:15: shows[prn].slots[0].cron "@every 1h": @every has no fixed air time; write the times, such as "0 */2 * * *" for every two hours`}},
		{"cron L", strings.Replace(good, "0 13 * * SUN", "0 13 L * *", 1),
			[]string{`t.yaml:9:15: shows[prn].slots[0].cron "0 13 L * *": failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax (cron has no L, W or #: for "the last Friday" or "the first Sunday" use monthly: [last FRI])`}},
		{"bare-number duration", strings.Replace(good, "duration: 1h", "duration: 300", 1),
			[]string{`t.yaml:10:19: shows[prn].slots[0].duration "300": a duration needs a unit, such as 60m, 1h or 1h30m`}},
		{"bad duration", strings.Replace(good, "duration: 1h", "duration: an hour", 1),
			[]string{`t.yaml:10:19: shows[prn].slots[0].duration "an hour": not a duration: want a number with a unit, such as 60m, 1h or 1h30m`}},
		{"negative duration", strings.Replace(good, "duration: 1h", "duration: -1h", 1),
			[]string{`t.yaml:10:19: shows[prn].slots[0].duration "-1h": a duration must be positive`}},
		{"missing duration", strings.Replace(good, "        duration: 1h\n", "", 1),
			[]string{`t.yaml:8:9: shows[prn].slots[0].duration: every slot needs a duration, such as 1h or 90m`}},
		{"bad date", strings.Replace(good, "    slots:", "    skip: [2026-02-30]\n    slots:", 1),
			[]string{`t.yaml:7:12: shows[prn].skip[0] "2026-02-30": not a date: want YYYY-MM-DD, such as 2026-12-27`}},
		{"duplicate id", good + "  - id: prn\n    title: Again\n    slots: [{kind: live, cron: \"0 9 * * MON\", duration: 1h}]\n",
			[]string{`t.yaml:11:9: shows[prn].id "prn": another show has this id (shows[0])`}},
		{"bad id", strings.Replace(good, "id: prn", "id: PRN News", 1),
			[]string{`t.yaml:5:9: shows[0].id "PRN News": an id is lowercase letters, digits and single '-' between them, at most 64 characters, such as prn or late-jazz`}},
		{"empty slots", strings.Replace(good, good[strings.Index(good, "    slots:"):], "    slots: []\n", 1),
			[]string{`t.yaml:7:12: shows[prn].slots: a show needs at least one slot (when it airs)`}},
		{"rebroadcast without live", strings.Replace(good, "kind: live", "kind: rebroadcast", 1),
			[]string{`t.yaml:8:15: shows[prn].slots[0].kind "rebroadcast": the show has no live slot for this rebroadcast to replay; add a live slot, make this one live, or name the show it replays (of: prn)`}},
		{"bad kind", strings.Replace(good, "kind: live", "kind: repeat", 1),
			[]string{`t.yaml:8:15: shows[prn].slots[0].kind "repeat": want live or rebroadcast`}},
		{"two recurrences", strings.Replace(good, "        duration: 1h", "        once: 2026-12-31 22:00\n        duration: 1h", 1),
			[]string{`t.yaml:10:15: shows[prn].slots[0].once: a slot takes one of cron, weekly, monthly or once; this one has cron and once`}},
		{"no recurrence", strings.Replace(good, "        cron: \"0 13 * * SUN\"\n", "", 1),
			[]string{`t.yaml:8:9: shows[prn].slots[0]: a slot needs one of cron, weekly, monthly or once to say when it airs`}},
		{"weekly without at", strings.Replace(good, `cron: "0 13 * * SUN"`, "weekly: [SUN]", 1),
			[]string{`t.yaml:8:9: shows[prn].slots[0].at: weekly needs at: the time of day it airs, such as "13:00"`}},
		{"every without anchor", strings.Replace(good, `cron: "0 13 * * SUN"`, "weekly: SUN\n        every: 2\n        at: \"13:00\"", 1),
			[]string{`t.yaml:8:9: shows[prn].slots[0].anchor: every 2 weeks needs an anchor: a date in a week the show airs, such as 2026-11-07`}},
		{"bad weekday", strings.Replace(good, `cron: "0 13 * * SUN"`, "weekly: [SUNDAY, Caturday]\n        at: \"13:00\"", 1),
			[]string{`t.yaml:9:26: shows[prn].slots[0].weekly[1] "Caturday": not a day of the week: want SUN, MON, TUE, WED, THU, FRI or SAT`}},
		{"bad monthly", strings.Replace(good, `cron: "0 13 * * SUN"`, "monthly: [sixth FRI]\n        at: \"13:00\"", 1),
			[]string{`t.yaml:9:19: shows[prn].slots[0].monthly[0] "sixth FRI": want an ordinal and a day, such as "first SUN", "3rd WED" or "last FRI" (first..fifth, or last)`}},
		{"bad time of day", strings.Replace(good, `cron: "0 13 * * SUN"`, "monthly: [last FRI]\n        at: 25:00", 1),
			[]string{`t.yaml:10:13: shows[prn].slots[0].at "25:00": not a time of day: want HH:MM (24-hour), such as 13:00`}},
		{"season backwards", strings.Replace(good, "        duration: 1h", "        duration: 1h\n        from: 2027-01-01\n        until: 2026-01-01", 1),
			[]string{`t.yaml:12:16: shows[prn].slots[0].until "2026-01-01": until is before from (2027-01-01)`}},
		{"exception that changes nothing", good + "    exceptions:\n      - airing: 2026-12-27 13:00\n",
			[]string{`t.yaml:12:9: shows[prn].exceptions[0]: the exception changes nothing: set cancel, move_to, replay, duration or title`}},
		{"exception replay of another show", good + "    exceptions:\n      - airing: 2026-12-27 13:00\n        replay: jazz-2026-12-20\n",
			[]string{`t.yaml:13:17: shows[prn].exceptions[0].replay "jazz-2026-12-20": want an episode id of this show, such as prn-2026-11-29`}},
		{"wrong shape", strings.Replace(good, "    title: News Hour", "    title: [News, Hour]", 1),
			[]string{`t.yaml:6:12: shows[prn].title: want a single value, found a list`}},
		{"bad boolean", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    allow_overlap: yes", 1),
			[]string{`t.yaml:7:20: shows[prn].allow_overlap "yes": want true or false`}},
		{"key set twice", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    title: Again", 1),
			[]string{`t.yaml:7:5: shows[prn].title: set twice (first at line 6)`}},
		{"no shows", "station:\n  name: X\n  timezone: UTC\n",
			[]string{`t.yaml:1:1: shows: no shows: list at least one show under shows:`}},
		{"bad base_url", strings.Replace(good, "  timezone: America/Chicago", "  timezone: America/Chicago\n  base_url: localhost:8080", 1),
			[]string{`t.yaml:4:13: station.base_url "localhost:8080": want an absolute http or https URL with no query, such as https://radio.example.org`}},
		{"category not Apple's", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    category: News > Gardening", 1),
			[]string{`t.yaml:7:15: shows[prn].category "News > Gardening": not a subcategory of News in Apple's list: want one of Business News, Daily News, Entertainment News, News Commentary, Politics, Sports News, Tech News`}},
		{"bad numbering", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    numbering: roman", 1),
			[]string{`t.yaml:7:16: shows[prn].numbering "roman": want none, sequential or yearly`}},
		{"recordings without dir", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    recordings: {pattern: \"{date}.mp3\"}", 1),
			[]string{`t.yaml:7:17: shows[prn].recordings.dir: recordings needs dir: the directory holding the show's audio files`}},
		{"normalize not a boolean", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    recordings: {dir: a, normalize: loud}", 1),
			[]string{`t.yaml:7:37: shows[prn].recordings.normalize "loud": want true or false`}},
		{"notify: an endpoint that is not http", strings.Replace(good, "  timezone: America/Chicago\n", "  timezone: America/Chicago\n  notify: {websub: [\"ftp://hub.example/\"]}\n", 1),
			[]string{`t.yaml:4:21: station.notify.websub[0] "ftp://hub.example/": want an absolute http or https URL`}},
		{"notify: podping without a token, webhooks without a secret", strings.Replace(good, "  timezone: America/Chicago\n", "  timezone: America/Chicago\n  notify:\n    podping: {url: \"https://podping.cloud/\"}\n    webhooks: [\"https://x.example/h\"]\n", 1),
			[]string{`t.yaml:5:14: station.notify.podping.token: podping needs a token (from podping.org): token:, or $ONAIR_PODPING_TOKEN`,
				`t.yaml:5:5: station.notify.secret: webhooks are signed: set notify.secret, or $ONAIR_WEBHOOK_SECRET (a long random string the receivers share)`}},
		{"bad pattern", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    recordings: {dir: a, pattern: \"{show}.mp3\"}", 1),
			[]string{`t.yaml:7:35: shows[prn].recordings.pattern "{show}.mp3": a pattern needs {date} or {episode}, so that each file names its air date`}},
		{"locked without owner", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    locked: true", 1),
			[]string{`t.yaml:7:13: shows[prn].locked "true": a locked podcast needs an owner email (owner: {email: ...}, here or under station)`}},
		{"bad owner email", strings.Replace(good, "  timezone: America/Chicago", "  timezone: America/Chicago\n  owner: {name: Me, email: me at example}", 1),
			[]string{`t.yaml:4:28: station.owner.email "me at example": want an email address such as podcasts@example.org`}},
		{"an image file without recordings", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    image: cover.png", 1),
			[]string{`t.yaml:7:12: shows[prn].image "cover.png": want an http or https URL, or the name of a file in the show's recordings.dir (which it is served from, under media/prn/)`}},
		{"bad image URL", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    image: ftp://x/cover.png", 1),
			[]string{`t.yaml:7:12: shows[prn].image "ftp://x/cover.png": want an absolute http or https URL`}},
		{"an image file in a subdirectory", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    recordings: {dir: archive}\n    image: art/cover.png", 1),
			[]string{`t.yaml:8:12: shows[prn].image "art/cover.png": want a file directly in recordings.dir (no directories), such as cover.jpg`}},
		{"an image file that is not an image", strings.Replace(good, "    title: News Hour", "    title: News Hour\n    recordings: {dir: archive}\n    image: cover.gif", 1),
			[]string{`t.yaml:8:12: shows[prn].image "cover.gif": want a JPEG or PNG file (.jpg, .png), as Apple asks`}},
		{"invalid YAML", "station:\n  name: [unclosed\n",
			[]string{`t.yaml:2: not valid YAML: did not find expected ',' or ']'`}},
		{"not a mapping", "- just\n- a list\n",
			[]string{`t.yaml:1:1: want a mapping (key: value lines), found a list`}},
		{"empty file", "",
			[]string{`t.yaml: the file is empty`}},
		{"two documents", good + "---\nstation: {}\n",
			[]string{`t.yaml:11: a second YAML document (after ---): onair reads one`}},
		{"invalid YAML, scanner error", "a: 1\nb: 2\n  c: 3\n",
			[]string{`t.yaml:3: not valid YAML: mapping values are not allowed in this context`}},
		{"invalid YAML on the first line", "a: b: c\n",
			[]string{`t.yaml:1: not valid YAML: mapping values are not allowed in this context; a value that holds ": " needs quotes: a: "b: c"`}},
		{"an air chain's mistakes", "station:\n  name: T\n  timezone: UTC\n  playout:\n    liquidsoap: localhost\n    icecast: {host: h, port: 99999, password: p}\n    harbor: {mount: \"a b\"}\nshows: [{id: a, title: A, slots: [{kind: live, cron: \"0 1 * * *\", duration: 1h}]}]\n",
			[]string{
				`t.yaml:5:17: station.playout.liquidsoap "localhost": want host:port, such as 127.0.0.1:1234`,
				`t.yaml:6:30: station.playout.icecast.port "99999": want a port number from 1 to 65535`,
				`t.yaml:7:21: station.playout.harbor.mount "a b": want a mount name such as /air: letters, digits, '-', '_' or '.'`,
				`t.yaml:7:13: station.playout.harbor.password: playout needs harbor.password, which the studio's encoder sends (or $ONAIR_HARBOR_PASSWORD)`,
			}},
		{"air values Liquidsoap cannot take", "station:\n  name: \"T\\0\"\n  timezone: UTC\n  playout:\n    liquidsoap: \"local#host:1234\"\n    icecast: {host: h, password: \"p\\0#{x}\"}\n    harbor: {password: \"a\\nb\", bind: everywhere}\n    fallback: \"m\\x01\"\nshows: [{id: a, title: A, slots: [{kind: live, cron: \"0 1 * * *\", duration: 1h}]}]\n",
			[]string{
				`t.yaml:2:9: station.name "T\x00": a name with a control character ('\x00' at byte 1) cannot be published (XML, the air chain): remove it`,
				`t.yaml:5:17: station.playout.liquidsoap "local#host:1234": want host:port, such as 127.0.0.1:1234`,
				`t.yaml:6:34: station.playout.icecast.password "p\x00#{x}": a password with a control character ('\x00' at byte 1) cannot reach Liquidsoap as it is: remove it`,
				`t.yaml:7:24: station.playout.harbor.password "a\nb": a password with a control character ('\n' at byte 1) cannot reach Liquidsoap as it is: remove it`,
				`t.yaml:7:38: station.playout.harbor.bind "everywhere": want an IP address to listen on, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface, the default)`,
				`t.yaml:8:15: station.playout.fallback "m\x01": a path with a control character ('\x01' at byte 1) cannot reach Liquidsoap as it is: remove it`,
			}},
		{"a key that is no name", "station: {name: T, timezone: UTC, \"root:$6$secret-hash-marker\\e[2J\": 1}\n",
			[]string{`t.yaml:1:35: station."root:$6$secret-h" (and 14 bytes more): unknown key (known keys here: base_url, image, language, name, notify, owner, playout, schedule_days, skip, stream_url, timezone)`}},
		{"of: mistakes", "station: {name: T, timezone: UTC}\nshows:\n  - id: best\n    title: Best\n    slots:\n      - {kind: rebroadcast, of: nope, cron: \"0 1 * * *\", duration: 1h}\n      - {kind: live, of: best, cron: \"0 2 * * *\", duration: 1h}\n      - {kind: rebroadcast, of: r, cron: \"0 3 * * *\", duration: 1h}\n  - id: r\n    title: R\n    slots: [{kind: rebroadcast, of: best, cron: \"0 4 * * *\", duration: 1h}]\n",
			[]string{
				`t.yaml:6:33: shows[best].slots[0].of "nope": no show has this id`,
				`t.yaml:7:26: shows[best].slots[1].of "best": of goes with a rebroadcast: it names the show whose episodes it replays`,
				`t.yaml:8:33: shows[best].slots[2].of "r": that show has no live slot: it has no episodes to replay`,
			}},
		{"a title with a colon", "station: {name: T, timezone: UTC}\nshows:\n  - id: a\n    title: A: the show\n",
			[]string{`t.yaml:4: not valid YAML: mapping values are not allowed in this context; a value that holds ": " needs quotes: title: "A: the show"`}},
		{"a key indented one space short", "station: {name: T, timezone: UTC}\nshows:\n  - id: a\n    title: A\n   slots: []\n",
			[]string{`t.yaml:5: not valid YAML: did not find expected '-' indicator`}},
		{"an unclosed list", "station: {name: T, timezone: UTC}\nshows:\n  - id: a\n    title: A\n    slots: [{kind: live}\n",
			[]string{`t.yaml:5: not valid YAML: did not find expected ',' or ']'`}},
		{"binary garbage", "\x00\x01\x02\xff\xfe",
			[]string{`t.yaml:1: not valid YAML: control characters are not allowed`}},
		{"10 MB file", strings.Repeat("# padding\n", 1<<20),
			[]string{`t.yaml: the file is larger than 4 MiB; is it the right file?`}},
		{"alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
			"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nstation: {name: X, timezone: UTC}\nshows:\n  - id: x\n    title: X\n    skip: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
			[]string{`t.yaml:1:1: a: unknown key (known keys here: shows, station)`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.yaml), Options{})
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("err = %v (%T), want Errors", err, err)
			}
			got := strings.Split(err.Error(), "\n")
			for _, w := range tc.want {
				found := false
				for _, g := range got {
					found = found || g == w
				}
				if !found {
					t.Errorf("missing message\n  want %s\n  got  %s", w, strings.Join(got, "\n       "))
				}
			}
		})
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	bad := strings.NewReplacer("America/Chicago", "Nowhere/Land", "0 13 * * SUN", "0 13 * *", "duration: 1h", "duration: 5", "title: News Hour", "title: News Hour\n    skip: [someday]").Replace(good)
	_, err := Parse("t.yaml", []byte(bad), Options{})
	var es Errors
	if !errors.As(err, &es) || len(es) != 4 {
		t.Fatalf("got %d errors, want 4:\n%v", len(es), err)
	}
	for i := 1; i < len(es); i++ {
		if es[i].Line < es[i-1].Line {
			t.Errorf("errors not in file order: line %d after %d", es[i].Line, es[i-1].Line)
		}
	}
}

func TestMergeKeysAndAliases(t *testing.T) {
	y := `station: {name: X, timezone: UTC}
defaults: &hour
  duration: 1h
  kind: live
shows:
  - id: a
    title: A
    slots:
      - <<: *hour
        cron: "0 9 * * MON"
      - <<: *hour
        cron: "0 9 * * TUE"
        duration: 2h
`
	_, err := Parse("t.yaml", []byte(y), Options{})
	if err == nil || !strings.Contains(err.Error(), "defaults: unknown key") {
		t.Fatalf("want the unknown top-level key reported, got %v", err)
	}
	y = strings.Replace(y, "defaults: &hour\n  duration: 1h\n  kind: live\n", "", 1)
	y = strings.Replace(y, "      - <<: *hour\n        cron: \"0 9 * * MON\"", "      - &first\n        duration: 1h\n        kind: live\n        cron: \"0 9 * * MON\"", 1)
	y = strings.Replace(y, "<<: *hour", "<<: *first", 1)
	cfg, err := Parse("t.yaml", []byte(y), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sl := cfg.Station.Shows[0].Slots
	if len(sl) != 2 || sl[1].Duration != 2*time.Hour || sl[1].Kind != scheduler.Live || sl[1].Rule.String() != "0 9 * * TUE" {
		t.Errorf("slots = %+v", sl)
	}
}

func TestDeeplyNested(t *testing.T) {
	deep := "station:\n  name: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n"
	done := make(chan error, 1)
	go func() { _, err := Parse("t.yaml", []byte(deep), Options{}); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("deeply nested YAML accepted")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("deeply nested YAML: no answer within 10s")
	}
}

func TestLocate(t *testing.T) {
	cfg, err := Load("../config.example.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The lines where the example writes prn's second slot and third exception.
	data, _ := os.ReadFile("../config.example.yaml")
	lineOf := func(text string) int {
		for i, l := range strings.Split(string(data), "\n") {
			if strings.Contains(l, text) {
				return i + 1
			}
		}
		t.Fatalf("%q not in the example", text)
		return 0
	}
	tests := []struct {
		p    scheduler.Problem
		want string
	}{
		{scheduler.Problem{Show: "prn", Slot: 1, Exception: -1}, fmt.Sprintf("../config.example.yaml:%d:9: shows[prn].slots[1]", lineOf("- kind: rebroadcast"))},
		{scheduler.Problem{Show: "prn", Slot: -1, Exception: 2}, fmt.Sprintf("../config.example.yaml:%d:9: shows[prn].exceptions[2]", lineOf("- airing: 2027-01-17 13:00"))},
		{scheduler.Problem{Show: "nope", Slot: -1, Exception: -1}, "../config.example.yaml"},
	}
	for _, tc := range tests {
		if got := cfg.Locate(tc.p); got != tc.want {
			t.Errorf("Locate(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}

// FuzzParse feeds arbitrary bytes to the whole pipeline: it must never panic
// or hang, and a success must be a usable station.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/config/*.yaml")
	seeds = append(seeds, "../config.example.yaml")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(good))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("took %s: a configuration must never make onair hang", d)
			}
		}()
		cfg, err := Parse("fuzz.yaml", data, Options{})
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error of the wrong form: %v", err)
			}
			return
		}
		if cfg.Station.Location == nil || len(cfg.Station.Shows) == 0 {
			t.Fatalf("accepted a station with no zone or no shows")
		}
		s := cfg.Station.Schedule
		at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
		s.Next(at, 3)
		s.Check(at, at.Add(14*24*time.Hour))
	})
}

// TestExpansionBudget: what aliases and merge keys add is bounded, nested
// merges included, and what a file writes out is not.
func TestExpansionBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("x-l0: &l0 {k0: v, k1: v}\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "x-l%d: &l%d {<<: [*l%d, *l%d], k%d: v}\n", i, i, i-1, i-1, i)
	}
	b.WriteString("station: {<<: *l40, name: X, timezone: UTC}\nshows: [{id: a, title: A, slots: [{kind: live, cron: \"0 1 * * *\", duration: 1h}]}]\n")
	done := make(chan error, 1)
	start := time.Now()
	go func() { _, err := Parse("t.yaml", []byte(b.String()), Options{}); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "expand to more than 100000 values") {
			t.Errorf("nested merges: %v", err)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("nested merges took %s", took)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nested merges: no answer within 10s")
	}

	// A large station written out in full is no expansion.
	var big strings.Builder
	big.WriteString("station: {name: Big, timezone: UTC}\nshows:\n")
	for i := 0; i < 11112; i++ {
		fmt.Fprintf(&big, "  - {id: s%d, title: S, slots: [{kind: live, cron: \"0 1 * * *\", duration: 1h}]}\n", i)
	}
	cfg, err := Parse("big.yaml", []byte(big.String()), Options{})
	if err != nil {
		t.Fatalf("11,112 shows written out: %.300v", err)
	}
	if len(cfg.Station.Shows) != 11112 {
		t.Errorf("%d shows", len(cfg.Station.Shows))
	}
}

// TestErrorsListed: thousands of problems are counted, and the first few
// listed.
func TestErrorsListed(t *testing.T) {
	var b strings.Builder
	b.WriteString("station: {name: X, timezone: UTC}\nshows:\n")
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "  - {id: s%d, title: S, slots: [{kind: live, cron: \"0 25 * * *\", duration: 1h}]}\n", i)
	}
	_, err := Parse("t.yaml", []byte(b.String()), Options{})
	var es Errors
	if !errors.As(err, &es) || len(es) != 500 {
		t.Fatalf("want 500 problems, got %d: %v", len(es), err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != MaxShown+1 || lines[MaxShown] != "t.yaml: and 460 more problems, not listed; mend these first" {
		t.Errorf("%d lines, the last %q", len(lines), lines[len(lines)-1])
	}
}

// TestImageFile: a show's artwork may be a file of its recordings, served
// with them under media/<show>/.
func TestImageFile(t *testing.T) {
	y := strings.Replace(good, "    title: News Hour", "    title: News Hour\n    recordings: {dir: archive}\n    image: Cover Art.png", 1)
	cfg, err := Parse("/srv/onair/onair.yaml", []byte(y), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sh := cfg.Station.Show("prn")
	if sh.Podcast.ImageURL != "http://localhost:8080/media/prn/Cover%20Art.png" || sh.ImageFile != "/srv/onair/archive/Cover Art.png" {
		t.Errorf("image %q, file %q", sh.Podcast.ImageURL, sh.ImageFile)
	}
}

func TestRecordingsSettings(t *testing.T) {
	for _, tc := range []struct {
		recordings        string
		record, normalize bool
	}{
		{"{dir: a}", false, false},
		{"{dir: a, record: true}", true, false},
		{"{dir: a, record: true, normalize: true}", true, true},
	} {
		yaml := strings.Replace(good, "    title: News Hour", "    title: News Hour\n    stream_url: http://127.0.0.1:8000/air\n    recordings: "+tc.recordings, 1)
		cfg, err := Parse("t.yaml", []byte(yaml), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.recordings, err)
		}
		if set := cfg.Station.Shows[0]; set.Record != tc.record || set.Normalize != tc.normalize {
			t.Errorf("%s: record %v, normalize %v", tc.recordings, set.Record, set.Normalize)
		}
	}
}

// TestSecretsFillBlocks: a secret in the environment fills in the block
// the file has, and turns on none it lacks.
func TestSecretsFillBlocks(t *testing.T) {
	vars := map[string]string{"ONAIR_ICECAST_PASSWORD": "x", "ONAIR_HARBOR_PASSWORD": "y", "ONAIR_PODPING_TOKEN": "z", "ONAIR_WEBHOOK_SECRET": "w"}
	getenv := func(k string) string { return vars[k] }
	cfg, err := Parse("t.yaml", []byte(good), Options{Getenv: getenv})
	if err != nil {
		t.Fatalf("secrets in the environment of a station with no playout or notify: %v", err)
	}
	if cfg.Station.Playout != nil || cfg.Station.Notify != nil {
		t.Errorf("playout %+v, notify %+v", cfg.Station.Playout, cfg.Station.Notify)
	}
	blocks := strings.Replace(good, "  timezone: America/Chicago\n", `  timezone: America/Chicago
  playout: {liquidsoap: "127.0.0.1:1234", icecast: {host: 127.0.0.1}}
  notify:
    podping: {url: "https://podping.cloud/"}
    webhooks: ["https://station.example/hook"]
`, 1)
	cfg, err = Parse("t.yaml", []byte(blocks), Options{Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	st := cfg.Station
	if st.Playout.Icecast.Password != "x" || st.Playout.Harbor.Password != "y" || st.Notify.Podping.Token != "z" || st.Notify.WebhookSecret != "w" {
		t.Errorf("playout %+v, notify %+v %+v", st.Playout, st.Notify, st.Notify.Podping)
	}
}
