package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/onair-radio/onair/internal/suggest"
	"go.yaml.in/yaml/v3"
)

// Person is someone heard in a show: a host of the show, a guest of an episode.
type Person struct {
	Name string `yaml:"name"`
	Role string `yaml:"role"` // podcast:person roles: host, guest, ...
	Img  string `yaml:"img"`
	Href string `yaml:"href"`
}

// Sidecar is an episode's optional metadata, in a YAML file beside its
// recording with the same base name (prn-2026-11-29.yaml).
type Sidecar struct {
	Title          string   `yaml:"title"`
	Notes          string   `yaml:"notes"`           // show notes, plain text
	Explicit       *bool    `yaml:"explicit"`        // the show's setting when unset
	Image          string   `yaml:"image"`           // episode artwork URL
	Transcript     string   `yaml:"transcript"`      // URL of a transcript
	TranscriptType string   `yaml:"transcript_type"` // its MIME type; guessed from the URL when unset
	Chapters       string   `yaml:"chapters"`        // URL of a JSON chapters file
	Guests         []Person `yaml:"guests"`
	EpisodeType    string   `yaml:"episode_type"` // full (default), trailer or bonus
}

// maxSidecar bounds a sidecar's size: show notes, not a novel.
const maxSidecar = 256 << 10

// ParseSidecar reads a sidecar strictly: unknown keys are errors, with their line.
func ParseSidecar(r io.Reader) (*Sidecar, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSidecar+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSidecar {
		return nil, fmt.Errorf("larger than %d KiB", maxSidecar>>10)
	}
	var s Sidecar
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			msgs := make([]string, len(te.Errors))
			for i, m := range te.Errors {
				// "line 2: field colour not found in type archive.Sidecar"
				line, rest, _ := strings.Cut(m, ": ")
				if k, ok := strings.CutPrefix(rest, "field "); ok && strings.Contains(k, " not found in type ") {
					key := k[:strings.Index(k, " ")]
					m = line + ": unknown key " + suggest.Excerpt(key) + keyHint(key)
				} else {
					// "cannot unmarshal !!str `...`": the text is not
					// quoted, for it may be anything (a file behind a link).
					m = line + ": want key: value lines (a sidecar's keys, such as title: and notes:)"
				}
				msgs[i] = m
			}
			return nil, errors.New(strings.Join(msgs, "; "))
		}
		return nil, errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	switch s.EpisodeType {
	case "", "full", "trailer", "bonus":
	default:
		return nil, fmt.Errorf("episode_type %q: want full, trailer or bonus", s.EpisodeType)
	}
	links := []struct{ key, url string }{{"image", s.Image}, {"transcript", s.Transcript}, {"chapters", s.Chapters}}
	for i, g := range s.Guests {
		if strings.TrimSpace(g.Name) == "" {
			return nil, fmt.Errorf("guests[%d]: a guest needs a name", i)
		}
		links = append(links, struct{ key, url string }{fmt.Sprintf("guests[%d].img", i), g.Img}, struct{ key, url string }{fmt.Sprintf("guests[%d].href", i), g.Href})
	}
	// What reaches the feed and the pages as a link is a web address.
	for _, l := range links {
		if u, err := url.Parse(l.url); l.url != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			return nil, fmt.Errorf("%s %q: want an absolute http or https URL", l.key, l.url)
		}
	}
	return &s, nil
}

// sidecarKeys are the keys a sidecar may hold, for suggestions.
var sidecarKeys = []string{"title", "notes", "explicit", "image", "transcript", "transcript_type", "chapters", "guests", "episode_type", "name", "role", "img", "href"}

func keyHint(key string) string { return suggest.Hint(key, sidecarKeys) }
