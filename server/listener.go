package server

import (
	"net"
	"sync"
)

// LimitListener accepts at most n connections at once: past them, Accept
// waits for one to close, and new ones wait in the kernel's backlog. It
// is x/net's netutil.LimitListener, except that a TCP connection keeps
// its own type's methods, ReadFrom among them: net/http sends a file
// with sendfile only when the connection has it, and netutil's wrapper
// hides it (every download went through the process's memory).
func LimitListener(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, slots: make(chan struct{}, n), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	slots     chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	release := sync.OnceFunc(func() { <-l.slots })
	if tc, ok := c.(*net.TCPConn); ok {
		return &limitTCPConn{TCPConn: tc, release: release}, nil
	}
	return &limitConn{Conn: c, release: release}, nil
}

func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

// limitTCPConn is a TCP connection that gives its slot back when closed;
// it has every method of *net.TCPConn (ReadFrom: sendfile).
type limitTCPConn struct {
	*net.TCPConn
	release func()
}

func (c *limitTCPConn) Close() error {
	err := c.TCPConn.Close()
	c.release()
	return err
}

// limitConn is any other connection, with the same Close.
type limitConn struct {
	net.Conn
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
