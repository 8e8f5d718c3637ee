package playout

import (
	"bytes"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/testmedia"
)

// whole checks that b is nothing but whole frames of f, and counts them.
func whole(t *testing.T, f Format, b []byte) int {
	t.Helper()
	n := 0
	for len(b) > 0 {
		if len(b) < f.headerLen {
			t.Fatalf("%d bytes of a header left", len(b))
		}
		h, ok := f.header(b)
		if !ok || h.size > len(b) {
			t.Fatalf("frame %d: header %x ok=%v size %d of %d left", n, b[:f.headerLen], ok, h.size, len(b))
		}
		b = b[h.size:]
		n++
	}
	return n
}

func TestFramer(t *testing.T) {
	mp3, adts := testmedia.MP3(20, ""), testmedia.ADTS(20)
	junk := []byte("ICY 200 OK junk \xff\xfb\x18\xc0 a false header, then")
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	tests := []struct {
		name   string
		f      Format
		writes [][]byte // a nil write is a new connection
		frames int
	}{
		{"mp3 whole", MP3, [][]byte{mp3}, 20},
		{"mp3 junk before", MP3, [][]byte{cat(junk, mp3)}, 20},
		{"mp3 joined mid-frame", MP3, [][]byte{mp3[50:]}, 19},
		{"mp3 dropped mid-frame, joined mid-frame", MP3, [][]byte{mp3[:1000], nil, mp3[70:]}, 1000/testmedia.FrameBytes + 19},
		{"mp3 a byte at a time", MP3, split(cat(junk, mp3), 1), 20},
		{"mp3 seven bytes at a time", MP3, split(mp3, 7), 20},
		{"mp3 bytes lost mid-stream", MP3, [][]byte{cat(mp3[:300], mp3[310:])}, 19},
		{"mp3 only junk", MP3, [][]byte{junk, bytes.Repeat([]byte{0xff}, 100)}, 0},
		{"aac whole", AAC, [][]byte{adts}, 20},
		{"aac joined mid-frame", AAC, [][]byte{cat(junk, adts[10:])}, 19},
		{"aac dropped and joined", AAC, [][]byte{adts[:200], nil, adts[30:]}, 200/testmedia.ADTSFrameBytes + 19},
		{"aac a byte at a time", AAC, split(adts, 1), 20},
		{"aac is not mp3", MP3, [][]byte{adts}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			fr := &framer{f: tc.f, w: &out}
			for _, w := range tc.writes {
				if w == nil {
					fr.reset()
					continue
				}
				if n, err := fr.Write(w); n != len(w) || err != nil {
					t.Fatalf("Write: %d, %v", n, err)
				}
			}
			fr.reset() // the end
			// Every frame is the stream's own (its frames are all alike):
			// none is cut short.
			want := testmedia.MP3(tc.frames, "")
			if tc.f.Ext == "m4a" {
				want = testmedia.ADTS(tc.frames)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("a frame not the stream's")
			}
			if n := whole(t, tc.f, out.Bytes()); n != tc.frames {
				t.Errorf("%d frames, want %d", n, tc.frames)
			}
			if fr.bytes != int64(out.Len()) {
				t.Errorf("counted %d bytes, wrote %d", fr.bytes, out.Len())
			}
		})
	}
}

func split(b []byte, n int) [][]byte {
	var out [][]byte
	for len(b) > n {
		out = append(out, b[:n])
		b = b[n:]
	}
	return append(out, b)
}

func TestFramerDuration(t *testing.T) {
	fr := &framer{f: MP3, w: &bytes.Buffer{}}
	fr.Write(testmedia.MP3(100, ""))
	fr.reset()
	if got := fr.duration(); got != 100*testmedia.FrameDuration {
		t.Errorf("MP3: %v", got)
	}
	fr = &framer{f: AAC, w: &bytes.Buffer{}}
	fr.Write(testmedia.ADTS(441))
	fr.reset()
	if got, want := fr.duration(), 441*1024*time.Second/44100; got != want {
		t.Errorf("AAC: %v, want %v", got, want)
	}
}

func TestStreamFormat(t *testing.T) {
	for ct, want := range map[string]string{"audio/mpeg": "mp3", "audio/mpeg; charset=x": "mp3", "AUDIO/AAC": "m4a", "audio/aacp": "m4a", "application/ogg": "", "": ""} {
		f, err := StreamFormat(ct)
		if f.Ext != want || (err != nil) != (want == "") {
			t.Errorf("StreamFormat(%q) = %q, %v", ct, f.Ext, err)
		}
	}
}

// FuzzFramer: whatever a stream sends, a recording holds whole frames.
func FuzzFramer(f *testing.F) {
	f.Add(testmedia.MP3(3, ""), 5, false)
	f.Add(testmedia.ADTS(3), 9, true)
	f.Add([]byte("\xff\xfb\x18\xc0\xff\xfb"), 1, false)
	f.Fuzz(func(t *testing.T, in []byte, chunk int, aac bool) {
		format := MP3
		if aac {
			format = AAC
		}
		if chunk < 1 {
			chunk = 1
		}
		var out bytes.Buffer
		fr := &framer{f: format, w: &out}
		for i, w := range split(in, chunk) {
			if i%5 == 4 {
				fr.reset()
			}
			fr.Write(w)
		}
		fr.reset()
		if fr.bytes != int64(out.Len()) {
			t.Fatalf("counted %d bytes, wrote %d", fr.bytes, out.Len())
		}
		whole(t, format, out.Bytes())
	})
}
