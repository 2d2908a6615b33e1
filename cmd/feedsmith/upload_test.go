package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/feedsmith/feedsmith/internal/testutil"
)

var s3Line = regexp.MustCompile(`(?m)^s3: uploaded (\d+), unchanged (\d+), deleted (\d+), to s3://feeds/site/ in (\S+)$`)

// s3Stats returns the counts of build's s3 line.
func s3Stats(t *testing.T, out string) (uploaded, unchanged, deleted int) {
	t.Helper()
	m := s3Line.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no s3 line in:\n%s", out)
	}
	t.Logf("s3 line: %s", m[0])
	n := func(s string) int { i, _ := strconv.Atoi(s); return i }
	return n(m[1]), n(m[2]), n(m[3])
}

// TestBuildS3 builds the shipped examples with outputs.s3 on a versitygw
// server, the credentials from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY: the bucket gets every file of the output folder,
// the same bytes, with its Content-Type and Cache-Control; the next build
// uploads nothing. A build whose bucket fails midway exits 1 naming the
// bucket; the next one uploads the rest, and only the rest.
func TestBuildS3(t *testing.T) {
	gw := testutil.StartVersityGW(t, "feeds")
	proxy := testutil.StartS3Proxy(t, gw.Endpoint)
	dir, cfg := shippedConfig(t)
	shipped, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	withS3 := string(shipped) + "\noutputs:\n  s3:\n    endpoint: " + proxy.URL + "\n    bucket: feeds\n    prefix: site\n    region: us-east-1\n    path_style: true\n"
	putFile(t, dir, "config.yaml", withS3)
	env := []string{"AWS_ACCESS_KEY_ID=" + gw.AccessKey, "AWS_SECRET_ACCESS_KEY=" + gw.SecretKey}
	build := func(wantCode int) string {
		t.Helper()
		code, out, errs := runBinary(t, dir, nil, env, "build", "-config", cfg)
		if code != wantCode {
			t.Fatalf("build exited %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, out, errs)
		}
		return out + errs
	}

	if code, out, errs := runBinary(t, dir, nil, env, "check", cfg); code != 0 {
		t.Fatalf("check exited %d:\n%s%s", code, out, errs)
	}
	out := build(0)
	files := treeFiles(t, filepath.Join(dir, "public"))
	if up, unch, del := s3Stats(t, out); up != len(files) || unch != 0 || del != 0 {
		t.Errorf("first build: uploaded %d, unchanged %d, deleted %d; want all %d uploaded", up, unch, del, len(files))
	}
	if puts := proxy.Requests("PUT"); len(puts) != len(files) {
		t.Errorf("%d PUTs for %d files", len(puts), len(files))
	}
	checkBucket(t, gw, dir, files)

	proxy.Reset()
	out = build(0)
	if up, unch, _ := s3Stats(t, out); up != 0 || unch != len(files) {
		t.Errorf("unchanged build: uploaded %d, unchanged %d", up, unch)
	}
	if puts := proxy.Requests("PUT"); len(puts) != 0 {
		t.Errorf("an unchanged build uploaded %v", puts)
	}

	// Fewer items change every feed, a new title the pages.
	renamed := strings.Replace(withS3, "title: feedsmith 示例站 / example site", "title: Renamed site", 1)
	putFile(t, dir, "config.yaml", strings.Replace(renamed, "items: 50", "items: 2", 1))
	proxy.Reset()
	proxy.FailAfter(5)
	out = build(1)
	if !strings.Contains(out, "bucket s3://feeds/site/ not fully uploaded") || !strings.Contains(out, "failing on purpose") {
		t.Errorf("failed upload not reported:\n%s", out)
	}
	// Files the new configuration leaves as they were count as unchanged.
	failedUp, same, _ := s3Stats(t, out)
	if failedUp != 5 || failedUp+same >= len(files) {
		t.Errorf("failing build uploaded %d and left %d of %d, want 5 through and some left", failedUp, same, len(files))
	}
	proxy.Heal()
	proxy.Reset()
	out = build(0)
	up, unch, _ := s3Stats(t, out)
	if up != len(files)-same-failedUp || unch != same+failedUp {
		t.Errorf("after the failure: uploaded %d, unchanged %d; want the other %d uploaded", up, unch, len(files)-same-failedUp)
	}
	if puts := proxy.Requests("PUT"); len(puts) != up {
		t.Errorf("%d PUTs for %d uploads", len(puts), up)
	}
	checkBucket(t, gw, dir, files)
	if b, err := os.ReadFile(gw.Object("feeds", "site/index.html")); err != nil || !strings.Contains(string(b), "Renamed site") {
		t.Errorf("index.html in the bucket is not the renamed site's (%v)", err)
	}
}

// treeFiles lists the files under dir, slash-separated.
func treeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// checkBucket wants every file of the output folder in the bucket with
// the same bytes, and its headers right.
func checkBucket(t *testing.T, gw *testutil.VersityGW, dir string, files []string) {
	t.Helper()
	for _, f := range files {
		disk, _ := os.ReadFile(filepath.Join(dir, "public", filepath.FromSlash(f)))
		obj, err := os.ReadFile(gw.Object("feeds", "site/"+f))
		if err != nil || string(obj) != string(disk) {
			t.Errorf("%s: the bucket's (%d bytes, %v) is not the one on disk (%d bytes)", f, len(obj), err, len(disk))
		}
	}
	c, err := minio.New(strings.TrimPrefix(gw.Endpoint, "http://"), &minio.Options{
		Creds: credentials.NewStaticV4(gw.AccessKey, gw.SecretKey, ""), Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string][2]string{
		"site/feeds/rizhaoribao.atom": {"application/atom+xml; charset=utf-8", "public, max-age="},
		"site/feeds/haibin.rss":       {"application/rss+xml; charset=utf-8", "public, max-age=600"},
		"site/feeds/all.json":         {"application/feed+json; charset=utf-8", "public, max-age="},
		"site/feeds.opml":             {"text/x-opml; charset=utf-8", "public, max-age=3600"},
		"site/index.html":             {"text/html; charset=utf-8", "public, max-age=60"},
	} {
		info, err := c.StatObject(t.Context(), "feeds", key, minio.StatObjectOptions{})
		if err != nil {
			t.Errorf("HEAD %s: %v", key, err)
			continue
		}
		if cc := info.Metadata.Get("Cache-Control"); info.ContentType != want[0] || !strings.HasPrefix(cc, want[1]) {
			t.Errorf("%s: Content-Type %q, Cache-Control %q; want %q, %q…", key, info.ContentType, cc, want[0], want[1])
		}
	}
	if !slices.Contains(files, "index.html") {
		t.Error("no index.html in the output folder")
	}
}
