package playout

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"strings"
	"time"
)

// Format is a stream's audio format, as the recorder writes it: MP3 frames,
// or AAC in ADTS frames (what Icecast serves as audio/aac), which a
// finished recording carries in an M4A file.
type Format struct {
	Name string // "MP3", "AAC"
	Ext  string // the extension of the published file: mp3, m4a
	// header reads a frame header at the start of b (which holds at least
	// headerLen bytes).
	header    func(b []byte) (frame, bool)
	headerLen int
}

// frame is what a frame header says.
type frame struct {
	size    int    // bytes, header included
	samples int    // per channel
	rate    int    // samples a second
	key     uint32 // the header fields a stream keeps from frame to frame
}

var (
	MP3 = Format{Name: "MP3", Ext: "mp3", header: mp3Header, headerLen: 4}
	AAC = Format{Name: "AAC", Ext: "m4a", header: adtsHeader, headerLen: 7}
)

// StreamFormat is the format of a stream of Content-Type ct.
func StreamFormat(ct string) (Format, error) {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(ct))
	}
	switch mt {
	case "audio/mpeg", "audio/mp3", "audio/mpeg3":
		return MP3, nil
	case "audio/aac", "audio/aacp", "audio/x-aac", "audio/x-hx-aac-adts":
		return AAC, nil
	}
	return Format{}, fmt.Errorf("the stream is %q: onair records MP3 (audio/mpeg) and AAC (audio/aac) streams; have Liquidsoap send one of those to this mount", ct)
}

// MPEG audio bit rates in kbit/s, by version group and layer.
var (
	mp3Rates1 = [3][16]int{ // MPEG-1: layer I, II, III
		{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0},
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0},
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
	}
	mp3Rates2 = [3][16]int{ // MPEG-2 and 2.5: layer I, II and III
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
	}
	mp3SampleRates = [4][3]int{ // by version bits: 2.5, reserved, 2, 1
		{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000},
	}
)

// mp3Header reads an MPEG audio frame header. Free-format frames (bit
// rate index 0) are refused: their length is not in the header.
func mp3Header(b []byte) (frame, bool) {
	if b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return frame{}, false
	}
	version := b[1] >> 3 & 3 // 0: 2.5, 1: reserved, 2: 2, 3: 1
	layer := 4 - int(b[1]>>1&3)
	rateIdx, srIdx, pad := b[2]>>4, b[2]>>2&3, int(b[2]>>1&1)
	if version == 1 || layer == 4 || rateIdx == 0 || rateIdx == 15 || srIdx == 3 {
		return frame{}, false
	}
	sr := mp3SampleRates[version][srIdx]
	var kbps, size, samples int
	if version == 3 {
		kbps = mp3Rates1[layer-1][rateIdx]
	} else {
		kbps = mp3Rates2[layer-1][rateIdx]
	}
	switch {
	case layer == 1:
		size, samples = (12*kbps*1000/sr+pad)*4, 384
	case layer == 3 && version != 3:
		size, samples = 72*kbps*1000/sr+pad, 576
	default:
		size, samples = 144*kbps*1000/sr+pad, 1152
	}
	// The version, layer and sample rate stay; the bit rate may vary (VBR).
	key := uint32(b[1]&0xFE)<<8 | uint32(b[2]&0x0C)
	return frame{size: size, samples: samples, rate: sr, key: key}, true
}

var adtsRates = [13]int{96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350}

// adtsHeader reads an ADTS frame header.
func adtsHeader(b []byte) (frame, bool) {
	if b[0] != 0xFF || b[1]&0xF6 != 0xF0 { // the sync word, and layer 0
		return frame{}, false
	}
	srIdx := b[2] >> 2 & 0xF
	if int(srIdx) >= len(adtsRates) {
		return frame{}, false
	}
	size := int(b[3]&3)<<11 | int(b[4])<<3 | int(b[5]>>5)
	hdr := 7
	if b[1]&1 == 0 {
		hdr = 9 // with a CRC
	}
	if size <= hdr {
		return frame{}, false
	}
	blocks := int(b[6]&3) + 1
	// The profile, sample rate and channels stay.
	key := uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]&0xC0)
	return frame{size: size, samples: 1024 * blocks, rate: adtsRates[srIdx], key: key}, true
}

// framer writes only whole frames of its format to w: it finds the
// stream's frames, and writes a frame only once the header of the frame
// after it has come, at the place the frame's length says and alike: a
// frame cut short by lost bytes is dropped, not written. A recording
// joined again after a drop thus never holds half a frame.
type framer struct {
	f   Format
	w   io.Writer
	buf []byte
	run bool   // the last frame written ends where buf starts
	key uint32 // the last frame's

	bytes, samples int64 // written
	rate           int
	// base is the input offset of buf[0]; end, of the end of the last
	// frame written.
	base, end int64
}

// maxSearch is how much of a stream is searched for its first frames before
// the bytes searched are dropped.
const maxSearch = 64 << 10

func (fr *framer) Write(p []byte) (int, error) {
	fr.buf = append(fr.buf, p...)
	if err := fr.frames(false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// frames writes the frames buf holds that are known whole: each followed
// by a frame like it, and, at the end of a connection (last), a whole last
// frame of a run.
func (fr *framer) frames(last bool) error {
	hl := fr.f.headerLen
	i, from := 0, -1 // frames from buf[from:i] are to be written
	write := func() error {
		if from >= 0 && i > from {
			if _, err := fr.w.Write(fr.buf[from:i]); err != nil {
				return &WriteError{err}
			}
			fr.bytes += int64(i - from)
			fr.end = fr.base + int64(i)
		}
		from = -1
		return nil
	}
	accept := func(h frame, next int) {
		if from < 0 {
			from = i
		}
		fr.samples += int64(h.samples)
		fr.rate, fr.key, fr.run = h.rate, h.key, true
		i = next
	}
	for len(fr.buf)-i >= hl {
		h, ok := fr.f.header(fr.buf[i:])
		if ok && fr.run && h.key != fr.key {
			ok = false
		}
		if !ok {
			if err := write(); err != nil {
				return err
			}
			fr.run = false
			i++
			continue
		}
		next := i + h.size
		if len(fr.buf)-next < hl {
			if last && fr.run && len(fr.buf) >= next {
				accept(h, next)
			}
			break // the frame, or the header after it, is to come
		}
		if n, ok := fr.f.header(fr.buf[next:]); !ok || n.key != h.key {
			// A false header, or a frame cut short by lost bytes.
			if err := write(); err != nil {
				return err
			}
			fr.run = false
			i++
			continue
		}
		accept(h, next)
	}
	if err := write(); err != nil {
		return err
	}
	// Keep what is not yet known whole, bounded while searching.
	if !fr.run && len(fr.buf)-i > maxSearch {
		i = len(fr.buf) - hl
	}
	fr.base += int64(i)
	fr.buf = append(fr.buf[:0], fr.buf[i:]...)
	return nil
}

// reset ends a connection: a whole last frame is written, and the rest
// dropped, as the next connection starts at any byte.
func (fr *framer) reset() error {
	err := fr.frames(true)
	fr.base += int64(len(fr.buf))
	fr.buf, fr.run = fr.buf[:0], false
	return err
}

// duration is how long the frames written last.
func (fr *framer) duration() time.Duration {
	if fr.rate == 0 {
		return 0
	}
	return time.Duration(fr.samples) * time.Second / time.Duration(fr.rate)
}

// wholeFrames reads a recording's .part and says where its last whole frame
// ends, and what its frames hold: a .part that a stopped service left may
// end in a frame half written.
func wholeFrames(path string, f Format) (fr framer, end int64, err error) {
	file, err := os.Open(path)
	if err != nil {
		return fr, 0, err
	}
	defer file.Close()
	fr = framer{f: f, w: io.Discard}
	if _, err := io.Copy(&fr, bufio.NewReaderSize(file, 256<<10)); err != nil {
		return fr, 0, err
	}
	if fr.bytes == 0 {
		if info, err := file.Stat(); err == nil && info.Size() > 0 {
			return fr, 0, errors.New("it holds no " + f.Name + " frames")
		}
	}
	if err := fr.reset(); err != nil {
		return fr, 0, err
	}
	end = fr.end
	fr.buf, fr.base, fr.end = nil, 0, 0
	return fr, end, nil
}
