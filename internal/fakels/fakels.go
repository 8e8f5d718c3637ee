// Package fakels is a fake Liquidsoap server (its telnet interface) for
// tests: it answers the commands onair sends as the station's script
// would, and remembers what they put on air.
package fakels

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
)

// Server is a fake Liquidsoap listening on loopback.
type Server struct {
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	cmds []string
	live bool
	// playing is the queue's request ("annotate:...:path"), "" when empty.
	playing string
	n       int
	uptime  int // "seconds": one more at each command
}

// Restart is a Liquidsoap restarted: it forgets what it was told, and its
// uptime starts again.
func (s *Server) Restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live, s.playing, s.uptime = false, "", 0
}

// Start starts a fake Liquidsoap until the test ends.
func Start(t testing.TB) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{ln: ln}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.Close)
	return s
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

func (s *Server) answer(cmd string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmds = append(s.cmds, cmd)
	s.uptime++
	switch {
	case cmd == "var.set live_on=true":
		s.live = true
		return "Variable live_on set (was false)."
	case cmd == "var.set live_on=false":
		s.live = false
		return "Variable live_on set (was true)."
	case strings.HasPrefix(cmd, "rebroadcast.push "):
		s.playing = strings.TrimPrefix(cmd, "rebroadcast.push ")
		s.n++
		return fmt.Sprint(s.n)
	case cmd == "rebroadcast.flush_and_skip":
		s.playing = ""
		return "Done."
	case cmd == "uptime":
		return fmt.Sprintf("0d %02dh %02dm %02ds", s.uptime/3600, s.uptime/60%60, s.uptime%60)
	}
	return "ERROR: unknown command, type \"help\" to get a list of commands."
}

// Commands are the commands received so far.
func (s *Server) Commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.cmds...)
}

// State is what the commands put on air: the harbor (live), and the
// queue's request ("" when none).
func (s *Server) State() (live bool, playing string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.live, s.playing
}
