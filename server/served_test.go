package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/publish"
	"github.com/feedsmith/feedsmith/store"
)

// TestRememberAcrossRestart serves a tree, hands what it served to a
// second server as a restart would, and checks that a file with the same
// bytes keeps its Last-Modified (a reader's If-Modified-Since gets 304)
// while a changed one gets the new server's time.
func TestRememberAcrossRestart(t *testing.T) {
	first := New(Options{Now: func() time.Time { return start }})
	tree := sampleTree()
	first.Update(tree)
	paths := make([]string, len(tree))
	for i, f := range tree {
		paths[i] = f.Path
	}
	served := first.Served(append(paths, "feeds/not-served.atom"))
	if len(served) != len(tree) {
		t.Fatalf("Served = %d files, want %d", len(served), len(tree))
	}
	if w := served["feeds/news.atom"]; !w.Modified.Equal(start) || len(w.Sum) != 64 {
		t.Fatalf("Served[feeds/news.atom] = %+v, want the hex sum and %v", w, start)
	}
	// One more path remembered than the tree has: it is not in the
	// first Update, so a later Patch that brings it gets the new time.
	served["feeds/later.atom"] = store.ServedFile{Sum: served["feeds/news.atom"].Sum, Modified: start}
	served["feeds/garbled.atom"] = store.ServedFile{Sum: "not hex", Modified: start}

	restart := start.Add(3 * time.Hour)
	second := New(Options{Now: func() time.Time { return restart }})
	second.Remember(served)
	next := sampleTree()
	next[1].Body = []byte("<rss>changed</rss>")
	changed := second.Update(next)
	if want := []string{"feeds/news.rss"}; !slices.Equal(changed, want) {
		t.Errorf("Update after the restart changed %v, want %v", changed, want)
	}
	lastModified := start.Format(http.TimeFormat)
	tests := []struct {
		path, ims    string
		status       int
		lastModified string
	}{
		{"/feeds/news.atom", lastModified, http.StatusNotModified, lastModified},
		{"/feeds/news.atom", start.Add(-time.Second).Format(http.TimeFormat), http.StatusOK, lastModified},
		{"/feeds/news.rss", lastModified, http.StatusOK, restart.Format(http.TimeFormat)},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", tt.path, nil)
		req.Header.Set("If-Modified-Since", tt.ims)
		second.Handler().ServeHTTP(rec, req)
		if rec.Code != tt.status || rec.Header().Get("Last-Modified") != tt.lastModified {
			t.Errorf("GET %s If-Modified-Since %s: %d, Last-Modified %q; want %d, %q",
				tt.path, tt.ims, rec.Code, rec.Header().Get("Last-Modified"), tt.status, tt.lastModified)
		}
		if tt.status == http.StatusOK && rec.Body.Len() == 0 {
			t.Errorf("GET %s: empty body", tt.path)
		}
	}
	later := publish.File{Path: "feeds/later.atom", ContentType: atomType, Body: tree[0].Body}
	if changed := second.Patch([]publish.File{later}); !slices.Equal(changed, []string{later.Path}) {
		t.Errorf("Patch of a path remembered but absent from the first Update changed %v, want it new", changed)
	}
	if got := second.Served([]string{later.Path})[later.Path].Modified; !got.Equal(restart) {
		t.Errorf("feeds/later.atom Last-Modified %v, want %v", got, restart)
	}
}

// TestRememberPeer: in a cluster, the bytes another instance served first
// keep that instance's time here too, so every instance says the same
// Last-Modified for the same feed; bytes the peer did not serve get this
// server's time.
func TestRememberPeer(t *testing.T) {
	peerTime := start.Add(time.Hour)
	now := start.Add(2 * time.Hour)
	peer := New(Options{Now: func() time.Time { return peerTime }})
	here := New(Options{Now: func() time.Time { return now }})
	here.Update(sampleTree())
	next := sampleTree()
	next[0].Body = []byte("<feed>new</feed>")
	next[1].Body = []byte("<rss>new</rss>")
	peer.Update(next[:1])
	here.Remember(peer.Served([]string{"feeds/news.atom"}))
	here.Patch(next[:2])
	for path, want := range map[string]time.Time{"/feeds/news.atom": peerTime, "/feeds/news.rss": now} {
		rec := httptest.NewRecorder()
		here.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if got := rec.Header().Get("Last-Modified"); got != want.Format(http.TimeFormat) {
			t.Errorf("%s: Last-Modified %s, want %s", path, got, want.Format(http.TimeFormat))
		}
	}
}
