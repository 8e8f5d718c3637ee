package web

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/onair-radio/onair/internal/keep"
)

// Parts keeps the week page's grid rendered an airing at a time, by all
// that an airing's part of a day says (its times, title, link, state and
// place), so that the page at the next air time renders only the parts
// that changed: on a busy station the grid is most of a page of hundreds
// of thousands of airings. A part is its own key, so a part kept is the
// part's bytes whatever changed around it; a part the last page did not
// show is forgotten. The zero value is ready. Not safe for concurrent use.
type Parts struct {
	parts keep.Parts[part, template.HTML]
}

// Rendered counts the parts the last page rendered (not kept).
func (c *Parts) Rendered() int { return c.parts.Made }

// fill gives each part of g its HTML, from the last page's where it was
// there.
func (c *Parts) fill(g *grid) error {
	c.parts.Turn()
	t := pageTemplates()["week"]
	var buf bytes.Buffer
	var err error
	for i := range g.Days {
		for j := range g.Days[i].Parts {
			p := &g.Days[i].Parts[j]
			p.HTML = c.parts.Get(*p, func() template.HTML {
				buf.Reset()
				if e := t.ExecuteTemplate(&buf, "part", p); e != nil && err == nil {
					err = fmt.Errorf("render the week's %s: %w", p.ID, e)
				}
				return template.HTML(buf.String())
			})
			if err != nil {
				c.parts = keep.Parts[part, template.HTML]{} // nothing half made is kept
				return err
			}
		}
	}
	return nil
}
