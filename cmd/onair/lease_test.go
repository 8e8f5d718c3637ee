package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/onair-radio/onair/internal/testpg"
	"github.com/onair-radio/onair/lease"
)

// TestTakeover runs two onair serve replicas on one lease and one bucket,
// kills the leader with SIGKILL, and times the standby's taking over: the
// database frees a dead session's lock at once, a standby tries every
// lease.Retry, and leads lease.Grace after it took the lock: well within
// the 15 s the issue allows.
func TestTakeover(t *testing.T) {
	if testing.Short() {
		t.Skip("runs onair")
	}
	url := testpg.Start(t)
	bucket := "file://" + t.TempDir()
	state := t.TempDir()
	args := "--config ../../config.example.yaml --listen 127.0.0.1:0 --no-cache --lease " + url + " --out " + bucket + " --state " + state
	a, aAddr, _ := serveArgs(t, args)
	waitRole := func(addr, want string, within time.Duration) time.Duration {
		t.Helper()
		start := time.Now()
		for role(addr) != want {
			if time.Since(start) > within {
				t.Fatalf("%s is %q, not %s, after %s", addr, role(addr), want, within)
			}
			time.Sleep(20 * time.Millisecond)
		}
		return time.Since(start)
	}
	waitRole(aAddr, "leader", 30*time.Second)
	b, bAddr, _ := serveArgs(t, args)
	time.Sleep(3500 * time.Millisecond)
	if role(bAddr) != "standby" {
		t.Fatalf("b is %q", role(bAddr))
	}
	if _, err := os.Stat(filepath.Join(bucket[len("file://"):], "feeds", "prn.xml")); err != nil {
		t.Errorf("the leader did not write the bucket: %v", err)
	}
	a.Process.Signal(syscall.SIGKILL)
	a.Wait()
	took := waitRole(bAddr, "leader", 15*time.Second)
	t.Logf("the standby led %.2f s after the leader was killed", took.Seconds())
	if took < lease.Grace {
		t.Errorf("the standby led %s after the leader was killed: sooner than Grace (%s)", took, lease.Grace)
	}

	// A leader stopped in order (a rolling restart) ends its acts, says
	// so, and lets go: the standby leads without waiting Grace.
	c, cAddr, _ := serveArgs(t, args)
	waitRole(cAddr, "standby", 30*time.Second)
	b.Process.Signal(syscall.SIGTERM)
	b.Wait()
	took = waitRole(cAddr, "leader", lease.Retry+2*time.Second)
	t.Logf("the standby led %.2f s after the leader was stopped (SIGTERM)", took.Seconds())
	c.Process.Signal(syscall.SIGTERM)
	c.Wait()
}

func role(addr string) string {
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var h struct{ Role string }
	json.Unmarshal(body, &h)
	return h.Role
}
