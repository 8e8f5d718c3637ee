package guide

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"io"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/onair-radio/onair/scheduler"
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

// TestProgrammes: a guide written from kept programmes is the guide
// written afresh, as its programmes change an hour at a time; it reads
// back as XMLTV with every value as it was given (quotes, markup and
// non-ASCII in titles and descriptions); the programmes the last guide
// did not list are forgotten.
func TestProgrammes(t *testing.T) {
	loc, _ := time.LoadLocation("America/Chicago")
	r, _, _ := scheduler.ParseCron("0 * * * *")
	sh := &scheduler.Show{ID: "q", Title: `A "quoted" <b>&amp;</b> show é ☃`, Location: loc,
		Slots: []scheduler.Slot{{Kind: scheduler.Live, Rule: r, Duration: 30 * time.Minute}}}
	sched := scheduler.New(&scheduler.Station{Shows: []*scheduler.Show{sh}})
	c := Channel{ID: "radio.example.org", Name: "R & <R>", URL: "https://radio.example.org/", Language: "en"}
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var ps Programmes
	for i := range 4 {
		var progs []Programme
		for _, a := range sched.Airings(at, at.Add(6*time.Hour)) {
			progs = append(progs, Programme{Airing: a, Description: "</desc> ]]> \"x\"", Categories: []string{"News & Politics"}, URL: "https://radio.example.org/shows/q/?a=1&b=2"})
		}
		got, want := ps.XMLTV(c, progs), XMLTV(c, progs)
		if !bytes.Equal(got, want) {
			t.Fatalf("guide %d differs from one written afresh:\n%s\nwant\n%s", i, got, want)
		}
		var doc tv
		if err := xml.Unmarshal(got, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Programmes) != 6 || doc.Programmes[0].Title.Value != sh.Title || doc.Programmes[0].Desc.Value != progs[0].Description || doc.Channels[0].Display.Value != c.Name {
			t.Errorf("guide %d reads back as %+v", i, doc)
		}
		if ps.parts.Len() != 6 {
			t.Errorf("guide %d: %d programmes kept, want its 6", i, ps.parts.Len())
		}
		at = at.Add(time.Hour)
	}
	if empty := XMLTV(c, nil); !bytes.HasSuffix(empty, []byte("</channel>\n</tv>\n")) {
		t.Errorf("a guide of no programmes:\n%s", empty)
	}
}

// TestGzipWriter: written in pieces of any size, the stream is Gzip's
// bytes (gzip's at the best level up to GzipDefaultPast, the default past
// it), and reads back as what was written.
func TestGzipWriter(t *testing.T) {
	for _, n := range []int{0, 100, GzipDefaultPast, GzipDefaultPast + 1, 3 * GzipDefaultPast} {
		in := make([]byte, n)
		for i := range in {
			const text = "onair schedule <programme> 0123456789\n"
			in[i] = text[i*7%len(text)] ^ byte(i>>13)
		}
		level := gzip.BestCompression
		if n > GzipDefaultPast {
			level = gzip.DefaultCompression
		}
		var ref bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&ref, level)
		zw.Write(in)
		zw.Close()
		want := ref.Bytes()
		if !bytes.Equal(Gzip(in), want) {
			t.Errorf("%d bytes: Gzip is not gzip at level %d", n, level)
		}
		for _, piece := range []int{1 << 20, 4099, 65536} {
			var out bytes.Buffer
			zw := NewGzipWriter(&out)
			for rest := in; len(rest) > 0; {
				k := min(piece, len(rest))
				if _, err := zw.Write(rest[:k]); err != nil {
					t.Fatal(err)
				}
				rest = rest[k:]
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("%d bytes in pieces of %d: not Gzip's bytes", n, piece)
			}
		}
		zr, err := gzip.NewReader(bytes.NewReader(want))
		if err != nil {
			t.Fatal(err)
		}
		back, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(back, in) {
			t.Errorf("%d bytes: read back %d (%v)", n, len(back), err)
		}
	}
}
