package config

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/onair-radio/onair/internal/suggest"
	"go.yaml.in/yaml/v3"
)

// maxExpanded bounds the values that aliases and merge keys may add to a
// configuration, so that they cannot multiply a small file into a huge one
// ("billion laughs"). What the file itself writes is bounded by its size.
const maxExpanded = 100_000

// walker checks a YAML document against the schema types, records where
// every value stands, and turns it into plain maps, lists and strings for
// viper. It reports unknown keys (with the nearest known one), values of the
// wrong shape and duplicate keys, and leaves each out of the result.
type walker struct {
	file string
	pos  map[string]pos
	errs Errors
	// expanded counts the values reached through an alias or a merge key;
	// aliased is how deep the walk is inside one.
	expanded, aliased int
}

// expand counts n values added by an alias or a merge; false once the
// budget is spent (reported once, at n).
func (w *walker) expand(node *yaml.Node, p keyPath, n int) bool {
	if w.expanded > maxExpanded {
		return false
	}
	w.expanded += n
	if w.expanded > maxExpanded {
		w.errorf(node, p, false, "aliases and merge keys (<<) expand to more than %d values; write the values out, or share less", maxExpanded)
		return false
	}
	return true
}

// parseYAML reads the one YAML document in data.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: file, Msg: "the file is empty"}
		}
		e := yamlError(file, err)
		if line := firstBadLine(data); line > 0 {
			e.Line = line
		}
		e.Msg += quoteHint(data, e.Line, e.Msg)
		return nil, e
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			return nil, yamlError(file, err)
		}
		return nil, &Error{File: file, Line: line, Msg: "a second YAML document (after ---): onair reads one"}
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return &doc, nil
}

// parserProblems are the YAML library's parser (not scanner) errors. For
// these it reports a 0-based line (go-yaml's fail() adds one only for
// scanner errors), so onair adds it.
var parserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"found undefined tag handle", "did not find expected node content",
	"did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found duplicate %YAML directive", "found incompatible YAML document", "found duplicate %TAG directive",
}

// yamlError rewords the YAML library's "yaml: line 3: ..." as file:3: ....
func yamlError(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := &Error{File: file, Line: 1}
	if n, _ := fmt.Sscanf(msg, "line %d:", &e.Line); n == 1 {
		msg = strings.TrimSpace(msg[strings.IndexByte(msg, ':')+1:])
		if slices.Contains(parserProblems, msg) {
			e.Line++
		}
	}
	e.Msg = "not valid YAML: " + msg
	return e
}

// firstBadLine is the first line at which the document stops being YAML:
// the shortest run of whole lines from the start that does not parse. The
// library names the line where the enclosing block starts for some
// mistakes (a slip of indentation); this is the line of the mistake. It is
// found by bisection, so for a mistake inside a multi-line quoted or flow
// value it may name a line of that value. 0 when every prefix parses.
func firstBadLine(data []byte) int {
	lines := strings.SplitAfter(string(data), "\n")
	bad := func(n int) bool {
		var node yaml.Node
		err := yaml.Unmarshal([]byte(strings.Join(lines[:n], "")), &node)
		return err != nil
	}
	lo, hi := 0, len(lines) // lines[:lo] parses; lines[:hi] does not
	if !bad(hi) {
		return 0
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if bad(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// quoteHint suggests quotes for a value that holds ": ", which YAML reads
// as a second key on the line ("title: A: the show").
func quoteHint(data []byte, line int, msg string) string {
	if !strings.Contains(msg, "mapping values are not allowed") || line < 1 {
		return ""
	}
	lines := strings.Split(string(data), "\n")
	if line > len(lines) {
		return ""
	}
	text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[line-1]), "- "))
	key, value, ok := strings.Cut(text, ": ")
	if !ok || !strings.Contains(value, ": ") || strings.ContainsAny(key, `"'{[`) {
		return ""
	}
	return fmt.Sprintf(`; a value that holds ": " needs quotes: %s: "%s"`, key, strings.ReplaceAll(value, `"`, `\"`))
}

func (w *walker) errorf(n *yaml.Node, p keyPath, withValue bool, format string, args ...any) {
	e := &Error{File: w.file, Path: p.display, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
		if withValue {
			e.Value, e.HasVal = n.Value, true
		}
	}
	w.errs = append(w.errs, e)
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping (key: value lines)"
	case yaml.SequenceNode:
		return "a list"
	default:
		return fmt.Sprintf("the value %q", n.Value)
	}
}

// walk checks n against type t. ok is false when n is left out.
func (w *walker) walk(n *yaml.Node, t reflect.Type, p keyPath) (out any, ok bool) {
	if n.Kind == yaml.AliasNode {
		w.aliased++
		defer func() { w.aliased-- }()
	}
	n = deref(n)
	if w.aliased > 0 && !w.expand(n, p, 1) {
		return nil, false
	}
	if isNull(n) {
		return nil, false
	}
	w.pos[p.index] = pos{n.Line, n.Column}
	switch t.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			w.errorf(n, p, false, "want a single value, found %s", describeNode(n))
			return nil, false
		}
		return n.Value, true
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			w.errorf(n, p, n.Kind == yaml.ScalarNode, "want a mapping (key: value lines), found %s", describeNode(n))
			return nil, false
		}
		return w.mapping(n, t, p), true
	case reflect.Slice:
		elem := t.Elem()
		if n.Kind != yaml.SequenceNode {
			if elem.Kind() == reflect.String && n.Kind == yaml.ScalarNode {
				// A single value where a list is allowed: a list of one.
				w.pos[p.item(0, "").index] = pos{n.Line, n.Column}
				return []any{n.Value}, true
			}
			w.errorf(n, p, n.Kind == yaml.ScalarNode, "want a list (lines starting with -), found %s", describeNode(n))
			return nil, false
		}
		list := []any{}
		for i, item := range n.Content {
			v, ok := w.walk(item, elem, p.item(i, itemLabel(item, elem)))
			if !ok {
				v = emptyOf(elem) // keep indexes aligned with the file
			}
			list = append(list, v)
		}
		return list, true
	}
	panic(fmt.Sprintf("config: schema type %s not handled", t))
}

func emptyOf(t reflect.Type) any {
	if t.Kind() == reflect.Struct {
		return map[string]any{}
	}
	return ""
}

// itemLabel names a list item for people by its id, where it has one.
func itemLabel(n *yaml.Node, elem reflect.Type) string {
	n = deref(n)
	if elem.Kind() != reflect.Struct || n.Kind != yaml.MappingNode {
		return ""
	}
	if _, ok := elem.FieldByName("ID"); !ok {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "id" {
			if v := deref(n.Content[i+1]); v.Kind == yaml.ScalarNode && validID(v.Value) {
				return v.Value
			}
		}
	}
	return ""
}

func fieldsByKey(t reflect.Type) map[string]reflect.StructField {
	m := make(map[string]reflect.StructField)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		m[f.Tag.Get("mapstructure")] = f
	}
	return m
}

type pair struct {
	key, value *yaml.Node
	merged     bool // from a merge key: its value counts against maxExpanded
}

// pairs lists a mapping's entries with YAML merge keys (<<: *base) applied:
// keys written in the mapping win over merged ones.
func (w *walker) pairs(n *yaml.Node, p keyPath) []pair {
	var own, merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge" {
			sources := []*yaml.Node{deref(v)}
			if sources[0].Kind == yaml.SequenceNode {
				sources = sources[0].Content
			}
			for _, src := range sources {
				src = deref(src)
				if src.Kind != yaml.MappingNode {
					w.errorf(src, p, false, "a merge (<<) needs a mapping, found %s", describeNode(src))
					continue
				}
				// Each merged entry counts against the budget before its
				// own merges are followed: nested merges multiply.
				if !w.expand(src, p, len(src.Content)/2) {
					return nil
				}
				for _, pr := range w.pairs(src, p) {
					pr.merged = true
					merged = append(merged, pr)
				}
			}
			continue
		}
		own = append(own, pair{key: k, value: v})
	}
	seen := make(map[string]bool)
	for _, pr := range own {
		seen[pr.key.Value] = true
	}
	for _, pr := range merged {
		if !seen[pr.key.Value] {
			own = append(own, pr)
			seen[pr.key.Value] = true
		}
	}
	return own
}

func (w *walker) mapping(n *yaml.Node, t reflect.Type, p keyPath) map[string]any {
	fields := fieldsByKey(t)
	out := make(map[string]any)
	first := make(map[string]*yaml.Node)
	for _, pr := range w.pairs(n, p) {
		k := deref(pr.key)
		if k.Kind != yaml.ScalarNode {
			w.errorf(k, p, false, "a key must be a plain name, found %s", describeNode(k))
			continue
		}
		kp := p.key(k.Value)
		f, known := fields[k.Value]
		if !known && p.index == "" && strings.HasPrefix(k.Value, "x-") {
			continue // a holder of YAML anchors, as in Compose files
		}
		if !known {
			if strconv.Quote(k.Value) != `"`+k.Value+`"` || len(k.Value) > 16 {
				kp = p.key(suggest.Excerpt(k.Value)) // quoted: it may be anything
			}
			w.errorf(k, kp, false, "unknown key%s", w.hint(k.Value, fields))
			continue
		}
		if prev := first[k.Value]; prev != nil {
			w.errorf(k, kp, false, "set twice (first at line %d)", prev.Line)
			continue
		}
		first[k.Value] = k
		if pr.merged {
			w.aliased++
		}
		v, ok := w.walk(pr.value, f.Type, kp)
		if pr.merged {
			w.aliased--
		}
		if ok {
			out[k.Value] = v
		}
	}
	return out
}

func (w *walker) hint(key string, fields map[string]reflect.StructField) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	if h := suggest.Hint(key, names); h != "" {
		return h
	}
	return " (known keys here: " + strings.Join(names, ", ") + ")"
}
