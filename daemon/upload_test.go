package daemon

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
)

const (
	s3Errors  = `feedsmith_output_write_errors_total{output="s3"}`
	s3Failing = `feedsmith_output_write_failing{output="s3"}`
)

// bucketDaemon is a fault daemon that also uploads to bucket "feeds"
// of a versitygw server, under prefix "site/", through a proxy that
// counts and can fail the requests.
type bucketDaemon struct {
	*faultDaemon
	gw    *testutil.VersityGW
	proxy *testutil.S3Proxy
}

func newBucketDaemon(t *testing.T, with ...func(*config.Config)) *bucketDaemon {
	t.Helper()
	gw := testutil.StartVersityGW(t, "feeds")
	proxy := testutil.StartS3Proxy(t, gw.Endpoint)
	f := newFaultDaemon(t, append([]func(*config.Config){func(cfg *config.Config) {
		cfg.Outputs.S3 = &config.S3{Endpoint: proxy.URL, Bucket: "feeds", Prefix: "site", Region: "us-east-1", PathStyle: true,
			AccessKeyID: gw.AccessKey, SecretAccessKey: gw.SecretKey}
	}}, with...)...)
	return &bucketDaemon{faultDaemon: f, gw: gw, proxy: proxy}
}

// inBucket returns an object's bytes, "" when the bucket has none:
// versitygw keeps each object as a file.
func (b *bucketDaemon) inBucket(key string) string {
	data, err := os.ReadFile(b.gw.Object("feeds", "site/"+key))
	if err != nil {
		return ""
	}
	return string(data)
}

// TestBucketFaultRetried: while the bucket's server fails, the daemon
// serves the new article, /readyz says why it is not ready, the status
// page (served and on disk) shows the bucket's notice, and /metrics
// counts the failures; once the server works again, the retry loop
// uploads what is served without a run, and it all clears. A run that
// finds nothing new uploads nothing.
func TestBucketFaultRetried(t *testing.T) {
	b := newBucketDaemon(t)
	b.run()
	for _, p := range []string{"feeds/news.atom", "feeds/news.rss", "feeds/news.json", "feeds.opml", "index.html", "status.html", "category/news.html", "site.css"} {
		if got := b.inBucket(p); got == "" || got != b.onDisk(p) {
			t.Errorf("%s in the bucket (%d bytes) is not what is on disk (%d bytes)", p, len(got), len(b.onDisk(p)))
		}
	}
	b.proxy.Reset()
	b.run() // upstream answers 304
	if puts := b.proxy.Requests("PUT"); len(puts) != 0 {
		t.Errorf("a run that found nothing new uploaded %v", puts)
	}

	b.proxy.FailAfter(0)
	b.up.add("第二篇")
	b.run()
	code, body := b.get(t, "/readyz")
	if code != 503 || !strings.Contains(body, "output s3: upload feeds/news.") || !strings.Contains(body, "failing on purpose") {
		t.Errorf("readyz: %d %q, want 503 naming the upload and its error", code, body)
	}
	notice := "The bucket s3://feeds/site/ could not be updated since "
	if _, status := b.get(t, "/status.html"); !strings.Contains(status, notice) {
		t.Errorf("status page has no notice of the bucket:\n%s", status)
	}
	if !strings.Contains(b.onDisk("status.html"), notice) {
		t.Error("status.html on disk has no notice of the bucket")
	}
	if b.sample(t, s3Failing) != 1 || b.sample(t, s3Errors) < 1 || b.sample(t, dirFailing) != 0 {
		t.Errorf("metrics: s3 failing %v, errors %v, dir failing %v", b.sample(t, s3Failing), b.sample(t, s3Errors), b.sample(t, dirFailing))
	}
	if strings.Contains(b.inBucket("feeds/news.atom"), "第二篇") {
		t.Fatal("the new article reached the bucket through a failing server")
	}

	b.proxy.Heal()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.d.retryOutputs(ctx) }()
	defer func() { cancel(); <-done }()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if code, _ := b.get(t, "/readyz"); code == 200 && !strings.Contains(b.inBucket("status.html"), notice) {
			break
		}
	}
	if code, body := b.get(t, "/readyz"); code != 200 {
		t.Fatalf("readyz %d %q after the server came back, want 200", code, body)
	}
	if !strings.Contains(b.inBucket("feeds/news.atom"), "第二篇") {
		t.Error("the retry did not upload the new article")
	}
	if got, disk := b.inBucket("status.html"), b.onDisk("status.html"); strings.Contains(got, notice) || got != disk {
		t.Errorf("status.html in the bucket still has the notice, or is not the one on disk:\n%s", got)
	}
	if b.sample(t, s3Failing) != 0 {
		t.Errorf("s3 still failing in /metrics")
	}
	if t.Failed() {
		t.Logf("daemon log:\n%s", b.logs.String())
	}
}

// articlePages lists the article pages under dir, as tree paths.
func articlePages(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "article", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, n := range names {
		paths = append(paths, "article/"+filepath.Base(n))
	}
	slices.Sort(paths)
	return paths
}

// TestBucketLosesDroppedPage: when retention (store.max_items 1) drops
// the older of two articles, the publish of its category deletes the
// article's page from the bucket, as from the output folder, after its
// uploads and without a full publish; the store forgets it.
func TestBucketLosesDroppedPage(t *testing.T) {
	b := newBucketDaemon(t, func(cfg *config.Config) {
		on := true
		cfg.Store.MaxItems = 1
		cfg.Sources[0].Pages = &on
	})
	b.run()
	bucketDir := filepath.Join(b.gw.Root, "feeds", "site")
	first := articlePages(t, bucketDir)
	if len(first) != 1 || !slices.Equal(articlePages(t, b.out), first) {
		t.Fatalf("article pages in the bucket %v, on disk %v; want the same one", first, articlePages(t, b.out))
	}
	b.up.add("第二篇")
	b.run()
	if got := articlePages(t, bucketDir); len(got) != 2 {
		t.Fatalf("article pages in the bucket %v after the second run, want two", got)
	}
	b.proxy.Reset()
	b.d.applyRetention(t.Context())
	second := articlePages(t, b.out)
	if len(second) != 1 || second[0] == first[0] {
		t.Fatalf("article pages on disk %v after the second article, want one other than %v", second, first)
	}
	if got := articlePages(t, bucketDir); !slices.Equal(got, second) {
		t.Errorf("article pages in the bucket %v, want %v (the dropped page deleted)", got, second)
	}
	if code, _ := b.get(t, "/"+first[0]); code != 404 {
		t.Errorf("the dropped page is served: %d", code)
	}
	if dels := b.proxy.Requests("DELETE"); !slices.Equal(dels, []string{"/feeds/site/" + first[0]}) {
		t.Errorf("DELETEs %v, want the dropped page's only", dels)
	}
	if puts := b.proxy.Requests("PUT"); !slices.Contains(puts, "/feeds/site/category/news.html") || len(puts) > 10 {
		t.Errorf("PUTs %v: want the category page, and not the whole tree", puts)
	}
	up, err := b.d.store.UploadedFiles(t.Context(), b.proxy.URL+"/feeds/site/") // the output's name in the store
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := up[first[0]]; ok || up[second[0]] == "" {
		t.Errorf("the store's uploads still list %s, or lack %s", first[0], second[0])
	}
	if code, body := b.get(t, "/readyz"); code != 200 {
		t.Errorf("readyz %d %q", code, body)
	}
	if t.Failed() {
		t.Logf("daemon log:\n%s", b.logs.String())
	}
}
