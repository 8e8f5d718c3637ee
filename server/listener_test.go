package server

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// TestLimitListener: at most n connections are accepted at once, the
// next once one closes (twice closing frees one slot only); a TCP
// connection keeps ReadFrom (sendfile); Close ends a waiting Accept.
func TestLimitListener(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := LimitListener(inner, 2)
	accepted := make(chan net.Conn, 4)
	ended := make(chan error, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				ended <- err
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", inner.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	var got []net.Conn
	for range 2 {
		select {
		case c := <-accepted:
			got = append(got, c)
		case <-time.After(5 * time.Second):
			t.Fatal("the first two connections were not accepted")
		}
	}
	if _, ok := got[0].(io.ReaderFrom); !ok {
		t.Errorf("an accepted TCP connection (%T) has no ReadFrom: no sendfile", got[0])
	}
	select {
	case <-accepted:
		t.Fatal("a third connection accepted past the limit of 2")
	case <-time.After(100 * time.Millisecond):
	}
	got[0].Close()
	got[0].Close() // the second Close gives nothing back
	select {
	case c := <-accepted:
		defer c.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("the third connection was not accepted once one closed")
	}
	// Two are open: Accept waits for a slot, and Close ends it.
	ln.Close()
	select {
	case err := <-ended:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end a waiting Accept")
	}
}
