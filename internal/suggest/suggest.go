// Package suggest finds what a person probably meant by a word they
// mistyped: the configuration's keys and zones, the sidecars' keys.
package suggest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Nearest returns the candidate nearest to s, if it is near enough to be
// what the user meant; "" otherwise. It is the one way onair guesses at a
// name a person typed (keys, zones, show ids, flags, commands): a
// candidate that differs only in case ("utc" → "UTC"), then one that
// means the same (synonyms: "time" → "at"), then the nearest by edits
// ("timezon" → "timezone").
func Nearest(s string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(s, c) && s != c {
			return c
		}
	}
	if syn, ok := synonyms[strings.ToLower(s)]; ok {
		for _, c := range candidates {
			if c == syn {
				return c
			}
		}
	}
	best, bestD := "", len(s)/3+2
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Hint is Nearest as a message says it, " (did you mean \"x\"?)", or ""
// when nothing is near.
func Hint(s string, candidates []string) string {
	if n := Nearest(s, candidates); n != "" {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	return ""
}

// synonyms are words people write for a name onair spells otherwise: the
// YAML's keys, mostly, that edits alone would guess wrong ("time" is two
// edits from "title").
var synonyms = map[string]string{
	"time": "at", "start": "at", "starts": "at", "hour": "at",
	"length": "duration", "runtime": "duration", "for": "duration",
	"tz": "timezone", "zone": "timezone", "time_zone": "timezone",
	"type": "kind", "name": "title", "days": "weekly",
	"exception": "exceptions", "except": "exceptions",
	"url": "base_url", "baseurl": "base_url",
	"stat": "status", "state": "status",
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// maxExcerpt is how much of a word a message quotes.
const maxExcerpt = 16

// Excerpt is s as a message may quote it: Go-quoted (control characters
// escaped), and cut to its first maxExcerpt bytes (at a character's
// boundary) when longer, so that a file that is not what it seems (a
// secret, say, behind a link) is not copied into logs.
func Excerpt(s string) string {
	if len(s) <= maxExcerpt {
		return strconv.Quote(s)
	}
	cut := maxExcerpt
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf(" (and %d bytes more)", len(s)-cut)
}
