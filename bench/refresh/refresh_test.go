package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/feedsmith/feedsmith/config"
)

func TestDocsDeterministicAndParseable(t *testing.T) {
	g1, g2 := &generator{seed: 1, end: defaultEnd}, &generator{seed: 2, end: defaultEnd}
	for i := range 10 {
		a, b := g1.doc(i), g1.doc(i)
		if !bytes.Equal(a, b) {
			t.Fatalf("document %d differs between two runs with seed 1", i)
		}
		if bytes.Equal(a, g2.doc(i)) {
			t.Errorf("document %d is the same with seeds 1 and 2", i)
		}
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(a))
		if err != nil {
			t.Fatalf("%s: %v", name(i), err)
		}
		wantType := "rss"
		if strings.HasSuffix(name(i), ".atom") {
			wantType = "atom"
		}
		if feed.FeedType != wantType || len(feed.Items) != itemsPerFeed {
			t.Fatalf("%s: %s with %d items, want %s with %d", name(i), feed.FeedType, len(feed.Items), wantType, itemsPerFeed)
		}
		for _, it := range feed.Items {
			if it.PublishedParsed == nil || it.GUID == "" || it.Link == "" {
				t.Fatalf("%s: item %q lacks a date, guid or link", name(i), it.Title)
			}
			if !strings.HasSuffix(it.Published, "+0800") && !strings.HasSuffix(it.Published, "+08:00") {
				t.Fatalf("%s: item dated %q, want +0800", name(i), it.Published)
			}
			if n := max(len(it.Description), len(it.Content)); n < 1000 || n > 4000 {
				t.Fatalf("%s: description of %d bytes, want 1-3 KB", name(i), n)
			}
		}
	}
}

func TestUpstreamModes(t *testing.T) {
	g := &generator{seed: 1, end: defaultEnd}
	u, err := newUpstream([]document{{name(0), g.doc(0)}}, "200")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(u.handler())
	defer srv.Close()
	get := func(etag string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/feeds/"+name(0), nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	etag := u.docs[name(0)].etag
	tests := []struct {
		name, mode, etag string
		want             int
	}{
		{"unconditional", "200", "", 200},
		{"conditional answered 200", "200", etag, 200},
		{"conditional answered 304", "304", etag, 304},
		{"stale etag", "304", `"0000"`, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := u.setMode(tc.mode); err != nil {
				t.Fatal(err)
			}
			code, body := get(tc.etag)
			if code != tc.want {
				t.Fatalf("status %d, want %d", code, tc.want)
			}
			if code == 200 && !bytes.Equal(body, g.doc(0)) {
				t.Fatal("200 with other bytes than the document")
			}
			if ok, nm := u.ok.Load(), u.notMod.Load(); (code == 200) != (ok == 1 && nm == 0) {
				t.Fatalf("counted %d 200s and %d 304s", ok, nm)
			}
		})
	}
}

func TestConfigLoads(t *testing.T) {
	dir := t.TempDir()
	names := []string{name(0), name(4)}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(configYAML("http://127.0.0.1:9", dir, names)), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 2 || cfg.Sources[1].URL != "http://127.0.0.1:9/feeds/"+name(4) {
		t.Fatalf("sources %+v", cfg.Sources)
	}
	if cfg.Defaults.PerHost < buildWorkers || cfg.Defaults.HostGap != 0 {
		t.Fatalf("per_host %d, host_gap %v: the host limiter would slow the bench", cfg.Defaults.PerHost, cfg.Defaults.HostGap)
	}
}
