package daemon

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

// TestRetentionInDaemon: the daemon applies store.max_age itself (before,
// only build did, and a daemon's store kept every article for ever): the
// articles published before the limit leave the served feed and the
// output folder, and the removal is logged.
func TestRetentionInDaemon(t *testing.T) {
	f := newFaultDaemon(t)
	f.run()
	if _, body := f.get(t, "/feeds/news.atom"); !strings.Contains(body, "第一篇") {
		t.Fatalf("feed before retention lacks its article:\n%s", body)
	}
	f.d.applyRetention(context.Background()) // no limit configured: nothing
	if _, body := f.get(t, "/feeds/news.atom"); !strings.Contains(body, "第一篇") {
		t.Fatal("retention without a limit removed the article")
	}
	// The upstream's items are of February 2022.
	f.d.state.Load().cfg.Store.MaxAge = config.Duration(30 * 24 * time.Hour)
	f.d.applyRetention(context.Background())
	if _, body := f.get(t, "/feeds/news.atom"); strings.Contains(body, "第一篇") {
		t.Errorf("served feed still has the article published before max_age:\n%s", body)
	}
	if strings.Contains(f.onDisk("feeds/news.atom"), "第一篇") {
		t.Error("the feed on disk still has the article published before max_age")
	}
	if !strings.Contains(f.logs.String(), `msg="retention removed articles" articles=1 categories=[news]`) {
		t.Errorf("retention not logged:\n%s", f.logs)
	}
}
