package dirlock

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestTake(t *testing.T) {
	dir := t.TempDir()
	l, err := Take(dir, "onair serve (pid 1) on host")
	if err != nil {
		t.Fatal(err)
	}
	// flock is per open file: a second Take in this process is refused
	// as another process's would be.
	if _, err := Take(dir, "the second"); !errors.Is(err, ErrHeld) || !strings.Contains(err.Error(), "onair serve (pid 1) on host") {
		t.Errorf("a second take: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := Take(dir, "the second")
	if err != nil {
		t.Fatalf("after a release: %v", err)
	}
	defer l2.Release()
}

// TestTakeAcrossProcesses: a process that holds the directory keeps
// another out, named, until it ends, however it ends (here SIGKILL).
func TestTakeAcrossProcesses(t *testing.T) {
	if dir := os.Getenv("DIRLOCK_HOLD"); dir != "" {
		if _, err := Take(dir, "the other process"); err != nil {
			os.Exit(1)
		}
		os.Stdout.WriteString("held\n")
		select {} // until killed
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestTakeAcrossProcesses$")
	cmd.Env = append(os.Environ(), "DIRLOCK_HOLD="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "held\n" {
		t.Fatalf("the other process: %q, %v", line, err)
	}
	if _, err := Take(dir, "me"); !errors.Is(err, ErrHeld) || !strings.Contains(err.Error(), "the other process") {
		t.Errorf("while another process holds it: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	l, err := Take(dir, "me")
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	l.Release()
}
