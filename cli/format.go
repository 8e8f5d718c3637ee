package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/onair-radio/onair/scheduler"
)

// span is an airing's local times: "13:00-14:00 CST", or with each end's
// zone where the clocks change between them ("01:30 EDT-01:30 EST").
func span(a scheduler.Airing, loc *time.Location) string {
	s, e := a.Start.In(loc), a.End.In(loc)
	end := e.Format("15:04")
	if e.Format(time.DateOnly) != s.Format(time.DateOnly) {
		end += "+1" // ends after midnight
	}
	if zonesDiffer(s, e) {
		return fmt.Sprintf("%s %s-%s %s", s.Format("15:04"), s.Format("MST"), end, e.Format("MST"))
	}
	return fmt.Sprintf("%s-%s %s", s.Format("15:04"), end, s.Format("MST"))
}

// zonesDiffer says whether the clocks changed between s and e.
func zonesDiffer(s, e time.Time) bool {
	_, so := s.Zone()
	_, eo := e.Zone()
	return so != eo
}

// about is what a person wants to know of an airing beside its title.
func about(a scheduler.Airing) string {
	var parts []string
	switch {
	case a.Kind == scheduler.Rebroadcast && a.Episode != "":
		parts = append(parts, "replays "+a.Episode)
	case a.Kind == scheduler.Rebroadcast:
		parts = append(parts, "nothing to replay")
	default:
		parts = append(parts, a.Episode)
	}
	if a.Moved {
		parts = append(parts, "moved from "+a.Scheduled.String())
	}
	return strings.Join(parts, ", ")
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// humanDuration says how long d is: "in 1d 20h 35m", "35m".
func humanDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%dd", days))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf("%dh", hours))
	}
	if mins > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%dm", mins))
	}
	return strings.Join(parts, " ")
}

// table lines up rows of cells in columns, two spaces apart, with no
// trailing blanks.
type table struct {
	w    io.Writer
	rows [][]string
}

func newTable(w io.Writer) *table { return &table{w: w} }

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) flush() error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	width := 0
	for _, r := range t.rows {
		width = max(width, len(r))
	}
	for _, r := range t.rows {
		for len(r) < width {
			r = append(r, "")
		}
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		if _, err := io.WriteString(t.w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return err
		}
	}
	return nil
}
