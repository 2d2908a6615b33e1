package server

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
)

// A large identity body is also held in a sealed memfd, and a GET of it
// is written with sendfile(2) from there: the kernel hands the pages to
// the socket instead of copying the bytes from the Go heap per request,
// which is what nginx does with the output file.
//
// fasthttp streams a body set with SetBodyStream through its bufio.Writer
// with ReadFrom: the first few KB are copied into the buffer behind the
// head (memReader.Read, from the bytes in memory), then the buffer is
// flushed and the rest goes to headConn.ReadFrom, which sends it from
// the memfd at the reader's own offset. Concurrent responses share one
// descriptor: sendfile is given an offset, so the file's own position is
// never used.

// sendfileMin is the smallest identity body sent with sendfile; below it
// the copy costs less than the extra system calls.
const sendfileMin = 64 << 10

// memBody is a sealed memfd holding the bytes of one body. It is closed
// once the tree no longer holds it and no response is sending from it.
type memBody struct {
	body []byte // the same bytes
	fd   int
	// refs counts the tree's reference (until retire) and one per
	// response in flight; the fd is closed when it drops to 0.
	refs    atomic.Int64
	retired atomic.Bool
}

// newMemBody copies body into a new sealed memfd.
func newMemBody(body []byte) (*memBody, error) {
	fd, err := unix.MemfdCreate("feedsmith-body", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("memfd_create: %w", err)
	}
	for rest := body; len(rest) > 0; {
		n, err := unix.Write(fd, rest)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("write memfd: %w", err)
		}
		rest = rest[n:]
	}
	// Sealed, the bytes cannot change under a response in flight.
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS,
		unix.F_SEAL_SHRINK|unix.F_SEAL_GROW|unix.F_SEAL_WRITE|unix.F_SEAL_SEAL); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("seal memfd: %w", err)
	}
	m := &memBody{body: body, fd: fd}
	m.refs.Store(1)
	return m, nil
}

// acquire takes a reference for a response; false once the fd is closed
// or about to be.
func (m *memBody) acquire() bool {
	for {
		r := m.refs.Load()
		if r == 0 || m.retired.Load() {
			return false
		}
		if m.refs.CompareAndSwap(r, r+1) {
			return true
		}
	}
}

func (m *memBody) release() {
	if m.refs.Add(-1) == 0 {
		unix.Close(m.fd)
	}
}

// retire drops the tree's reference: no new response sends from m, and
// the fd is closed when the last one in flight is done. Calling it again
// does nothing.
func (m *memBody) retire() {
	if m != nil && m.retired.CompareAndSwap(false, true) {
		m.release()
	}
}

// memReader is the body stream of one response from a memBody. It is
// taken from and given back to Server.readers.
type memReader struct {
	m    *memBody
	off  int64
	pool *sync.Pool
}

// newMemReader returns a reader of m from the start, or nil when m is
// retired.
func (s *Server) newMemReader(m *memBody) *memReader {
	if m == nil || !m.acquire() {
		return nil
	}
	r, _ := s.readers.Get().(*memReader)
	if r == nil {
		r = &memReader{pool: &s.readers}
	}
	r.m, r.off = m, 0
	return r
}

func (r *memReader) Read(p []byte) (int, error) {
	if r.off >= int64(len(r.m.body)) {
		return 0, io.EOF
	}
	n := copy(p, r.m.body[r.off:])
	r.off += int64(n)
	return n, nil
}

// Close is called by fasthttp once the response is written, or dropped.
func (r *memReader) Close() error {
	if r.m != nil {
		r.m.release()
		r.m = nil
		r.pool.Put(r)
	}
	return nil
}

// sendTo writes up to n bytes of r from its offset to the socket of rc.
func (r *memReader) sendTo(rc syscall.RawConn, n int64) (int64, error) {
	n = min(n, int64(len(r.m.body))-r.off)
	var sent int64
	var serr error
	err := rc.Write(func(fd uintptr) bool {
		for sent < n {
			w, err := unix.Sendfile(int(fd), r.m.fd, &r.off, int(n-sent))
			if w > 0 {
				sent += int64(w) // Sendfile moved r.off
			}
			switch {
			case err == unix.EAGAIN:
				return false // wait until the socket can take more
			case err == unix.EINTR:
			case err != nil:
				serr = fmt.Errorf("sendfile: %w", err)
				return true
			case w == 0:
				serr = io.ErrUnexpectedEOF
				return true
			}
		}
		return true
	})
	if err == nil {
		err = serr
	}
	return sent, err
}

// ReadFrom sends a memReader's bytes with sendfile; fasthttp's bufio.Writer
// calls it, wrapped in an io.LimitedReader, once its buffer is flushed.
// Any other reader is copied.
func (c *headConn) ReadFrom(src io.Reader) (int64, error) {
	c.lineRead.Store(false)
	r, limit := src, int64(-1)
	if lr, ok := src.(*io.LimitedReader); ok {
		r, limit = lr.R, lr.N
	}
	mr, ok := r.(*memReader)
	if !ok || c.raw == nil || mr.m == nil {
		return io.Copy(writerOnly{c}, src)
	}
	if limit < 0 {
		limit = int64(len(mr.m.body))
	}
	n, err := mr.sendTo(c.raw, limit)
	if lr, ok := src.(*io.LimitedReader); ok {
		lr.N -= n
	}
	return n, err
}

// writerOnly hides headConn's ReadFrom from io.Copy.
type writerOnly struct{ io.Writer }
