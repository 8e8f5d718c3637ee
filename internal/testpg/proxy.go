package testpg

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy puts a TCP relay on loopback in front of the server at u and
// returns the URL through it, and freeze: from then on the relay passes
// nothing either way and closes nothing, as a network that went silent
// would. The server may end the session; the client does not hear of it.
func Proxy(t testing.TB, u string) (proxied string, freeze func()) {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	target := pu.Host
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		conns  []net.Conn
		wg     sync.WaitGroup
		frozen = make(chan struct{})
		once   sync.Once
	)
	keep := func(c net.Conn) {
		mu.Lock()
		conns = append(conns, c)
		mu.Unlock()
	}
	relay := func(dst, src net.Conn) {
		defer wg.Done()
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			select {
			case <-frozen:
				io.Copy(io.Discard, src) // swallow until the test's end closes it
				return
			default:
			}
			if n > 0 {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				select {
				case <-frozen:
					return // silent: the other side hears nothing
				default:
				}
				if tc, ok := dst.(*net.TCPConn); ok {
					tc.CloseWrite()
				}
				return
			}
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			keep(c)
			keep(s)
			wg.Add(2)
			go relay(s, c)
			go relay(c, s)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		once.Do(func() { close(frozen) })
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	pu.Host = ln.Addr().String()
	return pu.String(), func() { once.Do(func() { close(frozen) }) }
}
