package publish

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/onair-radio/onair/scheduler"
	"github.com/onair-radio/onair/station"
)

// scheduleParts keeps schedule.json's airings encoded, one at a time, so
// that a publish at the next air time encodes only the airings new to the
// window: each is its own key (the airing, whose show is the
// configuration's, the zone it is written in and the media it names), so
// a part kept is that airing's bytes. The parts the last publish did not
// use are forgotten. The zero value is ready.
type scheduleParts struct {
	now, last map[schedulePart][]byte
}

type schedulePart struct {
	airing scheduler.Airing
	loc    *time.Location
	media  string
}

// encode is NewScheduleJSON(st, at, to, days, airings, recs, nil).Encode(),
// reusing the parts it has; a nil scheduleParts keeps none (a document
// written once).
func (c *scheduleParts) encode(st *station.Station, at, to time.Time, days int, airings []scheduler.Airing, recs Recordings) []byte {
	if len(airings) == 0 {
		return NewScheduleJSON(st, at, to, days, nil, recs, nil).Encode()
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
	keep := c != nil
	if keep {
		c.last, c.now = c.now, make(map[schedulePart][]byte, len(airings))
	}
	out := bytes.NewBuffer(make([]byte, 0, len(doc)+len(airings)*256))
	out.Write(doc)
	out.WriteString("[\n")
	for i, a := range airings {
		k := schedulePart{airing: a}
		var r *string
		if a.Episode != "" {
			if rec := recs.Find(a.Episode); rec != nil {
				k.media, r = rec.URL, &rec.URL
			}
		}
		var b []byte
		ok := false
		if keep {
			b, ok = c.now[k]
		}
		if !ok {
			if keep {
				b, ok = c.last[k]
			}
			if !ok {
				j := a.JSON(nil)
				j.Media = r
				var err error
				if b, err = json.MarshalIndent(j, "    ", "  "); err != nil {
					panic(err) // strings and numbers only
				}
			}
			if keep {
				c.now[k] = b
			}
		}
		if i > 0 {
			out.WriteString(",\n")
		}
		out.WriteString("    ")
		out.Write(b)
	}
	out.WriteString("\n  ]\n}\n")
	return out.Bytes()
}
