package main

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/feedsmith/feedsmith/internal/testutil"
)

// feedsmith runs the test binary as the real feedsmith, in dir, and
// returns its exit code and output.
func feedsmith(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runBinary(t, dir, nil, nil, args...)
}

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// badConfig has one problem of each kind check finds, after a type error
// that once hid the rest, and a warning.
const badConfig = `site:
  base_url: https://feeds.example.org/
  timezone: Europe/Atlantis
output:
  items: fifty
categories:
  - {id: news}
sources:
  - id: scrape
    type: html
    url: https://news.example.org/list.html
    schedule: "@every 20s"
    select: {item: "ul.news li[[[", title: a, link: a @href}
  - id: api
    type: json
    url: https://api.example.org/list
    items: "data.#(type==\"news\""
    fields: {title: "{{printf}}"}
  - id: mirror
    type: posts
    path: _posts
    schedule: "0 0 30 2 *"
    category: news
`

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "bad.yaml", badConfig)
	code, out, errs := feedsmith(t, dir, "check", "-config", "bad.yaml")
	want := `bad.yaml:3: site.timezone: unknown time zone "Europe/Atlantis"
bad.yaml:5: output.items: want a whole number, got "fifty"
bad.yaml:12: warning: sources[0] (scrape).schedule: "@every 20s" runs every 20s against news.example.org: under a minute between fetches is more than most sites allow, and rarely brings news sooner (use 1m or more)
bad.yaml:13: sources[0] (scrape).select.item: invalid CSS selector "ul.news li[[[": expected identifier, found [ instead
bad.yaml:17: sources[1] (api).items: invalid gjson path "data.#(type==\"news\"": query #(…) is not closed (no ")")
bad.yaml:18: sources[1] (api).fields.title: template fails on every record: at <printf>: wrong number of args for printf: want at least 1 got 0
bad.yaml:21: sources[2] (mirror).path: folder ` + filepath.Join(dir, "_posts") + ` does not exist
bad.yaml:22: sources[2] (mirror).schedule: schedule "0 0 30 2 *" never fires (no such date)
bad.yaml: 7 errors, 1 warning
`
	if code != 2 || errs != want || out != "" {
		t.Errorf("check bad.yaml: exit %d, stdout %q, stderr:\n%s\nwant exit 2, stderr:\n%s", code, out, errs, want)
	}

	// Fixed but for the warning: exit 0, the warning printed.
	fixed := strings.NewReplacer("Europe/Atlantis", "Europe/Berlin", "fifty", "50", "li[[[", "li", `==\"news\""`, `==\"news\")"`,
		"{{printf}}", "title", `"0 0 30 2 *"`, `"@hourly"`).Replace(badConfig)
	writeFile(t, dir, "warn.yaml", fixed)
	if err := os.Mkdir(filepath.Join(dir, "_posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errs = feedsmith(t, dir, "check", "-config", "warn.yaml")
	if code != 0 || out != "warn.yaml: ok (3 sources, 1 categories), 1 warning\n" ||
		!strings.HasPrefix(errs, "warn.yaml:12: warning: sources[0] (scrape).schedule: ") || strings.Count(errs, "\n") != 1 {
		t.Errorf("check warn.yaml: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	writeFile(t, dir, "clean.yaml", strings.Replace(fixed, `"@every 20s"`, `"@every 20m"`, 1))
	if code, out, errs = feedsmith(t, dir, "check", "-config", "clean.yaml"); code != 0 || out != "clean.yaml: ok (3 sources, 1 categories)\n" || errs != "" {
		t.Errorf("check clean.yaml: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	writeFile(t, dir, "tabs.yaml", "site:\n\tbase_url: https://feeds.example.org/\n")
	code, _, errs = feedsmith(t, dir, "check", "-config", "tabs.yaml")
	if want := "tabs.yaml:2: a tab indents this line: YAML indents with spaces only (replace the tab with spaces)\ntabs.yaml: 1 error, 0 warnings\n"; code != 2 || errs != want {
		t.Errorf("check tabs.yaml: exit %d, stderr %q, want %q", code, errs, want)
	}

	code, _, errs = feedsmith(t, dir, "check", "-config", "nope.yaml")
	if want := "nope.yaml: cannot read the file: no such file or directory\nnope.yaml: 1 error, 0 warnings\n"; code != 2 || errs != want {
		t.Errorf("check nope.yaml: exit %d, stderr %q, want %q", code, errs, want)
	}
}

// TestBuildRefusesWhatCheckRefuses: build exits 2 on a configuration
// check refuses, before it opens the store; a missing posts folder is a
// failed source instead (see TestBuildExitCodes).
func TestBuildRefusesWhatCheckRefuses(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "bad.yaml", badConfig)
	code, out, errs := feedsmith(t, dir, "build", "-config", "bad.yaml")
	if code != 2 || out != "" || !strings.Contains(errs, `bad.yaml:13: sources[0] (scrape).select.item: invalid CSS selector`) ||
		!strings.Contains(errs, "bad.yaml:18: sources[1] (api).fields.title: template fails on every record") || strings.Contains(errs, "warning:") {
		t.Errorf("build bad.yaml: exit %d, stdout %q, stderr:\n%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
		t.Error("a refused build created the store")
	}
}

// TestReportNotWritten: a command whose report cannot be written to
// standard output (here /dev/full, a full disk) exits 1 and says so on
// stderr, instead of succeeding with no report for cron or CI to see.
func TestReportNotWritten(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	dir, cfg := shippedConfig(t)
	for _, args := range [][]string{{"check", cfg}, {"build", cfg}, {"version"}} {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "FEEDSMITH_TEST_MAIN=1")
		var errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = full, &errb
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(errb.String(), "write standard output: ") {
			t.Errorf("%v with stdout on /dev/full: %v, stderr %q; want exit 1 naming the failed write", args[0], err, errb.String())
		}
	}
}

// TestAccessLogFolder: check refuses a server.access_log whose folder is
// not there, and the daemon refuses to start on one it cannot open with
// exit 2 (a configuration problem, which the unit does not restart in a
// loop) instead of 1.
func TestAccessLogFolder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "config.yaml", "site: {base_url: https://x.org/}\nserver: {listen: 127.0.0.1:0, access_log: logs/access.log}\n"+
		"sources:\n  - {id: a, type: feed, url: https://x.org/feed.xml}\n")
	code, _, errs := feedsmith(t, dir, "check", "config.yaml")
	if code != 2 || !strings.Contains(errs, "config.yaml:2: server.access_log: folder "+filepath.Join(dir, "logs")+" of the access log is not there") {
		t.Errorf("check: exit %d, stderr:\n%s", code, errs)
	}
	code, _, errs = feedsmith(t, dir, "run", "config.yaml")
	if code != 2 || !strings.Contains(errs, "server.access_log: open "+filepath.Join(dir, "logs", "access.log")) {
		t.Errorf("run: exit %d, stderr:\n%s", code, errs)
	}
}

// TestDaemonConfigChecks: the daemon starts with a posts folder that is
// not there yet (a mount may come later), warning about it; a reload
// refuses anything check refuses, the missing folder among them, and
// takes the configuration once it passes.
func TestDaemonConfigChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the daemon as a child process")
	}
	up := &feedUpstream{items: []string{"first"}}
	upSrv := httptest.NewServer(up)
	defer upSrv.Close()
	hubSrv := httptest.NewServer(&hubStandIn{})
	defer hubSrv.Close()
	dir := t.TempDir()
	addr := testutil.FreeAddr(t)
	cfgPath := filepath.Join(dir, "config.yaml")
	posts := "  - {id: mirror, type: posts, path: mnt/posts, category: news, schedule: \"@every 1h\"}\n"
	writeFile(t, dir, "config.yaml", daemonConfig(addr, upSrv.URL+"/feed.rss", hubSrv.URL, posts))
	t.Setenv("FEEDSMITH_TEST_TOKEN", "s3cret") // daemonConfig's admin token
	d := startDaemon(t, "-config", cfgPath)
	logs := d.logs
	if !strings.Contains(logs.String(), "source cannot run until its path is there") || !strings.Contains(logs.String(), "sources[1] (mirror).path: folder") {
		t.Errorf("no warning about the missing posts folder at start")
	}

	reload := func(what, want string) {
		t.Helper()
		before := strings.Count(logs.String(), want)
		d.cmd.Process.Signal(syscall.SIGHUP)
		eventually(t, what, func() string {
			if strings.Count(logs.String(), want) == before {
				return "no " + want
			}
			return ""
		})
	}
	reload("reload refused for the missing folder", "configuration refused")
	if !strings.Contains(logs.String()[strings.LastIndex(logs.String(), "configuration refused"):], "mnt/posts does not exist") {
		t.Errorf("the refusal does not name the missing folder")
	}
	if err := os.MkdirAll(filepath.Join(dir, "mnt", "posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	api := "  - {id: api, type: json, url: " + upSrv.URL + "/list, items: data, fields: {title: \"{{printf}}\"}, category: news}\n"
	writeFile(t, dir, "config.yaml", daemonConfig(addr, upSrv.URL+"/feed.rss", hubSrv.URL, posts+api))
	reload("reload refused for a failing template", "sources[2] (api).fields.title: template fails on every record")
	writeFile(t, dir, "config.yaml", daemonConfig(addr, upSrv.URL+"/feed.rss", hubSrv.URL, posts))
	reload("reload taken once the folder is there", "configuration reloaded")
}
