package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/feedsmith/feedsmith/internal/testutil"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// crashCategories are the categories of the generated posts, declared in
// the test's configuration with Chinese titles.
var crashCategories = []struct{ id, title string }{
	{"bendi", "本地新闻"}, {"tiyu", "体育快讯"}, {"caijing", "财经观察"}, {"keji", "科技前沿"}, {"wenhua", "文化生活"},
}

// crashSite is a build's configuration with the shipped examples and a
// folder of generated posts, big enough for a build to be killed midway.
type crashSite struct {
	dir, cfg, posts, pub, db, listen string
	titles                           map[int]string // post number → its current title
	// valid holds the hashes of documents already found well-formed:
	// most kills leave most files as they were.
	valid map[[sha256.Size]byte]bool
}

func newCrashSite(t *testing.T, listen string) *crashSite {
	t.Helper()
	dir, cfg := shippedConfig(t)
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(data), "  items: 50\n", "  items: 1000\n", 1) // every article in every feed
	var cats, src strings.Builder
	for _, c := range crashCategories {
		fmt.Fprintf(&cats, "  - {id: %s, title: %s}\n", c.id, c.title)
	}
	fmt.Fprintf(&src, "  - {id: crash, type: posts, path: crashposts, site_url: https://crash.example.org/}\n")
	body = strings.Replace(body, "categories:\n", "categories:\n"+cats.String(), 1)
	body += src.String() + "server: {listen: " + listen + "}\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &crashSite{dir: dir, cfg: cfg, posts: filepath.Join(dir, "crashposts"), pub: filepath.Join(dir, "public"),
		db: filepath.Join(dir, "data", "feedsmith.db"), listen: listen, titles: map[int]string{}, valid: map[[sha256.Size]byte]bool{}}
	if err := os.MkdirAll(s.posts, 0o755); err != nil {
		t.Fatal(err)
	}
	return s
}

// writePost writes post n in its revision rev: the title names both, so
// an edit is seen in every feed.
func (s *crashSite) writePost(t *testing.T, n, rev int) {
	t.Helper()
	cat := crashCategories[n%len(crashCategories)]
	title := fmt.Sprintf("%s第%03d号：港城春讯", cat.title, n)
	if rev > 0 {
		title += fmt.Sprintf("（第%d次修订）", rev)
	}
	day := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
	post := fmt.Sprintf("---\nlayout: post\ntitle: \"%s\"\ndate: %s %02d:%02d:00 +0800\ncategories: %s\n---\n"+
		"<p>%s。正文第%d版，%s</p>\n", title, day.Format("2006-01-02"), n%24, n%60, cat.id, title, rev,
		strings.Repeat("海滨城市的清晨，渔船归港，集市开张。", 20))
	name := filepath.Join(s.posts, fmt.Sprintf("%s-crash-%03d.md", day.Format("2006-01-02"), n))
	if err := os.WriteFile(name, []byte(post), 0o644); err != nil {
		t.Fatal(err)
	}
	s.titles[n] = title
}

// child starts feedsmith with args as a child process.
func (s *crashSite) child(t *testing.T, args ...string) (*exec.Cmd, *testutil.SyncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append(args, "-config", s.cfg)...)
	cmd.Env = append(os.Environ(), "FEEDSMITH_TEST_MAIN=1")
	out := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, out
}

// build runs a complete build and returns how long it took.
func (s *crashSite) build(t *testing.T) time.Duration {
	t.Helper()
	start := time.Now()
	cmd, out := s.child(t, "build")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return time.Since(start)
}

// treeState is what one look at the output tree found.
type treeState struct {
	hashes map[string][sha256.Size]byte // documents by relative path
	temps  []string                     // temporary files left by a kill
}

// checkTree checks that every document in the output tree is complete
// and well-formed, and returns their hashes and the temporary files.
func (s *crashSite) checkTree(t *testing.T) treeState {
	t.Helper()
	st := treeState{hashes: map[string][sha256.Size]byte{}}
	err := filepath.WalkDir(s.pub, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(s.pub, p)
		if strings.HasPrefix(d.Name(), ".") && strings.Contains(d.Name(), ".tmp-") {
			st.temps = append(st.temps, rel)
			return nil
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(body)
		st.hashes[rel] = h
		if s.valid[h] {
			return nil
		}
		if err := wellFormed(rel, body); err != nil {
			t.Errorf("%s: %v", rel, err)
		} else {
			s.valid[h] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// wellFormed decodes a document by its kind: XML to its end, JSON, and
// feeds once more with gofeed; the index page must reach its end.
func wellFormed(name string, body []byte) error {
	switch filepath.Ext(name) {
	case ".atom", ".rss", ".opml", ".xml":
		if err := decodeXML(body); err != nil {
			return err
		}
	case ".json":
		if !json.Valid(body) {
			return errors.New("invalid JSON")
		}
	case ".html":
		if !bytes.HasSuffix(bytes.TrimSpace(body), []byte("</html>")) {
			return errors.New("page cut short")
		}
		return nil
	case ".css":
		if !bytes.HasSuffix(bytes.TrimSpace(body), []byte("}")) {
			return errors.New("stylesheet cut short")
		}
		return nil
	case ".svg":
		return decodeXML(body)
	default:
		return errors.New("unexpected file in the output tree")
	}
	if filepath.Ext(name) == ".opml" {
		return nil
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("gofeed: %w", err)
	}
	if len(feed.Items) == 0 {
		return errors.New("feed without items")
	}
	return nil
}

func decodeXML(body []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(body))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("xml: %w", err)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || depth != 0 {
		return fmt.Errorf("xml: %d root elements, depth %d at the end", roots, depth)
	}
	return nil
}

// checkStore opens the store as feedsmith does and runs SQLite's own
// integrity check on it.
func (s *crashSite) checkStore(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+s.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check: %q %v", res, err)
	}
	st, err := sqlite.Open(ctx, s.db)
	if err != nil {
		t.Fatalf("store does not open after a kill: %v", err)
	}
	st.Close()
}

// checkArticles checks that every feed holds exactly the articles it
// should: each post in its category's feed and in "all", once, in its
// current revision, beside the shipped examples' 19.
func (s *crashSite) checkArticles(t *testing.T) {
	t.Helper()
	want := map[string]int{} // title → category
	perCat := map[string]int{}
	for n, title := range s.titles {
		want[title] = n % len(crashCategories)
		perCat[crashCategories[n%len(crashCategories)].id]++
	}
	all := parseFeed(t, filepath.Join(s.pub, "feeds", "all.atom"))
	if got, n := len(all.Items), len(s.titles)+19; got != n {
		t.Errorf("all.atom has %d items, want %d", got, n)
	}
	countTitles(t, "all.atom", all, want, nil)
	for i, c := range crashCategories {
		for _, ext := range []string{"atom", "rss", "json"} {
			feed := parseFeed(t, filepath.Join(s.pub, "feeds", c.id+"."+ext))
			if len(feed.Items) != perCat[c.id] {
				t.Errorf("%s.%s has %d items, want %d", c.id, ext, len(feed.Items), perCat[c.id])
			}
			countTitles(t, c.id+"."+ext, feed, want, &i)
		}
	}
}

// countTitles checks that every wanted title (of category cat, or of any
// when cat is nil) is in feed exactly once.
func countTitles(t *testing.T, name string, feed *gofeed.Feed, want map[string]int, cat *int) {
	t.Helper()
	seen := map[string]int{}
	for _, it := range feed.Items {
		seen[it.Title]++
	}
	missing, dup := 0, 0
	for title, c := range want {
		if cat != nil && c != *cat {
			continue
		}
		switch seen[title] {
		case 0:
			missing++
		case 1:
		default:
			dup++
		}
	}
	if missing+dup > 0 {
		t.Errorf("%s: %d posts missing, %d duplicated", name, missing, dup)
	}
}

// crashSeed is FEEDSMITH_CRASH_SEED or the time; it is logged so that a
// failing sequence of kills can be replayed.
func crashSeed(t *testing.T) *rand.Rand {
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("FEEDSMITH_CRASH_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (FEEDSMITH_CRASH_SEED=%d to replay)", seed, seed)
	return rand.New(rand.NewPCG(seed, 0))
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// oldOrNew checks that every document seen after a kill was the old
// complete version or the final one. The index page shows each source's
// last run, so it is only checked to be complete.
func oldOrNew(t *testing.T, old, final treeState, seen []treeState) {
	t.Helper()
	for i, st := range seen {
		for name, h := range st.hashes {
			if name == "index.html" {
				continue
			}
			if h != old.hashes[name] && h != final.hashes[name] {
				t.Errorf("after kill %d: %s is neither the old nor the new version", i+1, name)
			}
		}
	}
}

// killAfter runs the child cmd and kills it with SIGKILL after delay. It
// reports whether the child finished on its own first; a child that
// failed on its own fails the test.
func killAfter(t *testing.T, cmd *exec.Cmd, out *testutil.SyncBuffer, delay time.Duration) (finished bool) {
	t.Helper()
	timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
	err := cmd.Wait()
	timer.Stop()
	if err == nil {
		return true
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child failed on its own: %v\n%s", err, out)
	}
	return false
}

// afterKill checks the tree and the store after a kill and returns what
// the tree held.
func (s *crashSite) afterKill(t *testing.T, what string, delay time.Duration, temps map[string]bool) treeState {
	t.Helper()
	st := s.checkTree(t)
	for _, name := range st.temps {
		temps[name] = true
	}
	// A write stages a batch of files (one category's, a few categories
	// at once) before it renames any, so a kill may leave a temporary
	// file for each of them; a write removes a file's old temporary
	// files before it stages the file again, so a kill never leaves two
	// for one file, and they never pile up.
	per := map[string][]string{}
	for _, name := range st.temps {
		dir, base := filepath.Split(name)
		target := dir + strings.TrimPrefix(base[:strings.LastIndex(base, ".tmp-")], ".")
		per[target] = append(per[target], name)
	}
	for target, names := range per {
		if len(names) > 1 {
			t.Errorf("%d temporary files left for %s: %q", len(names), target, names)
		}
	}
	s.checkStore(t)
	if t.Failed() {
		t.Fatalf("after %s at %s", what, delay)
	}
	return st
}

// killWindow is when a kill lands: from the end of the child's start-up
// to a little past its usual end.
func killWindow(rng *rand.Rand, startup, total time.Duration) time.Duration {
	from := startup * 9 / 10
	return from + time.Duration(rng.Int64N(int64(total-from)*11/10+1))
}

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills feedsmith child processes many times")
	}
	rng := crashSeed(t)
	s := newCrashSite(t, testutil.FreeAddr(t))
	for n := range 300 {
		s.writePost(t, n, 0)
	}
	start := time.Now()
	if code, out, errs := runBinary(t, "", nil, nil, "version"); code != 0 {
		t.Fatalf("version: exit %d %s%s", code, out, errs)
	}
	startup := time.Since(start)
	first := s.build(t)
	old := s.checkTree(t)
	s.checkArticles(t)
	t.Logf("child start-up %s; first complete build of %d posts: %s", startup.Round(time.Millisecond), len(s.titles), first.Round(time.Millisecond))

	t.Run("build", func(t *testing.T) {
		for n := range 50 {
			s.writePost(t, n*6, 1) // edits in every category
		}
		for n := 300; n < 350; n++ {
			s.writePost(t, n, 0)
		}
		// 50 kills, or fewer when the children are slow (-race): the
		// loop stops after its time budget unless the count is forced.
		kills, budget := 50, 20*time.Second
		if n := envInt("FEEDSMITH_CRASH_KILLS", 0); n > 0 {
			kills, budget = n, time.Hour
		}
		var seen []treeState
		temps := map[string]bool{}
		finished := 0
		loop := time.Now()
		for i := range kills {
			if time.Since(loop) > budget {
				break
			}
			delay := killWindow(rng, startup, first)
			cmd, out := s.child(t, "build")
			if killAfter(t, cmd, out, delay) {
				finished++
			}
			seen = append(seen, s.afterKill(t, fmt.Sprintf("build kill %d", i+1), delay, temps))
		}
		t.Logf("%d builds killed in %s, %d finished before their kill; %d temporary files left by kills",
			len(seen), time.Since(loop).Round(time.Millisecond), finished, len(temps))
		final := s.build(t)
		t.Logf("final build: %s", final.Round(time.Millisecond))
		st := s.checkTree(t)
		if len(st.temps) > 0 {
			t.Errorf("temporary files left after a complete build: %q", st.temps)
		}
		oldOrNew(t, old, st, seen)
		s.checkStore(t)
		s.checkArticles(t)
	})

	t.Run("daemon", func(t *testing.T) {
		kills, budget := 10, 15*time.Second
		if n := envInt("FEEDSMITH_CRASH_DAEMON_KILLS", 0); n > 0 {
			kills, budget = n, time.Hour
		}
		s.daemonKills(t, rng, kills, budget, startup, first)
	})
}

// daemonKills kills the daemon during its start-up: the publish of what
// the store holds and the collection of the posts, which is due at every
// start ("@every 1s") and has new revisions of a few posts each time.
// Then a last start completes the work and the articles are checked.
func (s *crashSite) daemonKills(t *testing.T, rng *rand.Rand, kills int, budget, startup, build time.Duration) {
	cfg, err := os.ReadFile(s.cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg = bytes.Replace(cfg, []byte("site_url: https://crash.example.org/}"), []byte(`site_url: https://crash.example.org/, schedule: "@every 1s"}`), 1)
	if err := os.WriteFile(s.cfg, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	rev := 1
	change := func() {
		rev++
		for n := range 5 {
			s.writePost(t, (rev*5+n)*7%350, rev)
		}
	}
	temps := map[string]bool{}
	finished, killed := 0, 0
	loop := time.Now()
	for i := range kills {
		if time.Since(loop) > budget {
			break
		}
		killed++
		change()
		delay := killWindow(rng, startup, build)
		cmd, out := s.child(t, "run")
		if killAfter(t, cmd, out, delay) {
			finished++
		}
		s.afterKill(t, fmt.Sprintf("daemon kill %d", i+1), delay, temps)
	}
	t.Logf("%d daemons killed in %s, %d stopped before their kill; %d temporary files left by kills",
		killed, time.Since(loop).Round(time.Millisecond), finished, len(temps))

	// A last start with one more change: done once every title is on disk.
	change()
	for n := 350; n < 360; n++ {
		s.writePost(t, n, 0)
	}
	start := time.Now()
	cmd, out := s.child(t, "run")
	eventually(t, "daemon publishes every post", func() string {
		feed, err := gofeed.NewParser().ParseString(readString(filepath.Join(s.pub, "feeds", "all.atom")))
		if err != nil {
			return err.Error()
		}
		have := map[string]bool{}
		for _, it := range feed.Items {
			have[it.Title] = true
		}
		for _, title := range s.titles {
			if !have[title] {
				return "lacks " + title
			}
		}
		return ""
	})
	t.Logf("restarted daemon published every post in %s", time.Since(start).Round(time.Millisecond))
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("daemon stopped with %v\n%s", err, out)
	}
	if st := s.checkTree(t); len(st.temps) > 0 {
		t.Errorf("temporary files left after a complete run: %q", st.temps)
	}
	s.checkStore(t)
	s.checkArticles(t)
}

func readString(name string) string {
	b, _ := os.ReadFile(name)
	return string(b)
}
