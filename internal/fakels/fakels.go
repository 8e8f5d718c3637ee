// Package fakels is a fake Liquidsoap server (its telnet interface) for
// tests: it answers the commands onair sends as the station's script
// (playout.Script) would, and remembers what they put on air.
package fakels

import (
	"bufio"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a fake Liquidsoap listening on loopback.
type Server struct {
	ln net.Listener
	wg sync.WaitGroup

	mu        sync.Mutex
	now       func() time.Time
	cmds      []string
	liveUntil float64 // Unix seconds; the studio is on air while now is before it
	studio    bool    // a studio's encoder is connected
	// playing is the queue's request ("annotate:...:path"), "" when empty.
	playing    string
	pushes     int // the last request's id
	claimGroup string
	claimBy    string
	claimUntil float64
	down       bool
}

// Start starts a fake Liquidsoap until the test ends. Its clock is now
// (the test's fake clock, say), or the system's when nil.
func Start(t testing.TB) *Server {
	return StartClock(t, nil)
}

// StartClock starts a fake Liquidsoap whose clock (time() in a script) is
// now.
func StartClock(t testing.TB, now func() time.Time) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if now == nil {
		now = time.Now
	}
	s := &Server{ln: ln, now: now}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.Close)
	return s
}

// Restart is a Liquidsoap restarted: it forgets what it was told, and its
// claim.
func (s *Server) Restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.liveUntil, s.playing, s.claimGroup, s.claimBy, s.claimUntil = 0, "", "", "", 0
}

// SetClock makes now the fake's clock (a test's fake clock, say).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetDown makes the fake a Liquidsoap that died (connections are closed
// at once, unanswered), or one that is back.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// SetStudio connects a studio's encoder to the harbor, or disconnects it.
func (s *Server) SetStudio(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.studio = on
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server (a Liquidsoap that went down).
func (s *Server) Close() {
	s.ln.Close()
	s.wg.Wait()
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.mu.Lock()
			down := s.down
			s.mu.Unlock()
			if down {
				return
			}
			sc := bufio.NewScanner(c)
			for sc.Scan() {
				cmd := sc.Text()
				if cmd == "quit" {
					return
				}
				fmt.Fprintf(c, "%s\nEND\n", s.answer(cmd))
			}
		}()
	}
}

var airingMeta = regexp.MustCompile(`onair_airing="((?:[^"\\]|\\.)*)"`)

func (s *Server) answer(cmd string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmds = append(s.cmds, cmd)
	now := float64(s.now().UnixMilli()) / 1000
	verb, arg, _ := strings.Cut(cmd, " ")
	switch verb {
	case "onair.live":
		s.liveUntil, _ = strconv.ParseFloat(arg, 64)
		return "live_until=" + num(s.liveUntil)
	case "onair.status":
		return s.status(now)
	case "onair.claim":
		w := strings.SplitN(arg, " ", 3)
		if len(w) < 2 || w[1] == "" {
			return "error: onair.claim <ttl> <group> <holder>"
		}
		ttl, _ := strconv.ParseFloat(w[0], 64)
		if s.claimGroup != "" && s.claimGroup != w[1] && now < s.claimUntil {
			return fmt.Sprintf("held %s %s\n%s", num(s.claimUntil-now), s.claimBy, s.status(now))
		}
		fresh := s.claimGroup != w[1] || now >= s.claimUntil
		s.claimGroup, s.claimUntil = w[1], now+ttl
		if len(w) == 3 {
			s.claimBy = w[2]
		}
		if fresh {
			return "new\n" + s.status(now)
		}
		return "ok\n" + s.status(now)
	case "onair.release":
		if arg != "" && arg == s.claimGroup {
			s.claimGroup, s.claimUntil = "", 0
			return "released"
		}
		return "not held"
	case "rebroadcast.push":
		s.playing = arg
		s.pushes++
		return fmt.Sprint(s.pushes)
	case "rebroadcast.flush_and_skip":
		s.playing = ""
		return "Done."
	}
	return "ERROR: unknown command, type \"help\" to get a list of commands."
}

func (s *Server) status(now float64) string {
	playing := ""
	if m := airingMeta.FindStringSubmatch(s.playing); m != nil {
		playing = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[1])
	}
	return fmt.Sprintf("live_until=%s\nstudio=%v\nplaying=%s\nnow=%s", num(s.liveUntil), s.studio, playing, num(now))
}

// num is a float as Liquidsoap prints one.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Commands are the commands received so far.
func (s *Server) Commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.cmds...)
}

// Pushes is how many requests were pushed to the queue so far: each is
// heard on the air as the episode starting (again).
func (s *Server) Pushes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushes
}

// State is what the commands put on air now: the harbor (live: its
// until is ahead of the fake's clock), and the queue's request ("" when
// none).
func (s *Server) State() (live bool, playing string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return float64(s.now().UnixMilli())/1000 < s.liveUntil, s.playing
}

// LiveUntil is the instant the studio leaves the air, as last told; zero
// when it was told off.
func (s *Server) LiveUntil() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.liveUntil <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(s.liveUntil * 1000))
}
