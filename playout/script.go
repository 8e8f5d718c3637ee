package playout

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/onair-radio/onair/station"
)

// Names in the script that onair drives over Liquidsoap's server.
const (
	// Queue is the request queue a rebroadcast's episode is pushed to.
	Queue = "rebroadcast"
	// Namespace holds the server commands the script adds for onair:
	// onair.live, onair.claim, onair.release and onair.status.
	Namespace = "onair"
	// The environment variables the script reads its passwords from: the
	// same that onair reads, so that one environment file serves both.
	EnvIcecastPassword = "ONAIR_ICECAST_PASSWORD"
	EnvHarborPassword  = "ONAIR_HARBOR_PASSWORD"
	// AiringMeta is the metadata that names the airing a request is
	// pushed for: onair.status reports it while the request plays, so
	// that a service that comes back does not push it again.
	AiringMeta = "onair_airing"
)

// Script is the station's Liquidsoap script. It holds no times, no
// secrets and no value it did not write as a literal of its own:
//   - the studio's harbor input, on air while Liquidsoap's own clock is
//     before the instant onair last gave it (onair.live): a live airing's
//     end is told at its start, so that the studio leaves the air at that
//     end to the second, whether onair is up then or not;
//   - the Queue, which plays what onair pushes at a rebroadcast's start,
//     cut (liq_cue_out) at the airing's end by Liquidsoap itself;
//   - the fallback otherwise; all sent to Icecast's air mount;
//   - onair.claim, which one service at a time holds (renewing it every
//     second), so that a second service driving the same air chain is
//     refused and told who holds it; onair.status, what is on air.
//
// The passwords are read from Liquidsoap's environment at its start
// ($ONAIR_ICECAST_PASSWORD, $ONAIR_HARBOR_PASSWORD), so that the script
// can be shown and committed. Every other value (names, mounts, paths) is
// written by Literal. It works with Liquidsoap 2.1.
func Script(st *station.Station, source string) ([]byte, error) {
	po := st.Playout
	if po == nil {
		return nil, fmt.Errorf("%s has no station.playout: nothing for Liquidsoap to play", source)
	}
	host, port, err := net.SplitHostPort(po.Liquidsoap)
	if err != nil {
		return nil, err
	}
	if _, err := strconv.Atoi(port); err != nil {
		return nil, fmt.Errorf("%s: station.playout.liquidsoap %q: the port is not a number", source, po.Liquidsoap)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# The air chain of %s, for Liquidsoap 2.1 and later.\n", comment(st.Name))
	fmt.Fprintf(&b, "# Generated from %s by `onair liquidsoap`: edit the YAML, not this file.\n", comment(source))
	b.WriteString(`# It holds no password: run it with $` + EnvIcecastPassword + ` and
# $` + EnvHarborPassword + ` in its environment, as an unprivileged user:
#   liquidsoap station.liq
#
# onair drives it over its server:
#   onair.live <unix time>   the studio is on air until then (0: off)
#   ` + Queue + `.push <file>    a rebroadcast's episode, cut at its airing's end
#   ` + Queue + `.flush_and_skip off again
#   onair.claim, onair.release, onair.status: one service drives the chain

`)
	b.WriteString("settings.server.telnet.set(true)\n")
	fmt.Fprintf(&b, "settings.server.telnet.bind_addr.set(%s)\n", Literal(host))
	fmt.Fprintf(&b, "settings.server.telnet.port.set(%s)\n\n", port)

	b.WriteString(`# A password, from the environment: none is an error, not an open door.
def secret(name) =
  v = getenv(name)
  if v == "" then
    log.critical(label="onair", "#{name} is not set: give Liquidsoap the environment onair has")
    shutdown(code=1)
  end
  v
end

`)
	b.WriteString("# The studio's encoder connects here. A short buffer puts it on air at once\n# when a live airing starts (2.1 buffers 12 s by default).\n")
	fmt.Fprintf(&b, "settings.harbor.bind_addrs.set([%s])\n", Literal(po.Harbor.Bind))
	fmt.Fprintf(&b, "studio = input.harbor(%s, port=%d, password=secret(%s), buffer=1., max=5.,\n  on_connect=fun(_) -> log.important(label=\"onair\", \"studio connected at #{time()}\"),\n  on_disconnect=fun() -> log.important(label=\"onair\", \"studio disconnected at #{time()}\"))\n",
		Literal(strings.TrimPrefix(po.Harbor.Mount, "/")), po.Harbor.Port, Literal(EnvHarborPassword))
	b.WriteString(`# On air while Liquidsoap's clock is before live_until (Unix seconds).
live_until = ref(0.)
live = switch(track_sensitive=false, [({time() < !live_until}, studio)])

`)
	b.WriteString("# A rebroadcast's episode, pushed by onair. cue_cut starts it part-way when\n# onair comes back mid-airing (liq_cue_in) and ends it at the airing's end\n# (liq_cue_out).\n")
	fmt.Fprintf(&b, "%s = cue_cut(request.queue(id=%s))\n", Queue, Literal(Queue))
	fmt.Fprintf(&b, `airing = ref("")
def on_rebroadcast(m) =
  airing := m[%s]
  log.important(label="onair", "rebroadcast #{!airing} on air at #{time()}")
end
%s = source.on_track(%s, on_rebroadcast)

`, Literal(AiringMeta), Queue, Queue)

	b.WriteString("# What airs when nothing is scheduled.\n")
	fallback, err := filepath.Abs(po.Fallback) // Liquidsoap runs in a directory of its own
	if err != nil {
		return nil, err
	}
	switch info, err := os.Stat(fallback); {
	case po.Fallback == "":
		b.WriteString("rest = blank()\n\n")
	case err == nil && info.IsDir():
		fmt.Fprintf(&b, "rest = mksafe(playlist(reload_mode=\"watch\", %s))\n\n", Literal(fallback))
	default:
		fmt.Fprintf(&b, "rest = mksafe(single(%s))\n\n", Literal(fallback))
	}
	fmt.Fprintf(&b, "radio = fallback(track_sensitive=false, [live, %s, rest])\n\n", Queue)
	b.WriteString(commands)
	ic := po.Icecast
	fmt.Fprintf(&b, "output.icecast(%%mp3(bitrate=128, samplerate=44100), host=%s, port=%d, password=secret(%s), mount=%s, name=%s, radio)\n",
		Literal(ic.Host), ic.Port, Literal(EnvIcecastPassword), Literal(ic.Mount), Literal(oneLine(st.Name)))
	return b.Bytes(), nil
}

// commands are the server commands onair drives the script with. A claim
// is "<ttl seconds> <group> <holder>": it is granted when no other group
// holds an unexpired claim, and answered "new" when the group did not
// hold it before (a Liquidsoap that was restarted, or a claim that ran
// out: what Liquidsoap was told may be lost), "ok" when renewed, and
// "held <seconds left> <holder>" when refused. Its answer, and
// onair.status's, go on with what is on air, a line each.
const commands = `# onair's commands.
claim_group = ref("")
claim_holder = ref("")
claim_until = ref(0.)

def status() =
  playing = if source.is_ready(rebroadcast) then !airing else "" end
  "live_until=#{!live_until}\nstudio=#{source.is_ready(studio)}\nplaying=#{playing}\nnow=#{time()}"
end

def cmd_live(arg) =
  live_until := float_of_string(default=0., arg)
  log.important(label="onair", "live until #{!live_until}, told at #{time()}")
  "live_until=#{!live_until}"
end

def cmd_claim(arg) =
  words = string.split(separator=" ", arg)
  ttl = float_of_string(default=5., list.nth(default="5", words, 0))
  group = list.nth(default="", words, 1)
  holder = string.concat(separator=" ", list.tl(list.tl(words)))
  now = time()
  if group == "" then
    "error: onair.claim <ttl> <group> <holder>"
  elsif !claim_group != "" and !claim_group != group and now < !claim_until then
    "held #{!claim_until - now} #{!claim_holder}\n#{status()}"
  else
    fresh = !claim_group != group or now >= !claim_until
    claim_group := group
    claim_holder := holder
    claim_until := now + ttl
    if fresh then "new\n#{status()}" else "ok\n#{status()}" end
  end
end

def cmd_release(group) =
  if group != "" and !claim_group == group then
    claim_group := ""
    claim_until := 0.
    "released"
  else
    "not held"
  end
end

server.register(namespace="onair", usage="live <unix time>", description="The studio is on air until then (0: off).", "live", cmd_live)
server.register(namespace="onair", usage="claim <ttl> <group> <holder>", description="Claim the air chain for one onair service.", "claim", cmd_claim)
server.register(namespace="onair", usage="release <group>", description="Let the claim go.", "release", cmd_release)
server.register(namespace="onair", description="What is on air.", "status", fun(_) -> status())

`

// Literal is a Liquidsoap string expression whose value is exactly s, for
// any s. Liquidsoap interpolates #{...} inside every string literal (after
// its escapes are read, so no escape of '#' prevents it): a literal is
// therefore cut after each '#' that a '{' follows, and the pieces joined
// with ^, so that no literal holds "#{". '"' and '\' are escaped, and
// bytes that are not printable UTF-8 are written as \ooo (octal, as
// Liquidsoap reads them).
func Literal(s string) string {
	var pieces []string
	for {
		i := strings.Index(s, "#{")
		if i < 0 {
			break
		}
		pieces, s = append(pieces, s[:i+1]), s[i+1:]
	}
	pieces = append(pieces, s)
	for i, p := range pieces {
		pieces[i] = literal(p)
	}
	if len(pieces) == 1 {
		return pieces[0]
	}
	return "(" + strings.Join(pieces, " ^ ") + ")"
}

// literal is one string literal, holding no "#{".
func literal(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == utf8.RuneError && n <= 1, r < 0x20, r == 0x7f:
			fmt.Fprintf(&b, "\\%03o", s[0])
			n = 1
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	b.WriteByte('"')
	return b.String()
}

// comment is a value as it may stand in a comment: one line of printable
// ASCII, for a comment ends at a line break (and nothing else of the
// value must run).
func comment(s string) string {
	q := strconv.QuoteToASCII(oneLine(s))
	return q[1 : len(q)-1]
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
