// Package testmedia makes small, valid media files for tests and for the
// example station's archive: silent MPEG-1 Layer III frames with an optional
// ID3v2 title, and an MPEG-4 audio file that carries only its duration.
// Nothing is downloaded; the bytes are the same on every run.
package testmedia

import (
	"bytes"
	"encoding/binary"
	"time"

	"github.com/abema/go-mp4"
)

// MP3 frame parameters: MPEG-1 Layer III, 32 kbit/s, 32 kHz, mono, no CRC.
// Each frame is 144 bytes and 1152 samples: 36 ms.
const (
	FrameBytes    = 144
	FrameDuration = 36 * time.Millisecond
)

var frameHeader = [4]byte{0xFF, 0xFB, 0x18, 0xC0}

// MP3 returns `frames` silent frames, behind an ID3v2.3 tag holding title
// when title is not empty.
func MP3(frames int, title string) []byte {
	var b bytes.Buffer
	if title != "" {
		b.Write(id3v2Title(title))
	}
	frame := make([]byte, FrameBytes)
	copy(frame, frameHeader[:])
	// The side information (17 bytes for mono) and main data stay zero: a
	// frame with no main data decodes to silence.
	for i := 0; i < frames; i++ {
		b.Write(frame)
	}
	return b.Bytes()
}

// FramesFor is the number of frames that last at least d.
func FramesFor(d time.Duration) int {
	return int((d + FrameDuration - 1) / FrameDuration)
}

// id3v2Title is an ID3v2.3 tag with one TIT2 (title) frame, in ISO-8859-1
// when it can be, else UTF-16 with a byte-order mark.
func id3v2Title(title string) []byte {
	var text []byte
	latin := true
	for _, r := range title {
		if r > 0xFF {
			latin = false
		}
	}
	if latin {
		text = append(text, 0)
		for _, r := range title {
			text = append(text, byte(r))
		}
	} else {
		text = append(text, 1, 0xFF, 0xFE)
		for _, r := range title {
			if r > 0xFFFF {
				r -= 0x10000
				text = binary.LittleEndian.AppendUint16(text, uint16(0xD800+(r>>10)))
				text = binary.LittleEndian.AppendUint16(text, uint16(0xDC00+(r&0x3FF)))
				continue
			}
			text = binary.LittleEndian.AppendUint16(text, uint16(r))
		}
	}
	var frame bytes.Buffer
	frame.WriteString("TIT2")
	frame.Write(binary.BigEndian.AppendUint32(nil, uint32(len(text))))
	frame.Write([]byte{0, 0})
	frame.Write(text)
	var tag bytes.Buffer
	tag.WriteString("ID3")
	tag.Write([]byte{3, 0, 0})
	tag.Write(synchsafe(frame.Len()))
	tag.Write(frame.Bytes())
	return tag.Bytes()
}

func synchsafe(n int) []byte {
	return []byte{byte(n >> 21 & 0x7F), byte(n >> 14 & 0x7F), byte(n >> 7 & 0x7F), byte(n & 0x7F)}
}

// M4A returns an MPEG-4 audio file's boxes (ftyp, moov with mvhd) that give
// its duration, followed by an empty mdat. It is enough for a duration probe,
// not for a player.
func M4A(d time.Duration) []byte {
	var buf bytes.Buffer
	w := mp4.NewWriter(&seekBuffer{b: &buf})
	write := func(typ mp4.BoxType, box mp4.IBox) {
		if _, err := w.StartBox(&mp4.BoxInfo{Type: typ}); err != nil {
			panic(err)
		}
		if box != nil {
			if _, err := mp4.Marshal(w, box, mp4.Context{}); err != nil {
				panic(err)
			}
		}
	}
	end := func() {
		if _, err := w.EndBox(); err != nil {
			panic(err)
		}
	}
	write(mp4.BoxTypeFtyp(), &mp4.Ftyp{MajorBrand: [4]byte{'M', '4', 'A', ' '}, CompatibleBrands: []mp4.CompatibleBrandElem{{CompatibleBrand: [4]byte{'i', 's', 'o', 'm'}}}})
	end()
	write(mp4.BoxTypeMoov(), nil)
	write(mp4.BoxTypeMvhd(), &mp4.Mvhd{Timescale: 1000, DurationV0: uint32(d / time.Millisecond), Rate: 0x00010000, Volume: 0x0100, NextTrackID: 1})
	end()
	end()
	write(mp4.BoxTypeMdat(), &mp4.Mdat{})
	end()
	return buf.Bytes()
}

// seekBuffer is a bytes.Buffer that go-mp4's writer can seek back into to
// fill in box sizes.
type seekBuffer struct {
	b   *bytes.Buffer
	pos int64
}

func (s *seekBuffer) Write(p []byte) (int, error) {
	data := s.b.Bytes()
	n := copy(data[min(s.pos, int64(len(data))):], p)
	if n < len(p) {
		s.b.Write(p[n:])
	}
	s.pos += int64(len(p))
	return len(p), nil
}

func (s *seekBuffer) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case 0:
		s.pos = off
	case 1:
		s.pos += off
	case 2:
		s.pos = int64(s.b.Len()) + off
	}
	return s.pos, nil
}

// ADTS parameters: AAC LC, 44.1 kHz, stereo, no CRC. Each frame is
// ADTSFrameBytes bytes and 1024 samples.
const ADTSFrameBytes = 64

// ADTS returns `frames` AAC frames in ADTS headers, as an Icecast AAC mount
// serves them. Their payload is zeros: what a recorder and a muxer read is
// the headers.
func ADTS(frames int) []byte {
	const srIdx, channels, size = 4, 2, ADTSFrameBytes
	h := []byte{
		0xFF, 0xF1, // sync, MPEG-4, layer 0, no CRC
		1<<6 | srIdx<<2 | channels>>2,
		(channels&3)<<6 | byte(size>>11),
		byte(size >> 3),
		byte(size&7)<<5 | 0x1F,
		0xFC, // buffer fullness 0x7FF (variable), one raw data block
	}
	frame := make([]byte, size)
	copy(frame, h)
	var b bytes.Buffer
	for i := 0; i < frames; i++ {
		b.Write(frame)
	}
	return b.Bytes()
}
