package archive

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/dhowden/tag"
	"github.com/hajimehoshi/go-mp3"
)

// Probe is what reading a recording's audio tells: its format, its length
// and its tags.
type Probe struct {
	Type     string        `json:"type"`     // MIME type
	Duration time.Duration `json:"duration"` // 0 when the audio does not say
	Title    string        `json:"title,omitempty"`
	Artist   string        `json:"artist,omitempty"`
	Comment  string        `json:"comment,omitempty"`
}

// errNotAudio says a file is neither MP3 nor MPEG-4 audio.
var errNotAudio = errors.New("not MP3 or MPEG-4 audio")

// ProbeFile reads a recording's format, duration and tags. MP3 duration is
// counted frame by frame (exact for VBR); MPEG-4 duration is the movie
// header's.
func ProbeFile(path string) (p Probe, err error) {
	f, err := os.Open(path)
	if err != nil {
		return p, err
	}
	defer f.Close()
	defer func() {
		// The decoders are not hardened against hostile input.
		if r := recover(); r != nil {
			p, err = Probe{}, fmt.Errorf("%w (the decoder failed: %v)", errNotAudio, r)
		}
	}()
	var head [12]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return p, errNotAudio
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return p, err
	}
	if string(head[4:8]) == "ftyp" {
		d, err := mp4Duration(f)
		if err != nil {
			return p, fmt.Errorf("%w: %v", errNotAudio, err)
		}
		p.Type = Extensions["m4a"]
		p.Duration = d
	} else {
		d, err := mp3.NewDecoder(f)
		if err != nil || d.SampleRate() == 0 || d.Length() <= 0 {
			return p, errNotAudio
		}
		p.Type = Extensions["mp3"]
		// The decoder's length is in bytes of 16-bit stereo samples.
		p.Duration = time.Duration(d.Length()/4) * time.Second / time.Duration(d.SampleRate())
	}
	if _, err := f.Seek(0, io.SeekStart); err == nil {
		if m, err := tag.ReadFrom(f); err == nil {
			p.Title, p.Artist, p.Comment = m.Title(), m.Artist(), m.Comment()
		}
	}
	return p, nil
}
