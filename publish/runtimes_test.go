package publish

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/store"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// TestStatusRunTimes: the status page for the output folder never shows
// when sources ran nor their counts (a run that changes nothing must
// rewrite nothing); the page the daemon serves (RunTimes) does, and its
// disk copy does not.
func TestStatusRunTimes(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := New(testConfig(), st, "test")
	next := time.Date(2031, 5, 6, 7, 8, 0, 0, time.UTC)
	p.NextRun = func(string) time.Time { return next }
	index := func(attempt time.Time, lastErr string) File {
		t.Helper()
		if err := st.SetSourceStatus(ctx, store.SourceStatus{SourceID: "a", LastAttempt: attempt, LastSuccess: attempt, LastError: lastErr}); err != nil {
			t.Fatal(err)
		}
		tree, _, err := p.RenderChanged(ctx, []string{})
		if err != nil || len(tree) == 0 {
			t.Fatal(err)
		}
		return fileAt(t, tree, "status.html")
	}
	first := index(time.Date(2030, 1, 2, 3, 4, 0, 0, time.UTC), "")
	later := index(time.Date(2030, 1, 2, 9, 30, 0, 0, time.UTC), "")
	if first.Disk != nil || string(first.Body) != string(later.Body) {
		t.Errorf("the build's index page changed with the run's time (Disk %v):\n%s\n%s", first.Disk != nil, first.Body, later.Body)
	}
	for _, bad := range []string{"2030-01-02", "2031-05-06", "上次运行", "下次运行"} {
		if strings.Contains(string(first.Body), bad) {
			t.Errorf("status page for disk shows %q", bad)
		}
	}
	if !strings.Contains(string(first.Body), `<span class="state ok">正常</span>`) {
		t.Errorf("status page lacks the source's state:\n%s", first.Body)
	}
	if failing := index(time.Date(2030, 1, 3, 0, 0, 0, 0, time.UTC), "status 500"); !strings.Contains(string(failing.Body), `<span class="state failing">失败</span>`) {
		t.Errorf("a failing source is not shown failing:\n%s", failing.Body)
	}

	p.RunTimes = true
	served := index(time.Date(2030, 1, 2, 3, 4, 0, 0, time.UTC), "")
	for _, want := range []string{"2030-01-02 11:04", "2031-05-06 15:08", "上次运行", "下次运行"} {
		if !strings.Contains(string(served.Body), want) {
			t.Errorf("served status page lacks %q:\n%s", want, served.Body)
		}
	}
	if string(served.Disk) != string(first.Body) {
		t.Errorf("the daemon's status page for disk is not the build's:\n%s\n%s", served.Disk, first.Body)
	}
	dir := t.TempDir()
	if _, err := WriteTree(dir, Tree{served}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "status.html")); string(got) != string(served.Disk) {
		t.Errorf("WriteTree wrote the served page, not its disk copy:\n%s", got)
	}
}

// openStore opens an empty store for one test.
func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestOverlay: the files of over replace those of the same path and
// the others are added.
func TestOverlay(t *testing.T) {
	base := Tree{{Path: "a", Body: []byte("1")}, {Path: "b", Body: []byte("2")}}
	got := Overlay(base, Tree{{Path: "b", Body: []byte("3")}, {Path: "c", Body: []byte("4")}})
	var s []string
	for _, f := range got {
		s = append(s, f.Path+"="+string(f.Body))
	}
	if strings.Join(s, " ") != "a=1 b=3 c=4" || string(base[1].Body) != "2" {
		t.Errorf("Overlay = %v; base now %s", s, base[1].Body)
	}
}
