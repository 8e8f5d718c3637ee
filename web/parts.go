package web

import (
	"bytes"
	"fmt"
	"html/template"
)

// Parts keeps the week page's grid rendered an airing at a time, by all
// that an airing's part of a day says (its times, title, link, state and
// place), so that the page at the next air time renders only the parts
// that changed: on a busy station the grid is most of a page of hundreds
// of thousands of airings. A part is its own key, so a part kept is the
// part's bytes whatever changed around it; a part the last page did not
// show is forgotten. The zero value is ready. Not safe for concurrent use.
type Parts struct {
	now, last map[part]template.HTML
	// Rendered counts the parts the last page rendered (not reused).
	Rendered int
}

// fill gives each part of g its HTML, from the last page's where it was
// there.
func (c *Parts) fill(g *grid) error {
	c.last, c.now, c.Rendered = c.now, make(map[part]template.HTML, len(c.now)), 0
	t := pageTemplates()["week"]
	var buf bytes.Buffer
	for i := range g.Days {
		for j := range g.Days[i].Parts {
			p := &g.Days[i].Parts[j]
			if h, ok := c.now[*p]; ok {
				p.HTML = h
				continue
			}
			h, ok := c.last[*p]
			if !ok {
				buf.Reset()
				if err := t.ExecuteTemplate(&buf, "part", p); err != nil {
					return fmt.Errorf("render the week's %s: %w", p.ID, err)
				}
				h = template.HTML(buf.String())
				c.Rendered++
			}
			c.now[*p] = h
			p.HTML = h
		}
	}
	return nil
}
