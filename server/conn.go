package server

import (
	"bytes"
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"time"
)

// Listener wraps ln for HTTPServer, which must serve the wrapped one:
// each connection notes whether the request being read has finished its
// request line, so that a head too large for the read buffer is answered
// 414 when the line itself did not fit and 431 otherwise; and a
// connection closed after an error response first drains what the client
// still sends, so the client reads the response instead of a reset.
func (s *Server) Listener(ln net.Listener) net.Listener { return headListener{ln} }

type headListener struct{ net.Listener }

func (l headListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	hc := &headConn{Conn: c}
	if sc, ok := c.(syscall.Conn); ok {
		hc.raw, _ = sc.SyscallConn() // nil: no sendfile, bodies are copied
	}
	return hc, nil
}

// Bounds of the drain before a connection with an error response is
// closed. net/http waits half a second (rstAvoidanceDelay); reading as
// well lets a client that has stopped sending get a clean close.
const (
	lingerTime  = time.Second
	lingerBytes = 256 << 10
)

// headConn is a connection of Listener.
type headConn struct {
	net.Conn
	// lineRead is set once a newline has been read since the last
	// response was written: the request line of the request being read
	// is complete.
	lineRead atomic.Bool
	// linger is set by the error handler: drain before closing.
	linger atomic.Bool
	// raw is the socket, for sendfile (ReadFrom).
	raw syscall.RawConn
}

func (c *headConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && !c.lineRead.Load() && bytes.IndexByte(p[:n], '\n') >= 0 {
		c.lineRead.Store(true)
	}
	return n, err
}

func (c *headConn) Write(p []byte) (int, error) {
	// The request is answered; what is read next is a new one. (A request
	// pipelined behind it and read with it may get 414 for 431.)
	c.lineRead.Store(false)
	return c.Conn.Write(p)
}

// Close closes the connection, after the drain when linger is set.
func (c *headConn) Close() error {
	if c.linger.CompareAndSwap(true, false) {
		if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite() // the response is all there is
		}
		c.Conn.SetReadDeadline(time.Now().Add(lingerTime))
		io.CopyN(io.Discard, c.Conn, lingerBytes) // until EOF, the deadline or the cap
	}
	return c.Conn.Close()
}
