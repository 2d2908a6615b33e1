package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// upstream serves the documents with an ETag and a Last-Modified. In mode
// "304" it answers a matching conditional request with 304 Not Modified;
// in mode "200" it ignores the validators and sends the same bytes again,
// as many real upstreams do.
type upstream struct {
	docs         map[string]served
	lastModified string
	mode         atomic.Value // "200" or "304"
	ok, notMod   atomic.Int64
}

type served struct {
	body        []byte
	etag        string
	contentType string
}

func newUpstream(docs []document, mode string) (*upstream, error) {
	u := &upstream{docs: make(map[string]served, len(docs)), lastModified: defaultEnd.UTC().Format(http.TimeFormat)}
	for _, d := range docs {
		sum := sha256.Sum256(d.body)
		ct := "application/rss+xml; charset=utf-8"
		if strings.HasSuffix(d.name, ".atom") {
			ct = "application/atom+xml; charset=utf-8"
		}
		u.docs[d.name] = served{body: d.body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, contentType: ct}
	}
	return u, u.setMode(mode)
}

func (u *upstream) setMode(m string) error {
	if m != "200" && m != "304" {
		return fmt.Errorf("mode %q: want 200 or 304", m)
	}
	u.mode.Store(m)
	u.ok.Store(0)
	u.notMod.Store(0)
	return nil
}

func (u *upstream) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feeds/{name}", u.serveDoc)
	// Control endpoints for bench/run: switch the mode (which also zeroes
	// the counts), and read how many 200s and 304s were answered.
	mux.HandleFunc("PUT /-/mode/{mode}", func(w http.ResponseWriter, r *http.Request) {
		if err := u.setMode(r.PathValue("mode")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	})
	mux.HandleFunc("GET /-/stats", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%d %d\n", u.ok.Load(), u.notMod.Load())
	})
	return mux
}

func (u *upstream) serveDoc(w http.ResponseWriter, r *http.Request) {
	d, ok := u.docs[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("ETag", d.etag)
	h.Set("Last-Modified", u.lastModified)
	if u.mode.Load() == "304" && u.unchanged(r, d.etag) {
		u.notMod.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", d.contentType)
	h.Set("Content-Length", strconv.Itoa(len(d.body)))
	u.ok.Add(1)
	_, _ = w.Write(d.body)
}

// unchanged reports whether the request's validators match (RFC 9110
// 13.1.2 and 13.1.3: If-None-Match wins over If-Modified-Since).
func (u *upstream) unchanged(r *http.Request, etag string) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == etag || t == "*" {
				return true
			}
		}
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !defaultEnd.Truncate(time.Second).After(ims)
}

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fs.String("dir", "", "folder of documents written by gen (required)")
	listen := fs.String("listen", "127.0.0.1:0", "loopback address to serve on")
	mode := fs.String("mode", "200", "200: always send the document; 304: answer matching validators with 304")
	addrFile := fs.String("addr-file", "", "write the address served on to this file once listening (for -listen 127.0.0.1:0)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	docs, err := readDocs(*dir)
	if err != nil {
		return err
	}
	u, err := newUpstream(docs, *mode)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		ln.Close()
		return fmt.Errorf("listen: %s is not a loopback address", *listen)
	}
	srv := &http.Server{
		Handler:           u.handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	if *addrFile != "" {
		if err := writeAddr(*addrFile, ln.Addr().String()); err != nil {
			ln.Close()
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "serving %d documents on http://%s/feeds/ (mode %s)\n", len(docs), ln.Addr(), *mode)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// writeAddr writes addr to path whole: written to a temporary file, then
// renamed, so a reader polling for path never sees half of it.
func writeAddr(path, addr string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o644); err != nil {
		return fmt.Errorf("write address: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write address: %w", err)
	}
	return nil
}
