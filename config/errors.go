package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is one problem in a configuration, located as precisely as the
// input allows.
type Error struct {
	File   string // the file, or "$ONAIR_..." for a value from the environment
	Line   int    // 1-based; 0 when unknown
	Column int
	Path   string // the key path, with shows named by id: shows[prn].slots[1].cron
	Value  string // the offending value as written; empty when a key is missing
	HasVal bool
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		if e.HasVal {
			b.WriteString(" " + strconv.Quote(e.Value))
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one configuration.
type Errors []*Error

// MaxShown is how many problems Errors' text lists: one mistake (an
// indentation slip, say) can cause thousands more, and the first few say
// what to mend.
const MaxShown = 40

// Error lists the problems, one a line: the first MaxShown, then how many
// more there are.
func (es Errors) Error() string {
	s := make([]string, 0, min(len(es), MaxShown)+1)
	for i, e := range es {
		if i == MaxShown {
			s = append(s, fmt.Sprintf("%s: and %d more problems, not listed; mend these first", e.File, len(es)-MaxShown))
			break
		}
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}

// keyPath is a key path in two spellings: by index (how positions are
// recorded while walking the YAML) and for people (shows named by id).
type keyPath struct{ index, display string }

func (p keyPath) key(k string) keyPath {
	if p.index == "" {
		return keyPath{k, k}
	}
	return keyPath{p.index + "." + k, p.display + "." + k}
}

// item is the i-th element of a list; label, when set, names it for people.
func (p keyPath) item(i int, label string) keyPath {
	if label == "" {
		label = strconv.Itoa(i)
	}
	return keyPath{fmt.Sprintf("%s[%d]", p.index, i), fmt.Sprintf("%s[%s]", p.display, label)}
}

// pos is where a key's value (or a list item) starts in the file.
type pos struct{ line, col int }
