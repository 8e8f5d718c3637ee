// Package testpg gives tests a PostgreSQL database: one server per test
// binary (initdb in a temporary directory, postgres on a loopback port),
// and a fresh database in it for each test. As root it runs them as
// nobody (PostgreSQL refuses root). Without the binaries a test is
// skipped, saying so, unless ONAIR_REQUIRE_PG is set (as on CI): then it
// fails.
//
// A package that uses it runs its tests through Run, from TestMain, which
// stops the server when they are done.
package testpg

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var server struct {
	sync.Mutex
	running bool // Run is running the tests
	started bool
	url     string // the server's postgres database
	err     error  // why it could not start
	missing bool   // the binaries are not there
	stop    func()
	dbs     int
}

// Run runs the package's tests (from TestMain) and then stops the server,
// if a test started it. It returns m.Run's code.
func Run(m *testing.M) int {
	server.Lock()
	server.running = true
	server.Unlock()
	code := m.Run()
	server.Lock()
	defer server.Unlock()
	if server.stop != nil {
		server.stop()
	}
	return code
}

// bin finds a PostgreSQL program: in $PATH, or Debian's versioned
// directory.
func bin(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return matches[len(matches)-1]
	}
	return ""
}

// Start returns the URL of a new, empty database for this test
// (postgres://postgres@127.0.0.1:port/tN), starting the server first if
// need be.
func Start(t testing.TB) string {
	t.Helper()
	skipShort(t)
	server.Lock()
	defer server.Unlock()
	if !server.running {
		t.Fatal("testpg: the package's TestMain must run its tests through testpg.Run, which stops the server")
	}
	if !server.started {
		server.started = true
		server.url, server.stop, server.missing, server.err = startServer("127.0.0.1", "")
	}
	if server.missing {
		if os.Getenv("ONAIR_REQUIRE_PG") != "" {
			t.Fatal("PostgreSQL is not installed (apt-get install postgresql)")
		}
		t.Skip("PostgreSQL is not installed (apt-get install postgresql): skipping")
	}
	if server.err != nil {
		t.Fatal(server.err)
	}
	server.dbs++
	name := "t" + strconv.Itoa(server.dbs)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return strings.Replace(server.url, "/postgres?", "/"+name+"?", 1)
}

// StartListening starts a server of the test's own, listening on
// 127.0.0.1 and on also (another address of this machine's), and taking
// clients from the network clients (a CIDR) too; it is stopped when the
// test ends. It returns its URL on 127.0.0.1.
func StartListening(t testing.TB, also, clients string) string {
	t.Helper()
	skipShort(t)
	url, stop, missing, err := startServer("127.0.0.1,"+also, "host all all "+clients+" trust\n")
	if missing {
		if os.Getenv("ONAIR_REQUIRE_PG") != "" {
			t.Fatal("PostgreSQL is not installed (apt-get install postgresql)")
		}
		t.Skip("PostgreSQL is not installed (apt-get install postgresql): skipping")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}

// startServer runs initdb and postgres, listening on listen (PostgreSQL's
// listen_addresses), with hba added to its pg_hba.conf, and waits until it
// answers a query.
func startServer(listen, hba string) (url string, stop func(), missing bool, err error) {
	initdb, postgres := bin("initdb"), bin("postgres")
	if initdb == "" || postgres == "" {
		return "", nil, true, nil
	}
	dir, err := os.MkdirTemp("", "onair-pg-")
	if err != nil {
		return "", nil, false, err
	}
	data := filepath.Join(dir, "data")
	// As root, the server runs as nobody: postgres itself, not a runuser
	// in front of it, so that a signal reaches it.
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		os.Chmod(dir, 0o777)
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	command := func(args ...string) *exec.Cmd {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
		return cmd
	}
	if out, err := command(initdb, "-D", data, "-A", "trust", "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", nil, false, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	if hba != "" {
		f, err := os.OpenFile(filepath.Join(data, "pg_hba.conf"), os.O_APPEND|os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString(hba)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			os.RemoveAll(dir)
			return "", nil, false, fmt.Errorf("pg_hba.conf: %w", err)
		}
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, false, err
	}
	cmd := command(postgres, "-D", data, "-p", strconv.Itoa(port), "-k", dir, "-c", "listen_addresses="+listen, "-c", "fsync=off", "-c", "max_connections=200")
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return "", nil, false, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop = func() {
		cmd.Process.Signal(syscall.SIGQUIT) // an immediate shutdown: the data is thrown away
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		os.RemoveAll(dir)
	}
	// Ready is a query answered, not a port open: postgres listens before
	// it takes connections ("the database system is starting up").
	url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, url)
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(ctx)
		}
		cancel()
		if err == nil {
			return url, stop, false, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, false, fmt.Errorf("postgres did not answer within 30 s (%v):\n%s", err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// skipShort skips a test under -short, the quick loop of fakes and the
// fake clock: PostgreSQL is a real server (the whole suite, and CI, run
// these tests).
func skipShort(t testing.TB) {
	if testing.Short() {
		t.Skip("-short: this test runs a real PostgreSQL")
	}
}
