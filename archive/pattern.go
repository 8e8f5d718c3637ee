package archive

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/onair-radio/onair/scheduler"
)

// DefaultPattern names recordings after their episode: prn-2026-11-29.mp3.
const DefaultPattern = "{episode}.{ext}"

// Extensions are the audio formats onair publishes, with their MIME types.
var Extensions = map[string]string{
	"mp3": "audio/mpeg",
	"m4a": "audio/x-m4a",
}

// Pattern is a recording file-name template. Placeholders: {show} (the show
// id), {date} (the local air date, YYYY-MM-DD), {n} (2, 3... for a second or
// third live episode on one date), {episode} ({show}-{date}, or with -{n}),
// {ext} (mp3 or m4a). It must hold {date} or {episode}.
type Pattern struct {
	text, show string
	re         *regexp.Regexp
	fold       *regexp.Regexp // re, ignoring case: for names that nearly match
}

// ParsePattern compiles a file-name template for one show.
func ParsePattern(text, show string) (*Pattern, error) {
	if strings.ContainsAny(text, `/\`) {
		return nil, errors.New("a pattern names files, not directories: no / in it")
	}
	if !strings.Contains(text, "{date}") && !strings.Contains(text, "{episode}") {
		return nil, errors.New("a pattern needs {date} or {episode}, so that each file names its air date")
	}
	var re strings.Builder
	re.WriteString("^")
	rest := text
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			re.WriteString(regexp.QuoteMeta(rest))
			break
		}
		re.WriteString(regexp.QuoteMeta(rest[:i]))
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed { in %q", text)
		}
		switch name := rest[i+1 : i+j]; name {
		case "show":
			re.WriteString(regexp.QuoteMeta(show))
		case "date":
			re.WriteString(`(?P<date>\d{4}-\d{2}-\d{2})`)
		case "n":
			re.WriteString(`(?P<n>[2-9]|[1-9]\d+)`)
		case "episode":
			// The episode id's shape; scheduler.ParseEpisodeID reads it.
			re.WriteString(`(?P<episode>` + regexp.QuoteMeta(show) + `-\d{4}-\d{2}-\d{2}(?:-[1-9]\d*)?)`)
		case "ext":
			re.WriteString(`(?P<ext>mp3|m4a)`)
		default:
			return nil, fmt.Errorf("unknown placeholder {%s}: want {show}, {date}, {n}, {episode} or {ext}", name)
		}
		rest = rest[i+j+1:]
	}
	re.WriteString("$")
	r, err := regexp.Compile(re.String())
	if err != nil {
		return nil, err
	}
	if strings.Count(re.String(), "?P<date>")+strings.Count(re.String(), "?P<episode>") > 1 {
		return nil, errors.New("{date} and {episode} both hold the date: use one")
	}
	return &Pattern{text: text, show: show, re: r, fold: regexp.MustCompile("(?i)" + re.String())}, nil
}

func (p *Pattern) String() string { return p.text }

// Name is the file name the pattern gives the nth live episode of date d
// (n from 1), in format ext (mp3, m4a): what a recorder names its file so
// that the archive finds it. Match reads it back.
func (p *Pattern) Name(d scheduler.Date, n int, ext string) (string, error) {
	var b strings.Builder
	rest := p.text
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		j := strings.IndexByte(rest[i:], '}')
		switch name := rest[i+1 : i+j]; name {
		case "show":
			b.WriteString(p.show)
		case "date":
			b.WriteString(d.String())
		case "n":
			if n < 2 {
				return "", fmt.Errorf("the pattern %s names only second and later episodes of a day ({n}); use {episode} to name every one", p.text)
			}
			b.WriteString(strconv.Itoa(n))
		case "episode":
			b.WriteString(scheduler.EpisodeID(p.show, d, n))
		case "ext":
			b.WriteString(ext)
		}
		rest = rest[i+j+1:]
	}
	return b.String(), nil
}

// Near explains why a name that Match refuses looks meant as a recording:
// it matches but for its case (PRN-2026-11-29.MP3), or names a date that
// does not exist (prn-2026-02-30.mp3). It is nil for any other name.
func (p *Pattern) Near(name string) error {
	switch {
	case p.re.MatchString(name):
		return fmt.Errorf("the name matches the pattern %s but holds no real date or episode number; rename it", p.text)
	case p.fold.MatchString(name):
		return fmt.Errorf("the name matches the pattern %s but for its case: rename it so that the case is the pattern's, and the extension lower case (mp3, m4a)", p.text)
	}
	return nil
}

// Match reads a file name: the episode's local date and its number on that
// date (1 when the name has none).
func (p *Pattern) Match(name string) (d scheduler.Date, n int, ok bool) {
	m := p.re.FindStringSubmatch(name)
	if m == nil {
		return d, 0, false
	}
	n = 1
	for i, g := range p.re.SubexpNames() {
		switch {
		case g == "date":
			var err error
			if d, err = scheduler.ParseDate(m[i]); err != nil {
				return d, 0, false
			}
		case g == "n" && m[i] != "":
			n, _ = strconv.Atoi(m[i])
		case g == "episode":
			show, date, num, err := scheduler.ParseEpisodeID(m[i])
			if err != nil || show != p.show {
				return d, 0, false
			}
			d, n = date, num
		}
	}
	return d, n, true
}
