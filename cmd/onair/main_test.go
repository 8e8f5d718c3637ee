package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/testpg"
)

// TestMain runs main itself when asked to (the test binary is onair then),
// so that the tests below can signal a real onair process.
func TestMain(m *testing.M) {
	if args := os.Getenv("ONAIR_MAIN_ARGS"); args != "" {
		os.Args = append([]string{"onair"}, strings.Fields(args)...)
		main()
		return
	}
	os.Exit(testpg.Run(m))
}

// onair starts onair serve on the example, and returns the process, the
// address it listens on, and its log so far.
func onair(t *testing.T) (*exec.Cmd, string, *strings.Builder) {
	t.Helper()
	return serveArgs(t, "--config ../../config.example.yaml --listen 127.0.0.1:0 --no-cache")
}

// serveArgs starts onair serve with args (space-separated), and returns
// the process, the address it listens on, and its log so far.
func serveArgs(t *testing.T, args string) (*exec.Cmd, string, *strings.Builder) {
	t.Helper()
	return serveIn(t, nil, args)
}

// serveIn is serveArgs, run through prefix (ip netns exec NS).
func serveIn(t *testing.T, prefix []string, args string) (*exec.Cmd, string, *strings.Builder) {
	t.Helper()
	argv := append(prefix, os.Args[0])
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "ONAIR_MAIN_ARGS=serve "+args)
	if strings.Contains(args, "--lease") {
		// Replicas publish one site, linked from one address.
		cmd.Env = append(cmd.Env, "ONAIR_STATION_BASE_URL=https://radio.example.org")
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var log strings.Builder
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	re := regexp.MustCompile(`listening url=http://(\S+)`)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("onair ended before listening (%v):\n%s", cmd.Wait(), log.String())
			}
			log.WriteString(l + "\n")
			if m := re.FindStringSubmatch(l); m != nil {
				go func() {
					for l := range lines {
						_ = l // drained: the pipe must not fill
					}
				}()
				return cmd, m[1], &log
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("onair did not listen within 20 s:\n%s", log.String())
		}
	}
}

// TestSignals: SIGTERM stops onair with status 0; a second SIGINT, while
// the first waits for a request, ends it at once.
func TestSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("runs onair")
	}
	t.Run("SIGTERM", func(t *testing.T) {
		cmd, _, _ := onair(t)
		cmd.Process.Signal(syscall.SIGHUP) // reloads; does not stop it
		time.Sleep(100 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("after SIGHUP then SIGTERM: %v, want exit 0", err)
		}
	})
	t.Run("a second SIGINT", func(t *testing.T) {
		cmd, addr, _ := onair(t)
		// A request whose headers never finish holds the orderly stop.
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("GET /feeds/prn.xml HTTP/1.1\r\nHost: x\r\n"))
		time.Sleep(100 * time.Millisecond)
		exited := make(chan error, 1)
		cmd.Process.Signal(os.Interrupt)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			t.Fatalf("exited (%v) while a request was in flight", err)
		case <-time.After(300 * time.Millisecond):
		}
		start := time.Now()
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
			if took := time.Since(start); took > time.Second {
				t.Errorf("the second SIGINT took %s", took)
			}
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != os.Interrupt {
				t.Errorf("ended with %v, want by SIGINT", cmd.ProcessState)
			}
		case <-time.After(3 * time.Second):
			t.Fatal("a second SIGINT did not end onair")
		}
	})
}
