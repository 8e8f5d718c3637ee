package guide

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

func TestChannelID(t *testing.T) {
	for _, tc := range []struct{ name, base, want string }{
		{"Progressive Radio", "https://radio.example.org", "radio.example.org"},
		{"Progressive Radio", "https://radio.example.org:8443/onair", "radio.example.org"},
		{"Progressive Radio", "http://localhost:8080", "progressive-radio.onair"},
		{"KXYZ 90.1 FM", "http://127.0.0.1:8080", "kxyz-90-1-fm.onair"},
		{"Радио", "http://[::1]:8080", "station.onair"},
	} {
		if got := ChannelID(tc.name, tc.base); got != tc.want {
			t.Errorf("ChannelID(%q, %q) = %q, want %q", tc.name, tc.base, got, tc.want)
		}
	}
}

func TestM3U(t *testing.T) {
	c := Channel{ID: "radio.example.org", Name: `The "Best" Radio`, Stream: "https://stream.example.org/air", GuideURL: "https://radio.example.org/xmltv.xml.gz"}
	want := `#EXTM3U url-tvg="https://radio.example.org/xmltv.xml.gz" x-tvg-url="https://radio.example.org/xmltv.xml.gz"
#EXTINF:-1 tvg-id="radio.example.org" tvg-name="The 'Best' Radio" group-title="Radio" radio="true",The 'Best' Radio
https://stream.example.org/air
`
	if got := string(M3U(c)); got != want {
		t.Errorf("M3U:\n%s\nwant\n%s", got, want)
	}
	c.Stream = ""
	if M3U(c) != nil {
		t.Error("a playlist of no stream")
	}
}

func TestGzipIsStable(t *testing.T) {
	b := XMLTV(Channel{ID: "x.onair", Name: "X"}, nil)
	if !bytes.Equal(Gzip(b), Gzip(b)) {
		t.Error("the same guide gzipped twice differs: an ETag would change at every publish")
	}
	zr, err := gzip.NewReader(bytes.NewReader(Gzip(b)))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, b) {
		t.Error("gunzipped, it is not the guide")
	}
}
