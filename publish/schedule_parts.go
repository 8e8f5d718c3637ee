package publish

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/onair-radio/onair/internal/keep"
	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// scheduleParts keeps schedule.json's airings encoded, one at a time, so
// that a publish at the next air time encodes only the airings new to the
// window: each is kept by the airing's ID and show (a configuration's
// shows are its own, an edit makes new ones, and in one configuration an
// airing's ID determines the airing) and the media it names, so a part
// kept is that airing's bytes. A nil
// scheduleParts keeps none (a document written once).
type scheduleParts = keep.Parts[schedulePart, []byte]

type schedulePart struct {
	id    string
	show  *scheduler.Show
	media string
}

// encodeSchedule is NewScheduleJSON(st, at, to, days, airings, recs,
// nil).Encode(), reusing the parts that c has.
func encodeSchedule(c *scheduleParts, st *station.Station, at, to time.Time, days int, airings []scheduler.Airing, recs Recordings) []byte {
	var b bytes.Buffer
	writeSchedule(&b, c, st, at, to, days, airings, recs) // a bytes.Buffer's writes do not fail
	return b.Bytes()
}

// writeSchedule writes encodeSchedule's bytes to w, holding no more of
// them than one airing's (and what c keeps); it returns w's first error.
func writeSchedule(w io.Writer, c *scheduleParts, st *station.Station, at, to time.Time, days int, airings []scheduler.Airing, recs Recordings) error {
	if len(airings) == 0 {
		_, err := w.Write(NewScheduleJSON(st, at, to, days, nil, recs, nil).Encode())
		return err
	}
	// The document around its airings: MarshalIndent's, with an empty
	// list whose brackets the parts go between.
	head := NewScheduleJSON(st, at, to, days, nil, recs, nil)
	head.Airings = []scheduler.AiringJSON{}
	doc := head.Encode()
	tail := []byte("[]\n}\n")
	if !bytes.HasSuffix(doc, tail) {
		panic("publish: schedule.json does not end with its airings")
	}
	doc = doc[:len(doc)-len(tail)]
	c.Turn()
	out := bufio.NewWriterSize(w, 64<<10)
	out.Write(doc)
	out.WriteString("[\n")
	for i, a := range airings {
		k := schedulePart{id: a.ID, show: a.Show}
		var media *string
		if a.Episode != "" {
			if rec := recs.Find(a.Episode); rec != nil {
				k.media, media = rec.URL, &rec.URL
			}
		}
		b := c.Get(k, func() []byte {
			j := a.JSON(nil)
			j.Media = media
			b, err := json.MarshalIndent(j, "    ", "  ")
			if err != nil {
				panic(err) // strings and numbers only
			}
			return b
		})
		if i > 0 {
			out.WriteString(",\n")
		}
		out.WriteString("    ")
		if _, err := out.Write(b); err != nil {
			return err
		}
	}
	out.WriteString("\n  ]\n}\n")
	return out.Flush()
}
