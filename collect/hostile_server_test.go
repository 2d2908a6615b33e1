package collect

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// hostileUpstream is a loopback upstream with one path per way a real
// site goes wrong. Every handler that streams or waits stops when the
// client goes away, so the server closes promptly after the test.
func hostileUpstream() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /good.rss", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		io.WriteString(w, rss(seedItem(id, time.Now())))
	})
	mux.HandleFunc("GET /good.json", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"items":[{"id":"%s-seed","title":"seed %s","url":"https://news.example.org/%s/seed.html"}]}`, id, id, id)
	})
	mux.HandleFunc("GET /good.html", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><body><div class="item"><a href="/%s/seed.html">seed %s</a></div></body></html>`, id, id)
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		body := rss(item("slow", "slow", "<p>slow"))
		for i := range len(body) {
			if _, err := io.WriteString(w, body[i:i+1]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			if !sleep(r, time.Second) {
				return
			}
		}
	})
	mux.HandleFunc("GET /stall", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "4096")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	mux.HandleFunc("GET /endless", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>`)
		chunk := strings.Repeat("a", 32<<10)
		for r.Context().Err() == nil {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("GET /bomb", func(w http.ResponseWriter, r *http.Request) {
		// 1 GiB of zeros, compressed as it is sent: about 1 MiB on the
		// wire, never held whole by either side.
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		zeros := make([]byte, 64<<10)
		for n := 0; n < 1<<30 && r.Context().Err() == nil; n += len(zeros) {
			if _, err := zw.Write(zeros); err != nil {
				return
			}
		}
		zw.Close()
	})
	mux.HandleFunc("GET /huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2000000000")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	static := map[string]struct{ contentType, body string }{
		"/bad.xml":     {"application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>t</b><item><title>x</title><link>/x</item></channel>`},
		"/bad.json":    {"application/json", `{"items":[{"id":"1","title":"one","url":"/1"},{"id":"2","title":`},
		"/bad.html":    {"text/html", badHTML},
		"/badutf8.xml": {"application/rss+xml; charset=utf-8", rss(item("u1", "bad \xff\xfe bytes", "<p>x\xc3"))},
		"/bogus.xml":   {"application/rss+xml; charset=klingon", strings.Replace(rss(item("c1", "t", "<p>x")), "utf-8", "klingon", 1)},
		"/mislabel.xml": {"application/rss+xml; charset=iso-8859-1",
			strings.Replace(rss(item("m1", "海滨步道", "<p>x")), "utf-8", "iso-8859-1", 1)},
		"/dupes.xml": {"application/rss+xml", rss(item("d1", "first", "<p>1"), item("d1", "second", "<p>2"), item("d1", "third", "<p>3"))},
		"/dates.xml": {"application/rss+xml", rss(
			dated("y1", "Mon, 01 Jan 0001 00:00:00 +0000"), dated("y9999", "Fri, 31 Dec 9999 23:59:59 +0000"))},
	}
	for path, doc := range static {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", doc.contentType)
			io.WriteString(w, doc.body)
		})
	}
	mux.HandleFunc("GET /many.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		bw := bufio.NewWriter(w)
		io.WriteString(bw, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://news.example.org/</link>`)
		for i := range 100_000 {
			fmt.Fprintf(bw, `<item><guid>n%d</guid><title>n%d</title><link>/n/%d</link><pubDate>Sat, 01 Feb 2020 00:00:00 +0000</pubDate></item>`, i, i, i)
		}
		io.WriteString(bw, `</channel></rss>`)
		bw.Flush()
	})
	mux.HandleFunc("GET /500", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("GET /429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	mux.HandleFunc("GET /loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("GET /ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://news.example.org/feed.rss", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /reset", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // close with a RST, not a FIN
		}
		conn.Close()
	})
	return mux
}

// sleep waits d unless the request ends first; it reports whether it
// waited the whole time.
func sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

const badHTML = `<html><body><table><div class="item"><a href="/h1">first <b>bold<div class="item"><a href=/h2>second</td></tr>
<p><div class="item"><a href="/h3">third</a></span></i></div></div><script>document.write("<div class=item>")</script><!-- unterminated`

func seedItem(id string, published time.Time) string {
	return fmt.Sprintf(`<item><guid>%s-seed</guid><title>seed %s</title><link>/%s/seed.html</link><pubDate>%s</pubDate></item>`,
		id, id, id, published.Format(time.RFC1123Z))
}

func dated(guid, date string) string {
	return fmt.Sprintf(`<item><guid>%s</guid><title>%s</title><link>/d/%s</link><pubDate>%s</pubDate></item>`, guid, guid, guid, date)
}
