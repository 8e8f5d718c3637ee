// Package ready tells a station what Apple Podcasts and Spotify would
// reject before they reject it: artwork that is not a square of 1400 to
// 3000 pixels in JPEG or PNG and RGB, a show without an owner's email, a
// category or a language, enclosure URLs that repeat, and (online) media
// that does not answer HEAD or byte ranges.
package ready

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // artwork decoders: the formats Apple takes
	_ "image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onair-radio/onair/archive"
	"github.com/onair-radio/onair/station"
)

// Problem is one thing a directory would refuse: in which show ("" for
// every show: the station's), about which file (a path, or a URL), and
// the rule.
type Problem struct {
	Show string
	File string // "" when it is about the show's settings
	Rule string
}

// Artwork bounds, Apple's (Spotify's are within them).
const (
	minArt = 1400
	maxArt = 3000
)

// Check looks at what can be read on this machine: each show's settings,
// its artwork when it is a file of an archive, and its recordings' URLs.
// recs are each show's recordings, as publish reads them.
func Check(st *station.Station, recs map[string][]archive.Recording) []Problem {
	var out []Problem
	seen := make(map[string]string) // enclosure URL → the show and file that has it
	checked := make(map[string]string)
	// A rule no show meets is said once, for the station.
	noOwner, noCategory := true, true
	for _, set := range st.Shows {
		noOwner = noOwner && set.Podcast.Owner.Email == ""
		noCategory = noCategory && len(set.Podcast.Categories) == 0
	}
	if noOwner && len(st.Shows) > 1 {
		out = append(out, Problem{Rule: "no show has an owner email: Apple Podcasts writes to it to verify a show, and refuses a feed without one; set station.owner.email"})
	}
	if noCategory && len(st.Shows) > 1 {
		out = append(out, Problem{Rule: "no show has a category: Apple Podcasts and Spotify file a show by it, and refuse a feed without one; set category: (from Apple's list) for each show"})
	}
	for _, set := range st.Shows {
		pod := &set.Podcast
		add := func(file, rule string, args ...any) {
			out = append(out, Problem{Show: set.ID, File: file, Rule: fmt.Sprintf(rule, args...)})
		}
		if pod.Owner.Email == "" && (!noOwner || len(st.Shows) == 1) {
			add("", "no owner email (owner.email): Apple Podcasts writes to it to verify the show, and refuses a feed without one")
		}
		if len(pod.Categories) == 0 && (!noCategory || len(st.Shows) == 1) {
			add("", "no category (category:, from Apple's list): Apple Podcasts and Spotify file a show by it, and refuse a feed without one")
		}
		if pod.Language == "" {
			add("", "no language (language:): Apple Podcasts refuses a feed without one")
		}
		if file := localArtwork(st, set); file != "" {
			rule, done := checked[file]
			if !done {
				rule = artworkFile(file)
				checked[file] = rule
			}
			if rule != "" {
				add(file, "%s", rule)
			}
		}
		for _, r := range recs[set.ID] {
			if other, dup := seen[r.URL]; dup {
				add(r.Path, "its enclosure URL %s is also %s's: Apple Podcasts and Spotify take two episodes with one URL for one, and drop the other", r.URL, other)
				continue
			}
			seen[r.URL] = "show " + set.ID + "'s " + r.File
		}
	}
	return out
}

// localArtwork is the file on this machine a show's artwork URL serves:
// its image: file, or a URL under base_url/media/<show>/ of a show that
// has recordings there. "" when the artwork is elsewhere (or none).
func localArtwork(st *station.Station, set *station.Show) string {
	if set.ImageFile != "" {
		return set.ImageFile
	}
	rest, ok := strings.CutPrefix(set.Podcast.ImageURL, st.BaseURL+"/media/")
	if !ok {
		return ""
	}
	show, file, ok := strings.Cut(rest, "/")
	if src := st.Show(show); ok && src != nil && src.Recordings != nil && !strings.Contains(file, "/") {
		return filepath.Join(src.Recordings.Dir, file)
	}
	return ""
}

// artworkFile checks an artwork file; "" when Apple would take it.
func artworkFile(path string) string {
	if err := archive.Inside(filepath.Dir(path), path); errors.Is(err, archive.ErrOutside) {
		return fmt.Sprintf("the artwork is %v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("the artwork cannot be read: %v", err)
	}
	defer f.Close()
	return artwork(f)
}

// artwork checks artwork's bytes; "" when Apple would take them.
func artwork(r io.Reader) string {
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		return "the artwork is not a JPEG or PNG image (Apple Podcasts and Spotify take those only)"
	}
	var rules []string
	if format != "jpeg" && format != "png" {
		rules = append(rules, fmt.Sprintf("it is %s; want JPEG or PNG", strings.ToUpper(format)))
	}
	if cfg.Width != cfg.Height || cfg.Width < minArt || cfg.Width > maxArt {
		rules = append(rules, fmt.Sprintf("it is %d×%d pixels; want a square of %d to %d", cfg.Width, cfg.Height, minArt, maxArt))
	}
	switch cfg.ColorModel {
	case color.CMYKModel:
		rules = append(rules, "it is CMYK; want RGB")
	case color.GrayModel, color.Gray16Model:
		rules = append(rules, "it is grayscale; want RGB")
	}
	if len(rules) == 0 {
		return ""
	}
	return "Apple Podcasts and Spotify refuse this artwork: " + strings.Join(rules, "; ")
}

// Online checks, over the network, what only the served site can tell: that
// each show's newest recording answers HEAD with its length and a byte
// range with 206 (podcast apps seek, and Apple requires it), and that
// artwork served from elsewhere is what Check asks of a file. Each request
// has its own timeout; a site that cannot be reached is one problem.
func Online(ctx context.Context, st *station.Station, recs map[string][]archive.Recording, client *http.Client) []Problem {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	var out []Problem
	for _, set := range st.Shows {
		add := func(file, rule string, args ...any) {
			out = append(out, Problem{Show: set.ID, File: file, Rule: fmt.Sprintf(rule, args...)})
		}
		if rs := recs[set.ID]; len(rs) > 0 {
			r := rs[len(rs)-1]
			if rule := media(ctx, client, r.URL, r.Size); rule != "" {
				add(r.URL, "%s", rule)
			}
		}
		if u := set.Podcast.ImageURL; u != "" && localArtwork(st, set) == "" {
			if rule := artworkURL(ctx, client, u); rule != "" {
				add(u, "%s", rule)
			}
		}
	}
	return out
}

// media checks that url answers HEAD with size bytes, and a range.
func media(ctx context.Context, client *http.Client, url string, size int64) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return err.Error()
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Sprintf("media does not answer HEAD: %v", stripURL(err))
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("media answers HEAD with %s; want 200", resp.Status)
	}
	if resp.ContentLength != size {
		return fmt.Sprintf("media answers HEAD with a length of %d; the enclosure says %d (the file's)", resp.ContentLength, size)
	}
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Range", "bytes=0-1")
	resp, err = client.Do(req)
	if err != nil {
		return fmt.Sprintf("media does not answer a byte range: %v", stripURL(err))
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !strings.HasPrefix(resp.Header.Get("Content-Range"), "bytes 0-1/") {
		return fmt.Sprintf("media answers a byte range (Range: bytes=0-1) with %s; want 206 Partial Content: Apple Podcasts requires byte ranges", resp.Status)
	}
	return ""
}

// artworkURL fetches artwork and checks it.
func artworkURL(ctx context.Context, client *http.Client, url string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err.Error()
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Sprintf("the artwork cannot be fetched: %v", stripURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("the artwork answers %s", resp.Status)
	}
	return artwork(io.LimitReader(resp.Body, 32<<20))
}

// stripURL drops the URL an http error repeats: the problem names it.
func stripURL(err error) error {
	type unwrapper interface{ Unwrap() error }
	if u, ok := err.(unwrapper); ok && u.Unwrap() != nil && strings.Contains(err.Error(), "://") {
		return u.Unwrap()
	}
	return err
}
