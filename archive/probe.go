package archive

import (
	"bufio"
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
		// The decoder reads a byte at a time while it looks for a frame:
		// it reads through a buffer, must find the first frame within
		// maxJunk of the tags, and has probeTimeout for the whole file.
		r := newProbeReader(f, time.Now().Add(probeTimeout))
		if _, err := mp3.NewDecoder(io.LimitReader(r, mp3SearchLimit(head[:]))); err != nil {
			if errors.Is(err, errProbeSlow) {
				return p, err
			}
			return p, errNotAudio
		}
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return p, err
		}
		d, err := mp3.NewDecoder(r)
		if errors.Is(err, errProbeSlow) {
			return p, err
		}
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

// Bounds of an MP3 probe.
const (
	// maxJunk is how far past its tags an MP3 file's first frame may be.
	maxJunk = 1 << 20
	// probeTimeout is how long reading one file may take.
	probeTimeout = 30 * time.Second
)

var errProbeSlow = fmt.Errorf("%w: reading it took longer than %s", errNotAudio, probeTimeout)

// mp3SearchLimit is how many bytes of a file, whose first bytes are head,
// may come before its first MP3 frame: its ID3v2 tag and maxJunk.
func mp3SearchLimit(head []byte) int64 {
	n := int64(maxJunk)
	if len(head) >= 10 && string(head[:3]) == "ID3" {
		size := int64(head[6]&0x7f)<<21 | int64(head[7]&0x7f)<<14 | int64(head[8]&0x7f)<<7 | int64(head[9]&0x7f)
		n += 10 + size + 10 // the header, the tag, a footer
	}
	return n
}

// probeReader reads a file through a buffer, and fails once its deadline
// has passed. It seeks as the MP3 decoder needs.
type probeReader struct {
	f        *os.File
	br       *bufio.Reader
	off      int64 // the position the reader's user sees
	deadline time.Time
}

func newProbeReader(f *os.File, deadline time.Time) *probeReader {
	r := &probeReader{f: f, deadline: deadline}
	r.br = bufio.NewReaderSize(deadlineReader{r}, 64<<10)
	return r
}

// deadlineReader is the file, refusing reads past the deadline.
type deadlineReader struct{ r *probeReader }

func (d deadlineReader) Read(p []byte) (int, error) {
	if time.Now().After(d.r.deadline) {
		return 0, errProbeSlow
	}
	return d.r.f.Read(p)
}

func (r *probeReader) Read(p []byte) (int, error) {
	n, err := r.br.Read(p)
	r.off += int64(n)
	return n, err
}

func (r *probeReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		if offset == 0 {
			return r.off, nil
		}
		offset += r.off
	case io.SeekEnd:
		info, err := r.f.Stat()
		if err != nil {
			return 0, err
		}
		offset += info.Size()
	}
	n, err := r.f.Seek(offset, io.SeekStart)
	if err != nil {
		return 0, err
	}
	r.br.Reset(deadlineReader{r})
	r.off = n
	return n, nil
}
