//go:build linux

package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/internal/testutil"
)

// TestDaemonFullDisk runs the daemon with its output folder on a real
// 2 MiB tmpfs, fills it, and publishes a new article: the old feed stays
// whole on disk, the new one is served, /readyz, the index page and
// /metrics say so. Once space is freed, a run whose upstream answers 304
// writes the disk. The daemon runs in a new user and mount namespace
// (root in there, which may mount a tmpfs, and nobody outside); where
// those are not allowed the test is skipped.
func TestDaemonFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the daemon as a child process")
	}
	up := &feedUpstream{items: []string{"我市举行春季重点项目集中开工仪式"}}
	upSrv := httptest.NewServer(up)
	defer upSrv.Close()
	hubSrv := httptest.NewServer(&hubStandIn{})
	defer hubSrv.Close()
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	if err := os.MkdirAll(public, 0o755); err != nil {
		t.Fatal(err)
	}
	addr := testutil.FreeAddr(t)
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(daemonConfig(addr, upSrv.URL+"/feed.rss", hubSrv.URL, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "run", "-config", cfgPath)
	cmd.Env = append(os.Environ(), "FEEDSMITH_TEST_MAIN=1", "FEEDSMITH_TEST_TOKEN=s3cret", "FEEDSMITH_TEST_TMPFS="+public)
	inNamespaces(cmd, 0, true)
	logs := &testutil.SyncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Skipf("no user and mount namespace for the daemon: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("daemon log:\n%s", logs.String())
		}
	}()

	base := "http://" + addr
	fetch := func(path string) (int, string) { return getBody(base + path) }
	for end := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		select {
		case <-exited:
			if cmd.ProcessState.ExitCode() == tmpfsFailed {
				t.Skipf("cannot mount a tmpfs here: %s", logs.String())
			}
			t.Fatalf("daemon exited: %s", logs.String())
		default:
		}
		if code, _ := fetch("/readyz"); code == 200 {
			break
		}
		if time.Now().After(end) {
			t.Fatal("daemon never ready")
		}
	}
	// The tmpfs is in the daemon's mount namespace; its root shows it.
	disk := filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "root", public)
	onDisk := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(disk, rel))
		if err != nil {
			return "(" + err.Error() + ")"
		}
		return string(b)
	}
	_, served := fetch("/feeds/news.atom")
	old := onDisk("feeds/news.atom")
	if old != served {
		t.Fatalf("before the disk fills, the feed on disk is not the served one")
	}
	fill(t, filepath.Join(disk, "filler"))
	refresh := func() {
		t.Helper()
		req, _ := http.NewRequest("POST", base+"/-/refresh/up", nil)
		req.Header.Set("Authorization", "Bearer s3cret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("refresh: %v %v", resp, err)
		}
		resp.Body.Close()
	}

	up.add(`市民热议"海滨步道"：周末好去处`)
	refresh()
	eventually(t, "readyz reports the full disk", func() string {
		if code, body := fetch("/readyz"); code != 503 || !strings.Contains(body, "output dir: write "+filepath.Join(public, "feeds", "news.")) ||
			!strings.Contains(body, "no space left on device") {
			return body
		}
		return ""
	})
	if _, feed := fetch("/feeds/news.atom"); !strings.Contains(feed, "海滨步道") {
		t.Error("the new article is not served")
	}
	if onDisk("feeds/news.atom") != old {
		t.Error("the feed on the full disk is not the old one whole")
	}
	if entries, _ := os.ReadDir(filepath.Join(disk, "feeds")); len(entries) != 3 {
		t.Errorf("files in feeds/ on the full disk: %v, want the three feeds and no temporary file", entries)
	}
	// The status page is rendered again just after the fault is recorded,
	// so it may lag /readyz by a moment.
	eventually(t, "the status page shows the full disk", func() string {
		if _, index := fetch("/status.html"); !strings.Contains(index, `class="notice"`) || !strings.Contains(index, "no space left on device") {
			return index
		}
		return ""
	})
	if _, m := fetch("/metrics"); !strings.Contains(m, `feedsmith_output_write_failing{output="dir"} 1`) ||
		strings.Contains(m, `feedsmith_output_write_errors_total{output="dir"} 0`) {
		t.Errorf("metrics do not show the failing output:\n%s", grepLines(m, "feedsmith_output_"))
	}

	if err := os.Remove(filepath.Join(disk, "filler")); err != nil {
		t.Fatal(err)
	}
	refresh() // upstream answers 304: nothing is new
	eventually(t, "readyz once space is free", func() string {
		if code, body := fetch("/readyz"); code != 200 {
			return body
		}
		return ""
	})
	eventually(t, "the disk holds what is served", func() string {
		for _, p := range []string{"feeds/news.atom", "feeds/news.rss", "feeds/news.json", "index.html"} {
			if _, served := fetch("/" + p); onDisk(p) != testutil.ServedOnDisk(p, served) {
				return p + " differs"
			}
		}
		return ""
	})
	if !strings.Contains(logs.String(), "not modified upstream") && !strings.Contains(logs.String(), "not_modified=true") {
		t.Error("the last run was not a 304")
	}
	eventually(t, "the index page drops its notice", func() string {
		if _, index := fetch("/"); strings.Contains(index, `class="notice"`) {
			return index
		}
		return ""
	})
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("daemon exited with %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("daemon did not stop")
	}
}

// fill writes name until the file system has no space left.
func fill(t *testing.T, name string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			return
		}
	}
}

func grepLines(s, sub string) string {
	var out []string
	for line := range strings.Lines(s) {
		if strings.Contains(line, sub) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}
