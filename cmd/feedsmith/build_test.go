package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// shippedConfig copies config.yaml into a temporary folder beside a link
// to the real examples, so a build reads the shipped sources but writes
// its database and output under the test's folder.
func shippedConfig(t *testing.T) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	data, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(examples, filepath.Join(dir, "examples")); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

func runCommand(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBuildShippedConfig(t *testing.T) {
	dir, cfg := shippedConfig(t)
	code, out, errs := runCommand(t, "build", "-config", cfg)
	if code != 0 {
		t.Fatalf("build exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, want := range []string{"news-mirror", "blog", "haibin", "releases", "market-news", "lanshan", "4 new, 0 updated, 0 unchanged"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	pub := filepath.Join(dir, "public")
	counts := map[string]int{
		"rizhaoribao": 5, "rizhaowanbao": 1, "juxianrongmei": 1, "haibin": 3, "lanshan": 3,
		"engineering": 3, "releases": 3, "databases": 1, "all": 19,
	}
	for cat, n := range counts {
		for _, ext := range []string{"atom", "rss", "json"} {
			t.Run(cat+"."+ext, func(t *testing.T) {
				checkFeed(t, filepath.Join(pub, "feeds", cat+"."+ext), n)
			})
		}
	}
	for _, f := range []string{"feeds.opml", "index.html"} {
		if _, err := os.Stat(filepath.Join(pub, f)); err != nil {
			t.Error(err)
		}
	}

	t.Run("chinese titles, offsets and repaired html", func(t *testing.T) {
		feed := parseFeed(t, filepath.Join(pub, "feeds", "rizhaoribao.atom"))
		titles := itemTitles(feed)
		for _, want := range []string{"我市举行春季重点项目集中开工仪式", `市民热议"海滨步道"：周末好去处`, "春运返程高峰：日照站加开临客12趟"} {
			if !slices.Contains(titles, want) {
				t.Errorf("titles %q lack %q", titles, want)
			}
		}
		item := findItem(t, feed, "我市举行春季重点项目集中开工仪式")
		if got := item.Published; got != "2022-02-14T08:47:41+08:00" { // gofeed's parsed time is in UTC
			t.Errorf("published = %s, want the +08:00 offset kept", got)
		}
		for _, want := range []string{
			"<strong>总投资412亿元</strong>",                                // the strong that crossed two paragraphs, balanced
			`src="https://img.news.example.com/2022/0214/kaigong.jpg"`, // protocol-relative image made absolute
		} {
			if !strings.Contains(item.Content, want) {
				t.Errorf("content lacks %s:\n%s", want, item.Content)
			}
		}
		// The mirror's footer is cut; its upstream link is the source link.
		const upstream = "http://news.example.com/html_News/NewsShare.html?infoCode=NW202202141234567890"
		if strings.Contains(item.Content, "返回") || strings.Contains(item.Content, upstream) || strings.Contains(item.Description, "返回") {
			t.Errorf("content or summary holds the footer:\n%s\n%s", item.Content, item.Description)
		}
		if atom, err := os.ReadFile(filepath.Join(pub, "feeds", "rizhaoribao.atom")); err != nil ||
			!strings.Contains(string(atom), `<link href="`+upstream+`" rel="via"></link>`) {
			t.Errorf("rizhaoribao.atom lacks the upstream link as rel=via (%v)", err)
		}
		// A posts source's articles have pages of the site, which the
		// entries link to.
		page, ok := strings.CutPrefix(item.Link, "http://127.0.0.1:8080/article/")
		if !ok {
			t.Errorf("link = %s, want the article's page", item.Link)
		} else if b, err := os.ReadFile(filepath.Join(pub, "article", page)); err != nil ||
			!strings.Contains(string(b), `<a href="`+strings.ReplaceAll(upstream, "&", "&amp;")+`" rel="noreferrer" dir="ltr">`) {
			t.Errorf("the article's page lacks its original's link (%v)", err)
		}
	})

	t.Run("gbk feed decoded, unsafe html removed", func(t *testing.T) {
		feed := parseFeed(t, filepath.Join(pub, "feeds", "haibin.rss"))
		item := findItem(t, feed, "港口一季度货物吞吐量同比增长8.6%")
		if item.Link != "http://news.example.com/haibin/2022/0301/gangkou.html" {
			t.Errorf("relative link resolved to %q", item.Link)
		}
		reading := findItem(t, feed, "“书香日照”全民阅读活动启动")
		if strings.Contains(reading.Link, "utm_") {
			t.Errorf("tracking parameters kept: %s", reading.Link)
		}
		for _, f := range []string{"haibin.rss", "haibin.atom", "haibin.json", "releases.atom", "releases.rss", "releases.json", "all.json"} {
			body, _ := os.ReadFile(filepath.Join(pub, "feeds", f))
			for _, bad := range []string{"<script", "&lt;script", "onclick", "onerror", "javascript:"} {
				if bytes.Contains(body, []byte(bad)) {
					t.Errorf("%s contains %q", f, bad)
				}
			}
		}
	})

	t.Run("json records file into pinyin categories, gbk page scraped", func(t *testing.T) {
		jx := parseFeed(t, filepath.Join(pub, "feeds", "juxianrongmei.atom"))
		if jx.Title != "莒县融媒新闻" || jx.Items[0].Title != "莒县：“小书包”里的非遗课堂" {
			t.Errorf("juxianrongmei: %q %q", jx.Title, itemTitles(jx))
		}
		ls := parseFeed(t, filepath.Join(pub, "feeds", "lanshan.rss"))
		item := findItem(t, ls, "岚山茶农忙春管 “北方绿茶”迎丰收")
		if item.Published != "Wed, 16 Feb 2022 16:05:00 +0800" {
			t.Errorf("scraped date %q", item.Published)
		}
	})

	t.Run("second build changes nothing", func(t *testing.T) {
		before := snapshot(t, pub)
		code, out, errs := runCommand(t, "build", "-config", cfg)
		if code != 0 {
			t.Fatalf("second build exited %d: %s %s", code, out, errs)
		}
		if strings.Contains(out, " new,") && !strings.Contains(out, "0 new, 0 updated") {
			t.Errorf("second build found changes:\n%s", out)
		}
		after := snapshot(t, pub)
		for name, b := range before {
			if a := after[name]; !bytes.Equal(a.body, b.body) || !a.mod.Equal(b.mod) {
				t.Errorf("%s was rewritten", name)
			}
		}
	})
}

type fileState struct {
	body []byte
	mod  time.Time
}

func snapshot(t *testing.T, root string) map[string]fileState {
	t.Helper()
	files := map[string]fileState{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[rel] = fileState{body, info.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func parseFeed(t *testing.T, path string) *gofeed.Feed {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	feed, err := gofeed.NewParser().Parse(f)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return feed
}

func itemTitles(f *gofeed.Feed) []string {
	var ts []string
	for _, it := range f.Items {
		ts = append(ts, it.Title)
	}
	return ts
}

func findItem(t *testing.T, f *gofeed.Feed, title string) *gofeed.Item {
	t.Helper()
	for _, it := range f.Items {
		if it.Title == title {
			return it
		}
	}
	t.Fatalf("no item titled %q in %q", title, itemTitles(f))
	return nil
}

// checkFeed parses one output file back and checks what every reader
// relies on: the item count, absolute links, dates with offsets.
func checkFeed(t *testing.T, path string, items int) {
	t.Helper()
	if strings.HasSuffix(path, ".json") {
		checkJSONFeed(t, path, items)
		return
	}
	feed := parseFeed(t, path)
	if len(feed.Items) != items {
		t.Fatalf("%d items, want %d: %q", len(feed.Items), items, itemTitles(feed))
	}
	for _, it := range feed.Items {
		if !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://") {
			t.Errorf("item %q: link %q is not absolute", it.Title, it.Link)
		}
		if it.PublishedParsed == nil && it.UpdatedParsed == nil {
			t.Errorf("item %q has no date", it.Title)
		}
		if it.Title == "" || it.GUID == "" {
			t.Errorf("item without title or id: %+v", it)
		}
	}
}

func checkJSONFeed(t *testing.T, path string, items int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string `json:"version"`
		Items   []struct {
			ID            string `json:"id"`
			URL           string `json:"url"`
			Title         string `json:"title"`
			ContentHTML   string `json:"content_html"`
			DatePublished string `json:"date_published"`
		} `json:"items"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	if doc.Version != "https://jsonfeed.org/version/1.1" || len(doc.Items) != items {
		t.Fatalf("version %q with %d items, want 1.1 with %d", doc.Version, len(doc.Items), items)
	}
	for _, it := range doc.Items {
		if _, err := time.Parse(time.RFC3339, it.DatePublished); err != nil {
			t.Errorf("item %q: date_published %q: %v", it.Title, it.DatePublished, err)
		}
		if it.ID == "" || it.ContentHTML == "" || !strings.HasPrefix(it.URL, "http") {
			t.Errorf("item %q lacks id, content_html or an absolute url", it.Title)
		}
	}
}

func TestBuildExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("good.rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description>
<item><title>one</title><link>https://example.org/1</link><pubDate>Mon, 14 Feb 2022 08:47:41 +0800</pubDate></item></channel></rss>`)
	write("bad.rss", `<rss><channel><item><title>unclosed`)
	base := "site: {base_url: https://feeds.example.org/}\nstore: {path: db.sqlite}\ncategories: [{id: news}]\n"
	someFail := write("some.yaml", base+`sources:
  - {id: good, type: feed, url: good.rss, category: news}
  - {id: missing, type: posts, path: no-such-folder}
  - {id: bad, type: feed, url: bad.rss}
`)
	allFail := write("all.yaml", base+`sources:
  - {id: missing, type: posts, path: no-such-folder}
`)
	invalid := write("invalid.yaml", "site: {base_url: nope}\n")

	code, out, errs := runCommand(t, "build", "-config", someFail)
	if code != 0 {
		t.Errorf("one good source of three: exit %d, want 0\n%s%s", code, out, errs)
	}
	for _, want := range []string{"good", "1 new", "missing", "no-such-folder", "bad", "error:"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "feeds", "news.rss")); err != nil {
		t.Errorf("feed of the good source not written: %v", err)
	}
	if code, out, errs := runCommand(t, "build", "-config", allFail); code != 1 {
		t.Errorf("every source failed: exit %d, want 1\n%s%s", code, out, errs)
	}
	if code, _, errs := runCommand(t, "build", "-config", invalid); code != 2 || !strings.Contains(errs, "invalid.yaml:1: site.base_url") {
		t.Errorf("invalid config: exit %d, stderr %q", code, errs)
	}
	// The news feed written before stays published when its source fails.
	write("good.rss", "not a feed")
	if code, out, _ := runCommand(t, "build", "-config", someFail); code != 1 {
		t.Errorf("all sources failing: exit %d, want 1\n%s", code, out)
	}
	feed := parseFeed(t, filepath.Join(dir, "public", "feeds", "news.rss"))
	if len(feed.Items) != 1 {
		t.Errorf("news feed lost its article after its source failed: %d items", len(feed.Items))
	}
}

func TestCheckAndVersion(t *testing.T) {
	if code, out, errs := runCommand(t, "check", "-config", "../../config.yaml"); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("check shipped config: exit %d %s %s", code, out, errs)
	}
	if code, out, _ := runCommand(t, "version"); code != 0 || !strings.HasPrefix(out, "feedsmith ") {
		t.Errorf("version: exit %d %q", code, out)
	}
	if code, _, errs := runCommand(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: exit %d %q", code, errs)
	}
}

func TestPreview(t *testing.T) {
	dir, cfg := shippedConfig(t)
	t.Setenv("COLUMNS", "400") // wide enough for every cell whole
	code, out, errs := runCommand(t, "preview", "haibin", "-config", cfg)
	if code != 0 {
		t.Fatalf("preview: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"港口一季度货物吞吐量同比增长8.6%", "2022-03-01 09:30:00 +08:00", "haibin", "http://news.example.com/haibin/2022/0301/gangkou.html", "3 articles, 0 skipped"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview table lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCommand(t, "preview", "-config", cfg, "-json", "news-mirror")
	var items []struct {
		ID, Published, Title string
		Categories           []string
	}
	if err := json.Unmarshal([]byte(out), &items); code != 0 || err != nil || len(items) != 4 {
		t.Fatalf("preview -json: exit %d, %v, %d items\n%s", code, err, len(items), out)
	}
	if items[0].Published != "2022-02-14T08:47:41+08:00" || items[0].Categories[0] != "rizhaoribao" {
		t.Errorf("first item: %+v", items[0])
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
		t.Error("preview created the store")
	}
	if code, _, errs := runCommand(t, "preview", "nope", "-config", cfg); code != 2 || !strings.Contains(errs, `no source "nope"`) {
		t.Errorf("unknown source: exit %d %q", code, errs)
	}
}
