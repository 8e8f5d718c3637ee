package archive

import (
	"encoding/binary"
	"errors"
	"io"
	"time"
)

// mp4Duration reads an MPEG-4 file's duration from its movie header
// (moov/mvhd): the few boxes needed, by their sizes, without reading media
// data. (abema/go-mp4 does this too, and the tests check against it, but its
// box registry costs every onair command some 4 ms at start-up.)
func mp4Duration(r io.ReadSeeker) (time.Duration, error) {
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	moov, moovEnd, err := findBox(r, 0, end, "moov")
	if err != nil {
		return 0, err
	}
	mvhd, _, err := findBox(r, moov, moovEnd, "mvhd")
	if err != nil {
		return 0, err
	}
	if _, err := r.Seek(mvhd, io.SeekStart); err != nil {
		return 0, err
	}
	var head [4]byte // version and flags
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, err
	}
	var timescale uint32
	var duration uint64
	switch head[0] {
	case 0: // 32-bit creation and modification times, timescale, duration
		var b [16]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, err
		}
		timescale, duration = binary.BigEndian.Uint32(b[8:]), uint64(binary.BigEndian.Uint32(b[12:]))
	case 1: // 64-bit times, 32-bit timescale, 64-bit duration
		var b [28]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, err
		}
		timescale, duration = binary.BigEndian.Uint32(b[16:]), binary.BigEndian.Uint64(b[20:])
	default:
		return 0, errors.New("unknown mvhd version")
	}
	if timescale == 0 {
		return 0, errors.New("mvhd has no timescale")
	}
	if duration == ^uint64(0) || duration == uint64(^uint32(0)) && head[0] == 0 {
		return 0, nil // "unknown duration"
	}
	secs := float64(duration) / float64(timescale)
	if secs > 1e6 { // longer than eleven days: not a radio show's recording
		return 0, errors.New("implausible duration")
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// findBox finds the first box of type typ among the boxes in [from, to) and
// returns where its content starts and ends.
func findBox(r io.ReadSeeker, from, to int64, typ string) (start, end int64, err error) {
	for pos := from; pos+8 <= to; {
		if _, err := r.Seek(pos, io.SeekStart); err != nil {
			return 0, 0, err
		}
		var h [16]byte
		if _, err := io.ReadFull(r, h[:8]); err != nil {
			return 0, 0, err
		}
		size, header := int64(binary.BigEndian.Uint32(h[:4])), int64(8)
		switch size {
		case 0: // to the end of the enclosing box
			size = to - pos
		case 1: // a 64-bit size follows
			if _, err := io.ReadFull(r, h[8:16]); err != nil {
				return 0, 0, err
			}
			size, header = int64(binary.BigEndian.Uint64(h[8:16])), 16
		}
		if size < header || pos+size > to || size < 0 {
			return 0, 0, errors.New("malformed MPEG-4 box")
		}
		if string(h[4:8]) == typ {
			return pos + header, pos + size, nil
		}
		pos += size
	}
	return 0, 0, errors.New("no " + typ + " box")
}
