//go:build linux

package server

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/publish"
)

// openFDs counts the descriptors of this process.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(ents)
}

// bigFile is a tree file large enough to be sent with sendfile.
func bigFile(p string, body []byte) publish.File {
	return publish.File{Path: p, ContentType: atomType, Body: body, MaxAge: 15 * time.Minute}
}

// settledFDs counts the descriptors once the count has not changed for
// a while: connections of earlier requests may still be closing.
func settledFDs(t *testing.T) int {
	t.Helper()
	n := openFDs(t)
	for range 50 {
		time.Sleep(50 * time.Millisecond)
		m := openFDs(t)
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// waitFDs waits a little for the count of descriptors to be want: a
// connection closed by one end is closed by the other soon after.
func waitFDs(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for openFDs(t) != want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := openFDs(t); got != want {
		t.Fatalf("%d descriptors open, want %d", got, want)
	}
}

// TestSendfileBytes sends large bodies with sendfile over a real socket,
// on one kept-alive connection: the same bytes and Content-Length, the
// gzip variant and a HEAD unaffected, and a small body still copied.
func TestSendfileBytes(t *testing.T) {
	s, ls, _ := newTest(t, Options{})
	big := bigFeed()
	other := bytes.ToUpper(big)
	s.Patch([]publish.File{bigFile("feeds/big.atom", big), bigFile("feeds/other.atom", other)})
	if e := (*s.files.Load())["feeds/big.atom"]; e.mem == nil {
		t.Fatal("no memfd for a large body")
	}
	if e := (*s.files.Load())["feeds/news.atom"]; e.mem != nil {
		t.Fatal("a memfd for a small body")
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(ls.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	do := func(method, path, extra string) (*http.Response, []byte) {
		t.Helper()
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: feeds.test\r\n%s\r\n", method, path, extra)
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	for i := range 3 { // kept alive: each response ends where it says
		for _, f := range []struct {
			path string
			body []byte
		}{{"/feeds/big.atom", big}, {"/feeds/other.atom", other}, {"/feeds/news.atom", feedBody("News")}} {
			resp, b := do("GET", f.path, "")
			if resp.StatusCode != 200 || !bytes.Equal(b, f.body) || resp.ContentLength != int64(len(f.body)) {
				t.Fatalf("round %d, %s: status %d, %d bytes (Content-Length %d), want 200 and the %d bytes",
					i, f.path, resp.StatusCode, len(b), resp.ContentLength, len(f.body))
			}
		}
	}
	resp, b := do("GET", "/feeds/big.atom", "Accept-Encoding: gzip\r\n")
	if resp.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, b), big) {
		t.Errorf("gzip: Content-Encoding %q, %d bytes", resp.Header.Get("Content-Encoding"), len(b))
	}
	resp, b = do("HEAD", "/feeds/big.atom", "")
	if resp.ContentLength != int64(len(big)) || len(b) != 0 {
		t.Errorf("HEAD: Content-Length %d, %d bytes of body", resp.ContentLength, len(b))
	}
	resp, _ = do("GET", "/feeds/big.atom", "If-None-Match: "+resp.Header.Get("ETag")+"\r\n")
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d", resp.StatusCode)
	}
}

// TestSendfileNoLeak counts descriptors: an Update that keeps the bytes
// keeps the memfd, one that changes them or removes the file closes the
// old one, also when a response from it was in flight, and the response
// in flight still gets the old bytes whole.
func TestSendfileNoLeak(t *testing.T) {
	s, ls, _ := newTest(t, Options{})
	addr := strings.TrimPrefix(ls.URL, "http://")
	// The first connection opens the runtime's poller: count after one.
	rawDo(t, addr, "GET /healthz HTTP/1.1\r\nHost: feeds.test", "")
	base := settledFDs(t)

	big := bigFeed()
	files := func(body []byte) []publish.File {
		var fs []publish.File
		for i := range 5 {
			fs = append(fs, bigFile(fmt.Sprintf("feeds/big%d.atom", i), body))
		}
		return fs
	}
	s.Patch(files(big))
	waitFDs(t, base+5)
	s.Patch(files(big)) // same bytes: the same memfds
	waitFDs(t, base+5)
	for i := range 5 {
		if resp, b := rawDo(t, addr, fmt.Sprintf("GET /feeds/big%d.atom HTTP/1.1\r\nHost: feeds.test", i), ""); !bytes.Equal([]byte(b), big) {
			t.Fatalf("big%d: status %d, %d bytes", i, resp.StatusCode, len(b))
		}
	}
	waitFDs(t, base+5)

	// A reader that has not read its response yet: the socket buffers,
	// made small on both sides, hold only part of it, so the server is
	// still sending from the memfd when the file is replaced.
	small := startSmallBuffers(t, s)
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4<<10) })
		return nil
	}}
	conn, err := d.Dial("tcp", small)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET /feeds/big0.atom HTTP/1.1\r\nHost: feeds.test\r\nConnection: close\r\n\r\n")
	time.Sleep(100 * time.Millisecond)

	changed := bytes.ToUpper(big)
	s.Patch(files(changed)) // five new memfds; four old ones closed, one in flight
	// The two ends of the connection, the listener, five new memfds
	// and the old one still sending.
	waitFDs(t, base+3+5+1)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil || !bytes.Equal(b, big) {
		t.Fatalf("the response in flight: %d bytes, error %v; want the old %d bytes", len(b), err, len(big))
	}
	conn.Close()
	waitFDs(t, base+1+5) // the listener is still open
	if _, b := rawDo(t, addr, "GET /feeds/big0.atom HTTP/1.1\r\nHost: feeds.test", ""); b != string(changed) {
		t.Errorf("after the Patch: %d bytes, not the new ones", len(b))
	}

	s.Remove([]string{"feeds/big0.atom", "feeds/big1.atom"})
	waitFDs(t, base+1+3)
	// The same path twice in one Patch: the first one's memfd is closed.
	s.Patch([]publish.File{bigFile("feeds/big2.atom", big), bigFile("feeds/big2.atom", bytes.ToLower(big))})
	waitFDs(t, base+1+3)
	s.Update(sampleTree())
	waitFDs(t, base+1)
}

// startSmallBuffers serves s on another loopback port whose connections
// have a small send buffer, and returns its address.
func startSmallBuffers(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ls := &liveServer{hs: s.HTTPServer(), ln: ln, done: make(chan error, 1)}
	go func() { ls.done <- ls.hs.Serve(s.Listener(smallSendListener{ln})) }()
	t.Cleanup(ls.Close)
	return ln.Addr().String()
}

type smallSendListener struct{ net.Listener }

func (l smallSendListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4 << 10)
	}
	return c, err
}

// TestSendfileRetiredEntry serves an entry whose memfd was closed (a
// request that looked the tree up just before an Update): it is answered
// from the bytes in memory.
func TestSendfileRetiredEntry(t *testing.T) {
	s, ls, _ := newTest(t, Options{})
	big := bigFeed()
	s.Patch([]publish.File{bigFile("feeds/big.atom", big)})
	e := (*s.files.Load())["feeds/big.atom"]
	e.mem.retire()
	if r := s.newMemReader(e.mem); r != nil {
		t.Fatal("a reader of a retired memfd")
	}
	if _, b := rawDo(t, strings.TrimPrefix(ls.URL, "http://"), "GET /feeds/big.atom HTTP/1.1\r\nHost: feeds.test", ""); b != string(big) {
		t.Errorf("%d bytes, want the %d in memory", len(b), len(big))
	}
}
