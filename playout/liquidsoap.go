// Package playout drives the station's air chain: it writes the Liquidsoap
// script (Script), tells a running Liquidsoap what to put on air
// (Liquidsoap, over its server), and records the stream during live
// airings (Record). It mixes no audio itself.
package playout

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Liquidsoap is a running Liquidsoap's server (telnet): one connection a
// command, each with a deadline, so that a Liquidsoap restarted between
// two commands is simply answered again.
type Liquidsoap struct {
	Addr    string
	Timeout time.Duration // for one command, connection included; default 2 s
}

// ErrCommand is a command that Liquidsoap refused.
var ErrCommand = errors.New("liquidsoap refused the command")

// Command sends one command and returns Liquidsoap's answer, the lines
// before its END.
func (l *Liquidsoap) Command(ctx context.Context, cmd string) (string, error) {
	timeout := l.Timeout
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", l.Addr)
	if err != nil {
		return "", fmt.Errorf("liquidsoap %s: %w", l.Addr, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	if _, err := fmt.Fprintf(conn, "%s\n", cmd); err != nil {
		return "", fmt.Errorf("liquidsoap %s: %w", l.Addr, err)
	}
	var lines []string
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "END" {
			fmt.Fprintf(conn, "quit\n")
			answer := strings.Join(lines, "\n")
			if refused(answer) {
				return answer, fmt.Errorf("%w: %q: %s", ErrCommand, cmd, answer)
			}
			return answer, nil
		}
		lines = append(lines, line)
	}
	err = sc.Err()
	if err == nil {
		err = errors.New("the connection closed before END")
	}
	return "", fmt.Errorf("liquidsoap %s: %q: %w", l.Addr, cmd, err)
}

// refused tells Liquidsoap's refusals ("ERROR: ...", "Syntax error or
// variable not found", "No such command") from its answers.
func refused(answer string) bool {
	a := strings.ToLower(answer)
	return strings.HasPrefix(a, "error") || strings.Contains(a, "not found") || strings.Contains(a, "no such command") || strings.Contains(a, "syntax error")
}

// SetLive tells Liquidsoap until when the studio is on air: it leaves the
// air at until by Liquidsoap's own clock, whether onair is up then or not.
// The zero time takes it off now.
func (l *Liquidsoap) SetLive(ctx context.Context, until time.Time) error {
	_, err := l.Command(ctx, Namespace+".live "+unixSeconds(until))
	return err
}

// unixSeconds is an instant as Liquidsoap's time() counts it; 0 for the zero time.
func unixSeconds(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', 3, 64)
}

// Request is an episode to put on air for a rebroadcast.
type Request struct {
	Path, Title string
	Airing      string        // the airing's id, which onair.status reports while it plays
	Offset      time.Duration // into the file: a service that came back mid-airing
	Until       time.Duration // into the file: where the airing ends, and Liquidsoap cuts it
}

// Play puts r on air now, in place of anything queued. Liquidsoap cuts it
// at r.Until itself (liq_cue_out), so that the fallback follows at the
// airing's end whether onair is up then or not.
func (l *Liquidsoap) Play(ctx context.Context, r Request) error {
	if strings.ContainsAny(r.Path, "\n\r") {
		return fmt.Errorf("liquidsoap: a path with a line break: %q", r.Path)
	}
	if _, err := l.Command(ctx, Queue+".flush_and_skip"); err != nil {
		return err
	}
	ann := "title=" + annotation(r.Title) + "," + AiringMeta + "=" + annotation(r.Airing)
	if r.Offset > 0 {
		ann += ",liq_cue_in=" + annotation(seconds(r.Offset))
	}
	if r.Until > 0 {
		ann += ",liq_cue_out=" + annotation(seconds(r.Until))
	}
	_, err := l.Command(ctx, Queue+".push annotate:"+ann+":"+r.Path)
	return err
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

// StopQueue takes what was pushed off the air.
func (l *Liquidsoap) StopQueue(ctx context.Context) error {
	_, err := l.Command(ctx, Queue+".flush_and_skip")
	return err
}

// Status is what Liquidsoap says is on air.
type Status struct {
	LiveUntil time.Time // the studio is on air until then; zero: off
	Studio    bool      // a studio's encoder is connected to the harbor
	Playing   string    // the airing whose episode the queue plays; "" for none
	Now       time.Time // Liquidsoap's clock
}

// Status asks Liquidsoap what is on air.
func (l *Liquidsoap) Status(ctx context.Context) (Status, error) {
	answer, err := l.Command(ctx, Namespace+".status")
	if err != nil {
		return Status{}, err
	}
	return parseStatus(answer)
}

// Claim is what Liquidsoap answered a claim.
type Claim struct {
	// Fresh: the claim was not this group's until now (Liquidsoap was
	// restarted, or the claim ran out), so what it was told may be lost.
	Fresh bool
	// HeldBy names another service that holds the air chain ("" when the
	// claim was granted), and Left how long its claim runs yet.
	HeldBy string
	Left   time.Duration
	Status Status
}

// Claim claims the air chain for ttl, for group (one service, or the
// replicas of one lease: a word), described as holder (one line) to a
// service that is refused. It is renewed by claiming again.
func (l *Liquidsoap) Claim(ctx context.Context, ttl time.Duration, group, holder string) (Claim, error) {
	if group == "" || strings.ContainsAny(group, " \n\r") {
		return Claim{}, fmt.Errorf("liquidsoap: a claim's group is one word: %q", group)
	}
	holder = strings.Join(strings.Fields(holder), " ")
	answer, err := l.Command(ctx, fmt.Sprintf("%s.claim %s %s %s", Namespace, seconds(ttl), group, holder))
	if err != nil {
		return Claim{}, err
	}
	first, rest, _ := strings.Cut(answer, "\n")
	var c Claim
	switch word, held, _ := strings.Cut(first, " "); word {
	case "new":
		c.Fresh = true
	case "ok":
	case "held":
		left, who, _ := strings.Cut(held, " ")
		f, _ := strconv.ParseFloat(left, 64)
		c.HeldBy, c.Left = cmp.Or(who, "another service"), time.Duration(f*float64(time.Second))
	default:
		return Claim{}, fmt.Errorf("liquidsoap %s: %w: claim answered %q (is the script onair liquidsoap's?)", l.Addr, ErrCommand, first)
	}
	c.Status, err = parseStatus(rest)
	return c, err
}

// Release lets group's claim go, so that another service may drive the
// air chain at once.
func (l *Liquidsoap) Release(ctx context.Context, group string) error {
	_, err := l.Command(ctx, Namespace+".release "+group)
	return err
}

// parseStatus reads onair.status's lines.
func parseStatus(answer string) (Status, error) {
	var st Status
	var seen int
	for _, line := range strings.Split(answer, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		switch k {
		case "live_until", "now":
			f, err := strconv.ParseFloat(strings.TrimSuffix(v, "."), 64)
			if err != nil {
				return Status{}, fmt.Errorf("liquidsoap: status %s=%q: %w", k, v, err)
			}
			var t time.Time
			if f > 0 {
				t = time.UnixMilli(int64(f * 1000))
			}
			if k == "now" {
				st.Now = t
			} else {
				st.LiveUntil = t
			}
		case "studio":
			st.Studio = v == "true"
		case "playing":
			st.Playing = v
		default:
			continue
		}
		seen++
	}
	if seen < 4 {
		return Status{}, fmt.Errorf("liquidsoap: %w: a status of %q (is the script onair liquidsoap's?)", ErrCommand, answer)
	}
	return st, nil
}

// annotation is a value of an annotate: request, quoted.
func annotation(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\r", " ").Replace(s)
	return `"` + s + `"`
}
