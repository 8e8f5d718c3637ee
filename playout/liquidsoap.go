// Package playout drives the station's air chain: it writes the Liquidsoap
// script (Script), tells a running Liquidsoap what to put on air
// (Liquidsoap, over its server), and records the stream during live
// airings (Record). It mixes no audio itself.
package playout

import (
	"bufio"
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

// SetLive puts the studio's harbor input on air, or takes it off.
func (l *Liquidsoap) SetLive(ctx context.Context, on bool) error {
	// 2.1 refuses "var.set x = true": no spaces.
	_, err := l.Command(ctx, "var.set "+LiveVar+"="+strconv.FormatBool(on))
	return err
}

// Play puts a file on air now, from offset into it (a service that comes
// back mid-airing), in place of anything queued.
func (l *Liquidsoap) Play(ctx context.Context, path, title string, offset time.Duration) error {
	if strings.ContainsAny(path, "\n\r") {
		return fmt.Errorf("liquidsoap: a path with a line break: %q", path)
	}
	if _, err := l.Command(ctx, Queue+".flush_and_skip"); err != nil {
		return err
	}
	ann := "title=" + annotation(title)
	if offset > 0 {
		ann += ",liq_cue_in=" + annotation(strconv.FormatFloat(offset.Seconds(), 'f', 3, 64))
	}
	_, err := l.Command(ctx, Queue+".push annotate:"+ann+":"+path)
	return err
}

// StopQueue takes what was pushed off the air.
func (l *Liquidsoap) StopQueue(ctx context.Context) error {
	_, err := l.Command(ctx, Queue+".flush_and_skip")
	return err
}

// Ping says whether Liquidsoap answers.
func (l *Liquidsoap) Ping(ctx context.Context) error {
	_, err := l.Uptime(ctx)
	return err
}

// Uptime is how long Liquidsoap has run: less than it said before means
// it was restarted, and has forgotten what it was told.
func (l *Liquidsoap) Uptime(ctx context.Context) (time.Duration, error) {
	answer, err := l.Command(ctx, "uptime")
	if err != nil {
		return 0, err
	}
	var d, h, m, s int
	if _, err := fmt.Sscanf(answer, "%dd %dh %dm %ds", &d, &h, &m, &s); err != nil {
		return 0, fmt.Errorf("liquidsoap %s: uptime %q: %w", l.Addr, answer, err)
	}
	return time.Duration(((d*24+h)*60+m)*60+s) * time.Second, nil
}

// annotation is a value of an annotate: request, quoted.
func annotation(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\r", " ").Replace(s)
	return `"` + s + `"`
}
