package playout

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/onair-radio/onair/station"
)

// Names in the script that onair drives over Liquidsoap's server.
const (
	// LiveVar is the interactive flag that puts the harbor input on air.
	LiveVar = "live_on"
	// Queue is the request queue a rebroadcast's episode is pushed to.
	Queue = "rebroadcast"
)

// Script is the station's Liquidsoap script: the studio's harbor input,
// on air only while onair sets LiveVar; the Queue, which plays what onair
// pushes at a rebroadcast's start and flushes at its end; the fallback
// otherwise; all sent to Icecast's air mount. It holds no times: onair
// drives it, at the instants its engine computes. It works with
// Liquidsoap 2.1 and later.
func Script(st *station.Station, source string) ([]byte, error) {
	po := st.Playout
	if po == nil {
		return nil, fmt.Errorf("%s has no station.playout: nothing for Liquidsoap to play", source)
	}
	host, port, err := net.SplitHostPort(po.Liquidsoap)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s's air chain, for Liquidsoap 2.1 and later.\n", oneLine(st.Name))
	fmt.Fprintf(&b, "# Generated from %s by `onair liquidsoap`: edit the YAML, not this file.\n", oneLine(source))
	b.WriteString("# Run it as an unprivileged user: liquidsoap station.liq\n#\n")
	fmt.Fprintf(&b, "# onair drives it over its server, %s:\n", po.Liquidsoap)
	fmt.Fprintf(&b, "#   var.set %s=true        the studio on air (a live airing starts); =false, off\n", LiveVar)
	fmt.Fprintf(&b, "#   %s.push <file>    a rebroadcast's episode, from the airing's start\n", Queue)
	fmt.Fprintf(&b, "#   %s.flush_and_skip off again, at the airing's end\n\n", Queue)

	b.WriteString("settings.server.telnet.set(true)\n")
	fmt.Fprintf(&b, "settings.server.telnet.bind_addr.set(%s)\n", quote(host))
	fmt.Fprintf(&b, "settings.server.telnet.port.set(%s)\n\n", port)

	b.WriteString("# The studio's encoder connects here. A short buffer puts it on air at once\n# when a live airing starts (2.1 buffers 12 s by default).\n")
	fmt.Fprintf(&b, "live = input.harbor(%s, port=%d, password=%s, buffer=1., max=5.)\n",
		quote(strings.TrimPrefix(po.Harbor.Mount, "/")), po.Harbor.Port, quote(po.Harbor.Password))
	fmt.Fprintf(&b, "%s = interactive.bool(%s, false)\n\n", LiveVar, quote(LiveVar))

	b.WriteString("# A rebroadcast's episode, pushed by onair.\n")
	b.WriteString("# cue_cut starts it part-way when onair comes back mid-airing (liq_cue_in).\n")
	fmt.Fprintf(&b, "%s = cue_cut(request.queue(id=%s))\n\n", Queue, quote(Queue))

	b.WriteString("# What airs when nothing is scheduled.\n")
	fallback, err := filepath.Abs(po.Fallback) // Liquidsoap runs in a directory of its own
	if err != nil {
		return nil, err
	}
	switch info, err := os.Stat(fallback); {
	case po.Fallback == "":
		b.WriteString("rest = blank()\n\n")
	case err == nil && info.IsDir():
		fmt.Fprintf(&b, "rest = mksafe(playlist(reload_mode=\"watch\", %s))\n\n", quote(fallback))
	default:
		fmt.Fprintf(&b, "rest = mksafe(single(%s))\n\n", quote(fallback))
	}

	fmt.Fprintf(&b, "radio = fallback(track_sensitive=false, [switch(track_sensitive=false, [(%s, live)]), %s, rest])\n\n", LiveVar, Queue)
	ic := po.Icecast
	fmt.Fprintf(&b, "output.icecast(%%mp3(bitrate=128, samplerate=44100), host=%s, port=%d, password=%s, mount=%s, name=%s, radio)\n",
		quote(ic.Host), ic.Port, quote(ic.Password), quote(ic.Mount), quote(oneLine(st.Name)))
	return b.Bytes(), nil
}

// quote is a Liquidsoap string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			if r >= 0x20 { // control characters have no place in names and passwords
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
