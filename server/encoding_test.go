package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/publish"
)

func TestGzip(t *testing.T) {
	s, hs, _ := newTest(t, Options{})
	want := feedBody("News")
	plain, _ := get(t, "GET", hs.URL+"/feeds/news.atom")
	tests := []struct {
		accept string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"x-gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
		{"gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"gzip;q=2", false},
		{"gzip;q=abc", false},
		{"identity, gzip;q=0.5", false},
		{"identity;q=0.5, gzip", true},
		{"*", true},
		{"*;q=0", false},
		{"br", false},
		{"deflate, *;q=0.1", true},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.accept), func(t *testing.T) {
			resp, body := get(t, "GET", hs.URL+"/feeds/news.atom", "Accept-Encoding", tt.accept)
			if resp.StatusCode != 200 || resp.Header.Get("Vary") != "Accept-Encoding" {
				t.Fatalf("status %d, Vary %q", resp.StatusCode, resp.Header.Get("Vary"))
			}
			if got := resp.Header.Get("Content-Length"); got != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length %s for %d bytes", got, len(body))
			}
			gzipped := resp.Header.Get("Content-Encoding") == "gzip"
			if gzipped != tt.gzip {
				t.Fatalf("gzip = %v, want %v", gzipped, tt.gzip)
			}
			if !gzipped {
				if !bytes.Equal(body, want) {
					t.Error("identity body differs")
				}
				return
			}
			if len(body) >= len(want) {
				t.Errorf("gzip body %d bytes, identity %d", len(body), len(want))
			}
			if got := gunzip(t, body); !bytes.Equal(got, want) {
				t.Error("gzip body differs from identity after decompression")
			}
			if tag := resp.Header.Get("ETag"); tag != strings.TrimSuffix(plain.Header.Get("ETag"), `"`)+`-gzip"` {
				t.Errorf("gzip ETag %q, identity %q", tag, plain.Header.Get("ETag"))
			}
		})
	}
	t.Run("not smaller", func(t *testing.T) {
		s.Patch([]publish.File{{Path: "feeds/tiny.json", ContentType: "application/feed+json", Body: []byte("{}")}})
		resp, body := get(t, "GET", hs.URL+"/feeds/tiny.json", "Accept-Encoding", "gzip")
		if resp.Header.Get("Content-Encoding") != "" || string(body) != "{}" {
			t.Errorf("Content-Encoding %q, body %q: want the identity body", resp.Header.Get("Content-Encoding"), body)
		}
	})
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseQ(t *testing.T) {
	for in, want := range map[string]int{
		"1": 1000, "1.": 1000, "1.000": 1000, "0": 0, "0.5": 500, "0.05": 50, "0.001": 1,
		"1.5": 0, "0.0001": 0, "2": 0, "": 0, ".5": 0, "0,5": 0, "-1": 0,
	} {
		if got := parseQ(in); got != want {
			t.Errorf("parseQ(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestETagListMatches(t *testing.T) {
	e := &entry{plain: variant{etag: `"abc"`}, gzip: &variant{etag: `"abc-gzip"`}}
	for list, want := range map[string]bool{
		`"abc"`: true, `W/"abc"`: true, `"x", "abc"`: true, ` ,"x",,W/"abc-gzip"`: true, `*`: true,
		`abc`: false, `"ab"`: false, `"abc`: false, `W/`: false, `"x" junk "abc"`: false, ``: false,
		`"a,b", "abc"`: true,
	} {
		if got := etagListMatches(list, e); got != want {
			t.Errorf("etagListMatches(%q) = %v, want %v", list, got, want)
		}
	}
}

func FuzzAcceptsGzip(f *testing.F) {
	for _, s := range []string{"gzip", "gzip;q=0.5, identity", "*;q=0", "x-gzip;q=1.000", ";;,=,q="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := acceptsGzip([]string{s})
		if got && !strings.Contains(strings.ToLower(s), "gzip") && !strings.Contains(s, "*") {
			t.Errorf("acceptsGzip(%q) without gzip or *", s)
		}
	})
}

func FuzzIfNoneMatch(f *testing.F) {
	for _, s := range []string{`"abc"`, `W/"abc", "x"`, `*`, `"`, `W/`, `,,`} {
		f.Add(s)
	}
	e := &entry{plain: variant{etag: `"abc"`}}
	f.Fuzz(func(t *testing.T, s string) {
		if etagListMatches(s, e) && !strings.Contains(s, `"abc"`) && !strings.Contains(s, "*") {
			t.Errorf("%q matched without the tag or *", s)
		}
	})
}
