package archive

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/onair-radio/onair/scheduler"
)

// Stray is a file in a show's recordings directory that looks meant for
// the archive but is not published, and never will be as it is named.
type Stray struct {
	Path string
	// Part is set for a recording's .part: a recording being made, or one
	// that stopped before its airing ended (the service was down).
	Part bool
	// Want is the name the file would be published under, when that can
	// be told (a .part's own name; a date found in the name); "" if not.
	Want string
	Why  string
}

// strayAudio are the files a station might drop into an archive as audio.
var strayAudio = map[string]bool{".mp3": true, ".m4a": true, ".aac": true, ".mp4": true, ".ogg": true, ".opus": true, ".flac": true, ".wav": true}

// aDate finds a date in a file name, in the forms people write them.
var aDate = regexp.MustCompile(`(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})`)

// Strays lists the files of a show's directory that are not recordings
// but look meant to be: audio files the pattern does not match (files that
// nearly match are Scan's problems instead), .part files of recordings,
// and sidecars with no recording beside them. Other files (artwork,
// notes, transcripts) are the station's business. A directory that cannot
// be read has no strays: Scan reports it.
func Strays(src Source) []Stray {
	entries, err := os.ReadDir(src.Dir)
	if err != nil {
		return nil
	}
	bases := make(map[string]bool) // the names of the recordings, without their extension
	for _, e := range entries {
		if _, _, ok := src.Pattern.Match(e.Name()); ok {
			bases[strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))] = true
		}
	}
	var out []Stray
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || e.IsDir() {
			continue
		}
		path := filepath.Join(src.Dir, name)
		ext := strings.ToLower(filepath.Ext(name))
		switch {
		case ext == ".part":
			rec := strings.TrimSuffix(name, filepath.Ext(name))
			if _, _, ok := src.Pattern.Match(rec); ok {
				out = append(out, Stray{Path: path, Part: true, Want: rec,
					Why: "a recording that has not finished: one being made now, or one stopped before its airing ended (onair serve was down); it is not published. When its airing is over, rename it to " + rec + " to publish what it holds, or delete it"})
			}
		case ext == ".yaml" || ext == ".yml":
			if base := strings.TrimSuffix(name, filepath.Ext(name)); !bases[base] {
				if _, _, _, err := scheduler.ParseEpisodeID(base); err == nil || aDate.MatchString(base) {
					out = append(out, Stray{Path: path, Why: "a sidecar with no recording beside it: it describes nothing; give it its recording's name, with .yaml for its extension"})
				}
			}
		case strayAudio[ext]:
			if _, _, ok := src.Pattern.Match(name); ok || src.Pattern.Near(name) != nil {
				continue
			}
			s := Stray{Path: path}
			if m := aDate.FindStringSubmatch(name); m != nil && (ext == ".mp3" || ext == ".m4a") {
				if d, err := scheduler.ParseDate(m[1] + "-" + m[2] + "-" + m[3]); err == nil {
					s.Want, _ = src.Pattern.Name(d, 1, ext[1:])
				}
			}
			switch {
			case ext != ".mp3" && ext != ".m4a":
				s.Why = fmt.Sprintf("not published: the feeds carry MP3 and M4A (AAC) recordings only; convert it (ffmpeg -i %s episode.m4a) and name it by the pattern %s", name, src.Pattern)
			case s.Want != "":
				s.Why = fmt.Sprintf("matches no recording name (the pattern is %s): not published; if it is the episode of that date, rename it to %s", src.Pattern, s.Want)
			default:
				s.Why = fmt.Sprintf("matches no recording name (the pattern is %s): not published; name it by its air date", src.Pattern)
			}
			out = append(out, s)
		}
	}
	return out
}
