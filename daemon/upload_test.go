package daemon

import (
	"context"
	"os"
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

func newBucketDaemon(t *testing.T) *bucketDaemon {
	t.Helper()
	gw := testutil.StartVersityGW(t, "feeds")
	proxy := testutil.StartS3Proxy(t, gw.Endpoint)
	f := newFaultDaemon(t, func(cfg *config.Config) {
		cfg.Outputs.S3 = &config.S3{Endpoint: proxy.URL, Bucket: "feeds", Prefix: "site", Region: "us-east-1", PathStyle: true,
			AccessKeyID: gw.AccessKey, SecretAccessKey: gw.SecretKey}
	})
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
	go func() { defer close(done); b.d.retryOutputs(ctx, 20*time.Millisecond) }()
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
