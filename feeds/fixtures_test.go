package feeds

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/store/sqlite"
)

// fixtureNow is the clock of the fixture runs: first-seen times derive
// from it, so the rendered bytes do not change from run to run.
var fixtureNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// repairFixtures are the inputs that made invalid feeds before feedsmith
// repaired them (issue 11, item 5 and 6): their three outputs are golden,
// in testdata/fixtures/.
var repairFixtures = []string{
	"podcast-nolink.rss",
	"untitled.rss",
	"undated.rss",
	"title-only.atom",
	"iri.rss",
}

// fixtureSources are the documents of every source fixture, each as the
// source that reads it: the feed fixtures of sources/testdata/feed (all
// of them, so a fixture added there is checked too), the posts folders,
// the HTML listing and the news API's records (without their detail
// step).
func fixtureSources(t *testing.T) map[string]config.Source {
	t.Helper()
	srcs := map[string]config.Source{}
	files, err := filepath.Glob(filepath.Join("..", "sources", "testdata", "feed", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		srcs["feed-"+filepath.Base(f)] = config.Source{Type: "feed", URL: f}
	}
	for _, dir := range []string{"frontmatter", "markdown", "mixed", "permalink"} {
		srcs["posts-"+dir] = config.Source{Type: "posts", Path: filepath.Join("..", "sources", "testdata", "posts", dir),
			SiteURL: "https://posts.example.com/"}
	}
	srcs["html-listing.html"] = config.Source{Type: "html", URL: filepath.Join("..", "sources", "testdata", "html", "listing.html"),
		Select: config.Select{Item: "ul.news li", Title: "a", Link: "a @href", Date: "span.date", Summary: "p", Image: "img @src"}}
	for _, f := range []string{"list.json", "bad-records.json"} {
		srcs["json-"+f] = config.Source{Type: "json", URL: filepath.Join("..", "sources", "testdata", "json", f),
			Items: "record", Fields: config.Fields{ID: "infoCode", Title: "title", Published: "datetime",
				Link: "https://news.example.com/html_News/NewsShare.html?infoCode={{.infoCode}}"}}
	}
	return srcs
}

// renderSource runs cfg as a build does: the source, the normalizer, the
// store (which gives undated articles their first-seen times), and the
// three formats of its category. A source that fails (a malformed
// document) renders nothing.
func renderSource(t *testing.T, name string, cfg config.Source) map[string][]byte {
	t.Helper()
	cfg.ID = "fixture"
	env := sources.Env{
		Fetcher:  sources.NewFetcher("feedsmith-test", 5*time.Second, 0),
		Location: time.UTC,
		Now:      func() time.Time { return fixtureNow },
	}
	src, err := sources.New(cfg, env)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := src.Collect(t.Context())
	if err != nil {
		// Only the fixtures made to be refused may fail: a decoding
		// regression in any other must not pass unseen.
		if !brokenFixtures[name] {
			t.Errorf("%s: %v", name, err)
		}
		return nil
	}
	norm := normalize.New(func() time.Time { return fixtureNow })
	var arts []article.Article
	seen := map[string]bool{}
	for _, a := range b.Articles {
		a.SourceID = cfg.ID
		norm.Article(&a, b.BaseURL)
		if seen[a.ID] { // a duplicate guid: the first wins, as collect does
			continue
		}
		seen[a.ID] = true
		a.Categories = []string{"fixtures"}
		arts = append(arts, a)
	}
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "feedsmith.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Save(t.Context(), cfg.ID, arts, fixtureNow); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	stored, err := st.Articles(t.Context(), "fixtures", 50)
	if err != nil {
		t.Fatal(err)
	}
	ch := testChannel()
	ch.Updated = fixtureNow
	ch.SourceLinks = map[string]string{cfg.ID: cfg.SiteURL} // as publish gives them
	out := map[string][]byte{}
	for _, r := range renderers {
		data, err := r.render(ch, stored)
		if err != nil {
			t.Fatalf("%s: %s: %v", name, r.name, err)
		}
		out[r.ext] = data
	}
	return out
}

// TestFixturesValid renders every source fixture and checks the rules of
// the validators on the result; the repair fixtures' outputs are golden.
// With FEEDSMITH_FIXTURE_OUT set to a folder, the outputs are written
// there too, for ../shared/feedcheck/check-feeds --strict.
func TestFixturesValid(t *testing.T) {
	outDir := os.Getenv("FEEDSMITH_FIXTURE_OUT")
	srcs := fixtureSources(t)
	for _, name := range repairFixtures {
		if _, ok := srcs["feed-"+name]; !ok {
			t.Errorf("repair fixture %s is not in sources/testdata/feed", name)
		}
	}
	names := make([]string, 0, len(srcs))
	for n := range srcs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			out := renderSource(t, name, srcs[name])
			for ext, data := range out {
				checkRules(t, name+ext, data)
				if slices.Contains(repairFixtures, strings.TrimPrefix(name, "feed-")) {
					golden(t, filepath.Join("fixtures", strings.TrimPrefix(name, "feed-")+ext), data)
				}
				if outDir != "" {
					if err := os.WriteFile(filepath.Join(outDir, name+ext), data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

// brokenFixtures are the fixtures written to be refused (malformed
// documents); every other fixture must be read and rendered.
var brokenFixtures = map[string]bool{"feed-malformed.xml": true, "feed-panic.json": true}
