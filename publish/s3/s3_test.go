package s3

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/publish"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// env is a versitygw server with bucket "feeds", a proxy in front of it
// that counts and can fail requests, a store, and a Bucket uploading
// through the proxy under prefix "site/".
type env struct {
	gw     *testutil.VersityGW
	proxy  *testutil.S3Proxy
	store  *sqlite.Store
	bucket *Bucket
	direct *minio.Client // to the server itself, to read back
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{gw: testutil.StartVersityGW(t, "feeds")}
	e.proxy = testutil.StartS3Proxy(t, e.gw.Endpoint)
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "feedsmith.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.store = st
	cfg := config.S3{Endpoint: e.proxy.URL, Bucket: "feeds", Prefix: "site", Region: "us-east-1", PathStyle: true,
		AccessKeyID: e.gw.AccessKey, SecretAccessKey: e.gw.SecretKey}
	if e.bucket, err = New(cfg, st, "test"); err != nil {
		t.Fatal(err)
	}
	e.direct, err = minio.New(strings.TrimPrefix(e.gw.Endpoint, "http://"), &minio.Options{
		Creds: credentials.NewStaticV4(e.gw.AccessKey, e.gw.SecretKey, ""), Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// object reads back an object: its bytes and headers, or ok false when
// the bucket does not have it.
func (e *env) object(t *testing.T, key string) (body, contentType, cacheControl string, ok bool) {
	t.Helper()
	info, err := e.direct.StatObject(t.Context(), "feeds", key, minio.StatObjectOptions{}) // a HEAD
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return "", "", "", false
	}
	if err != nil {
		t.Fatalf("HEAD %s: %v", key, err)
	}
	obj, err := e.direct.GetObject(t.Context(), "feeds", key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatalf("GET %s: %v", key, err)
	}
	return string(b), info.ContentType, info.Metadata.Get("Cache-Control"), true
}

func testTree() publish.Tree {
	return publish.Tree{
		{Path: "feeds/news.atom", ContentType: "application/atom+xml; charset=utf-8", Body: []byte("<feed>news</feed>"), MaxAge: 30 * time.Minute},
		{Path: "feeds/news.rss", ContentType: "application/rss+xml; charset=utf-8", Body: []byte("<rss>news</rss>"), MaxAge: 30 * time.Minute},
		{Path: "feeds/tech.atom", ContentType: "application/atom+xml; charset=utf-8", Body: []byte("<feed>tech</feed>"), MaxAge: time.Hour},
		{Path: "category/news.html", ContentType: "text/html; charset=utf-8", Body: []byte("<p>news</p>"), MaxAge: 10 * time.Minute},
		{Path: "article/news/1.html", ContentType: "text/html; charset=utf-8", Body: []byte("<p>one</p>"), MaxAge: time.Hour},
		{Path: "site.css", ContentType: "text/css; charset=utf-8", Body: []byte("body{}"), MaxAge: 24 * time.Hour},
		{Path: "feeds.opml", ContentType: "text/x-opml; charset=utf-8", Body: []byte("<opml/>"), MaxAge: time.Hour},
		{Path: "index.html", ContentType: "text/html; charset=utf-8", Body: []byte("<p>served, with run times</p>"), Disk: []byte("<p>on disk</p>"), MaxAge: time.Minute},
		{Path: "status.html", ContentType: "text/html; charset=utf-8", Body: []byte("<p>status</p>")},
	}
}

// uploadGroups is testTree's paths in the order they must be uploaded
// in: each group before the next, in any order within a group.
var uploadGroups = [][]string{
	{"article/news/1.html", "site.css"},
	{"feeds/news.atom", "feeds/news.rss", "feeds/tech.atom"},
	{"category/news.html"},
	{"feeds.opml", "index.html", "status.html"},
}

// checkOrder checks that puts, the PUTs of testTree in the order the
// server got them, went up in uploadGroups' order.
func checkOrder(t *testing.T, puts []string) {
	t.Helper()
	var want []string
	for _, g := range uploadGroups {
		want = append(want, g...)
	}
	if len(puts) != len(want) {
		t.Fatalf("PUTs %v, want %d", puts, len(want))
	}
	i := 0
	for _, g := range uploadGroups {
		if got := slices.Sorted(slices.Values(puts[i : i+len(g)])); !slices.Equal(got, g) {
			t.Errorf("PUTs %v: %v went up where %v should have", puts, got, g)
		}
		i += len(g)
	}
}

// puts returns the tree paths of the PUTs the proxy saw, and forgets
// them.
func (e *env) puts() []string {
	var paths []string
	for _, p := range e.proxy.Requests("PUT") {
		paths = append(paths, strings.TrimPrefix(p, "/feeds/site/"))
	}
	e.proxy.Reset()
	return paths
}

func checkStats(t *testing.T, step string, got Stats, err error, want Stats) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if got != want {
		t.Errorf("%s: %+v, want %+v", step, got, want)
	}
}

// TestPublish: the first publish uploads every file with its headers,
// in rank order; the next uploads nothing; a change in bytes or in
// max-age alone uploads that file only; a file that leaves the tree is
// deleted, but not an object feedsmith did not upload, and Upload never
// deletes.
func TestPublish(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	tree := testTree()
	if _, err := e.direct.PutObject(ctx, "feeds", "site/robots.txt", strings.NewReader("mine"), 4, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := e.bucket.Publish(ctx, tree)
	checkStats(t, "first", st, err, Stats{Uploaded: len(tree)})
	puts := e.puts()
	if len(puts) != len(tree) {
		t.Fatalf("PUTs %v, want one per file", puts)
	}
	checkOrder(t, puts)
	for _, f := range tree {
		body, ct, cc, ok := e.object(t, "site/"+f.Path)
		want := string(f.Body)
		if f.Disk != nil {
			want = string(f.Disk)
		}
		if !ok || body != want || ct != f.ContentType || cc != CacheControl(f.MaxAge) {
			t.Errorf("%s: %q %q %q (present %v), want %q %q %q", f.Path, body, ct, cc, ok, want, f.ContentType, CacheControl(f.MaxAge))
		}
	}
	if _, _, cc, _ := e.object(t, "site/feeds/news.atom"); cc != "public, max-age=1800" {
		t.Errorf("news.atom Cache-Control %q", cc)
	}
	if _, _, cc, _ := e.object(t, "site/status.html"); cc != "public, max-age=60" {
		t.Errorf("status.html (no MaxAge) Cache-Control %q", cc)
	}

	st, err = e.bucket.Publish(ctx, tree)
	checkStats(t, "again", st, err, Stats{Unchanged: len(tree)})
	if puts := e.puts(); len(puts) != 0 {
		t.Errorf("unchanged tree: PUTs %v", puts)
	}

	tree[0].Body = []byte("<feed>news, edited</feed>")
	tree[2].MaxAge = 2 * time.Hour
	st, err = e.bucket.Publish(ctx, tree)
	checkStats(t, "changed", st, err, Stats{Uploaded: 2, Unchanged: len(tree) - 2})
	if puts := e.puts(); !slices.Equal(slices.Sorted(slices.Values(puts)), []string{"feeds/news.atom", "feeds/tech.atom"}) {
		t.Errorf("changed: PUTs %v", puts)
	}
	if body, _, _, _ := e.object(t, "site/feeds/news.atom"); body != "<feed>news, edited</feed>" {
		t.Errorf("news.atom = %q", body)
	}
	if _, _, cc, _ := e.object(t, "site/feeds/tech.atom"); cc != "public, max-age=7200" {
		t.Errorf("tech.atom Cache-Control %q after its max-age changed", cc)
	}

	part := slices.DeleteFunc(slices.Clone(tree), func(f publish.File) bool { return strings.HasPrefix(f.Path, "feeds/") })
	st, err = e.bucket.Upload(ctx, part, nil)
	checkStats(t, "part", st, err, Stats{Unchanged: len(part)})

	gone := tree[1]
	tree = slices.Delete(tree, 1, 2)
	st, err = e.bucket.Publish(ctx, tree)
	checkStats(t, "removed", st, err, Stats{Unchanged: len(tree), Deleted: 1})
	if dels := e.proxy.Requests("DELETE"); !slices.Equal(dels, []string{"/feeds/site/" + gone.Path}) {
		t.Errorf("DELETEs %v", dels)
	}
	if _, _, _, ok := e.object(t, "site/"+gone.Path); ok {
		t.Errorf("%s still in the bucket", gone.Path)
	}
	if body, _, _, ok := e.object(t, "site/robots.txt"); !ok || body != "mine" {
		t.Errorf("an object feedsmith did not upload was touched: %q, %v", body, ok)
	}
	if up, err := e.store.UploadedFiles(ctx, e.bucket.output); err != nil || len(up) != len(tree) || up[gone.Path] != "" {
		t.Errorf("store records %d paths (%v), want %d without %s", len(up), err, len(tree), gone.Path)
	}
}

// TestUploadDeletesGone: Upload deletes the objects of the paths gone
// once the files are up, but not one at a path the upload has again nor
// one feedsmith did not upload, and the store forgets them; an upload
// that fails deletes nothing.
func TestUploadDeletesGone(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	tree := testTree()
	if _, err := e.direct.PutObject(ctx, "feeds", "site/article/news/mine.html", strings.NewReader("mine"), 4, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.bucket.Publish(ctx, tree); err != nil {
		t.Fatal(err)
	}
	e.puts()
	page := publish.File{Path: "category/news.html", ContentType: "text/html; charset=utf-8", Body: []byte("<p>news, one article fewer</p>"), MaxAge: 10 * time.Minute}
	gone := []string{"article/news/1.html", "article/news/mine.html", "category/news.html"}

	e.proxy.FailAfter(0)
	if st, err := e.bucket.Upload(ctx, publish.Tree{page}, gone); err == nil || st.Deleted != 0 {
		t.Fatalf("upload through a failing server: %+v, %v", st, err)
	}
	if dels := e.proxy.Requests("DELETE"); len(dels) != 0 {
		t.Errorf("a failed upload deleted %v", dels)
	}
	e.proxy.Heal()
	e.puts()

	st, err := e.bucket.Upload(ctx, publish.Tree{page}, gone)
	checkStats(t, "upload", st, err, Stats{Uploaded: 1, Deleted: 1})
	if puts, dels := e.proxy.Requests("PUT"), e.proxy.Requests("DELETE"); !slices.Equal(puts, []string{"/feeds/site/category/news.html"}) ||
		!slices.Equal(dels, []string{"/feeds/site/article/news/1.html"}) {
		t.Errorf("PUTs %v, DELETEs %v", puts, dels)
	}
	if _, _, _, ok := e.object(t, "site/article/news/1.html"); ok {
		t.Error("article/news/1.html, gone from the tree, is still in the bucket")
	}
	if body, _, _, _ := e.object(t, "site/category/news.html"); body != string(page.Body) {
		t.Errorf("category/news.html = %q", body)
	}
	if body, _, _, ok := e.object(t, "site/article/news/mine.html"); !ok || body != "mine" {
		t.Errorf("an object feedsmith did not upload was touched: %q, %v", body, ok)
	}
	up, err := e.store.UploadedFiles(ctx, e.bucket.output)
	if err != nil || len(up) != len(tree)-1 || up["article/news/1.html"] != "" {
		t.Errorf("store records %d paths (%v), want %d without article/news/1.html", len(up), err, len(tree)-1)
	}
}

// TestPublishFailsMidway: a server that answers 500 after a few requests
// fails the publish with its error; what was uploaded is recorded, the
// pages that link to what was not are not uploaded, and nothing is
// deleted. Once it works again, the next publish uploads exactly the
// rest, and deletes what left the tree.
func TestPublishFailsMidway(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	tree := testTree()
	if _, err := e.bucket.Publish(ctx, tree[:2]); err != nil {
		t.Fatal(err)
	}
	e.puts()
	tree = tree[1:] // feeds/news.atom leaves the tree: only a whole publish deletes it
	tree[0].Body = []byte("<rss>news, edited</rss>")
	e.proxy.FailAfter(3)
	st, err := e.bucket.Publish(ctx, tree)
	if err == nil || !strings.Contains(err.Error(), "failing on purpose") {
		t.Fatalf("publish through a failing server: %+v, %v", st, err)
	}
	if st.Uploaded != 3 || st.Deleted != 0 {
		t.Errorf("failed publish: %+v, want the 3 that passed uploaded", st)
	}
	up, err := e.store.UploadedFiles(ctx, e.bucket.output)
	if err != nil {
		t.Fatal(err)
	}
	var uploaded, rest []string
	for _, f := range tree {
		if up[f.Path] == newObject(f).sum {
			uploaded = append(uploaded, f.Path)
			if body, _, _, _ := e.object(t, "site/"+f.Path); body != string(f.Body) {
				t.Errorf("%s recorded as uploaded, the bucket has %q", f.Path, body)
			}
		} else {
			rest = append(rest, f.Path)
		}
		if up[f.Path] != "" && rank(f.Path) >= 2 {
			t.Errorf("%s uploaded although files it links to were not", f.Path)
		}
	}
	if len(uploaded) != 3 {
		t.Errorf("the store records %v as uploaded, want 3 files", uploaded)
	}
	if _, _, _, ok := e.object(t, "site/feeds/news.atom"); !ok {
		t.Error("a failed publish deleted a file")
	}

	e.proxy.Heal()
	e.puts()
	st, err = e.bucket.Publish(ctx, tree)
	checkStats(t, "retry", st, err, Stats{Uploaded: len(rest), Unchanged: len(uploaded), Deleted: 1})
	if puts := e.puts(); !slices.Equal(slices.Sorted(slices.Values(puts)), slices.Sorted(slices.Values(rest))) {
		t.Errorf("retry PUTs %v, want %v", puts, rest)
	}
	for _, f := range tree {
		if _, _, _, ok := e.object(t, "site/"+f.Path); !ok {
			t.Errorf("%s missing after the retry", f.Path)
		}
	}
	if _, _, _, ok := e.object(t, "site/feeds/news.atom"); ok {
		t.Error("feeds/news.atom not deleted once the publish succeeded")
	}
}

// TestPublishServerDown: a server that is gone fails the publish fast,
// naming the file, and uploads nothing else.
func TestPublishServerDown(t *testing.T) {
	e := newEnv(t)
	e.gw.Stop()
	start := time.Now()
	st, err := e.bucket.Publish(t.Context(), testTree())
	if err == nil || !strings.Contains(err.Error(), "upload site.css") && !strings.Contains(err.Error(), "upload article/") || st.Uploaded != 0 {
		t.Fatalf("publish to a stopped server: %+v, %v", st, err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("failing took %v", d)
	}
	if up, _ := e.store.UploadedFiles(t.Context(), e.bucket.output); len(up) != 0 {
		t.Errorf("store records %v", up)
	}
}

// TestUnsafePath: a path that would leave the prefix is refused, the
// rest uploaded, and nothing deleted.
func TestUnsafePath(t *testing.T) {
	e := newEnv(t)
	tree := append(testTree(), publish.File{Path: "../escape.html", Body: []byte("x")})
	st, err := e.bucket.Publish(t.Context(), tree)
	if !errors.Is(err, publish.ErrUnsafePath) || st.Uploaded != len(tree)-1 {
		t.Fatalf("%+v, %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(e.gw.Root, "feeds", "escape.html")); err == nil {
		t.Error("escape.html written outside the prefix")
	}
}

func TestRank(t *testing.T) {
	for p, want := range map[string]int{
		"site.css": 0, "favicon.svg": 0, "article/news/1.html": 0, "article/news/a/b.html": 0,
		"feeds/news.atom": 1, "feeds/news.json": 1, "feeds/news.rss": 1,
		"category/news.html": 2, "category/news/2.html": 2,
		"feeds.opml": 3, "index.html": 3, "status.html": 3,
	} {
		if got := rank(p); got != want {
			t.Errorf("rank(%s) = %d, want %d", p, got, want)
		}
	}
	if got := CacheControl(0); got != "public, max-age=60" {
		t.Errorf("CacheControl(0) = %q", got)
	}
	if got := CacheControl(90 * time.Minute); got != "public, max-age=5400" {
		t.Errorf("CacheControl(90m) = %q", got)
	}
}

// TestCancelled: a cancelled context stops a publish.
func TestCancelled(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := e.bucket.Publish(ctx, testTree()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled publish: %v", err)
	}
}
