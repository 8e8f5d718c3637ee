package archive

import (
	"bytes"
	"testing"
	"time"

	"github.com/abema/go-mp4"
	"github.com/onair-radio/onair/internal/testmedia"
)

// TestMP4DurationAgreesWithGoMP4 checks the small mvhd reader against
// abema/go-mp4's Probe.
func TestMP4DurationAgreesWithGoMP4(t *testing.T) {
	for _, d := range []time.Duration{time.Second, 90 * time.Second, 3600*time.Second + 500*time.Millisecond, 3 * time.Hour} {
		b := testmedia.M4A(d)
		got, err := mp4Duration(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		info, err := mp4.Probe(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		want := time.Duration(float64(info.Duration) / float64(info.Timescale) * float64(time.Second))
		if got != want || got != d {
			t.Errorf("%s: mp4Duration %s, go-mp4 %s", d, got, want)
		}
	}
	for _, bad := range [][]byte{nil, []byte("\x00\x00\x00\x08ftyp"), []byte("\x00\x00\x00\x10ftypM4A \x00\x00\x00\x00\x00\x00\x00\x09moov"), bytes.Repeat([]byte{0xff}, 64)} {
		if _, err := mp4Duration(bytes.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzMP4Duration(f *testing.F) {
	f.Add(testmedia.M4A(time.Minute))
	f.Fuzz(func(t *testing.T, b []byte) {
		mp4Duration(bytes.NewReader(b))
	})
}
