package feeds

import (
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// TestRepair renders articles that, as they are, make invalid items, and
// compares what each format shows of the repaired one.
func TestRepair(t *testing.T) {
	cst := time.FixedZone("", 8*3600)
	when := time.Date(2022, 2, 14, 8, 47, 41, 0, cst)
	mp3 := article.Enclosure{URL: "https://pod.example.com/13.mp3", Type: "audio/mpeg"}
	tests := []struct {
		name                  string
		a                     article.Article
		title, link, linkType string
		content               string // HTML, when the repair makes it
	}{
		{"podcast: title and enclosure only",
			article.Article{ID: "ep13", SourceID: "pod", Title: "Episode 13", Enclosures: []article.Enclosure{mp3}},
			"Episode 13", mp3.URL, "",
			`<p><a href="https://pod.example.com/13.mp3">Episode 13</a> (audio/mpeg)</p>`},
		{"no title: the first words of the summary",
			article.Article{ID: "n3", Link: "https://n.example.com/3", Summary: strings.Repeat("word ", 30)},
			strings.TrimSpace(strings.Repeat("word ", 16)) + "…", "https://n.example.com/3", "text/html", ""},
		{"no title, Chinese summary cut on a character",
			article.Article{ID: "n4", Link: "https://n.example.com/4", Summary: strings.Repeat("招聘会", 40)},
			strings.Repeat("招聘会", 26) + "招聘…", "https://n.example.com/4", "text/html", ""},
		{"no title, no text: the date",
			article.Article{ID: "n1", Link: "https://n.example.com/1"},
			"2022-02-14 08:47", "https://n.example.com/1", "text/html",
			`<p><a href="https://n.example.com/1">2022-02-14 08:47</a></p>`},
		{"title only: content links the article",
			article.Article{ID: "t", Title: "Budget & plan", Link: "https://n.example.com/b"},
			"Budget & plan", "https://n.example.com/b", "text/html",
			`<p><a href="https://n.example.com/b">Budget &amp; plan</a></p>`},
		{"no link: the source's page",
			article.Article{ID: "w", SourceID: "wire", Title: "Wire", Summary: "Storm warning lifted."},
			"Wire", "https://wire.example.com/list", "", ""},
		{"no link, source without a page: the site",
			article.Article{ID: "w", SourceID: "other", Title: "Wire", Summary: "Storm warning lifted."},
			"Wire", "https://feeds.example.com/", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := testChannel()
			ch.SourceLinks = map[string]string{"wire": "https://wire.example.com/list"}
			tt.a.Published = when
			e, err := newEntry(ch, tt.a)
			if err != nil {
				t.Fatal(err)
			}
			if e.title != tt.title || e.link != tt.link || e.linkType != tt.linkType {
				t.Errorf("title %q link %q (%q), want %q %q (%q)", e.title, e.link, e.linkType, tt.title, tt.link, tt.linkType)
			}
			if tt.content != "" && e.content != tt.content {
				t.Errorf("content %q, want %q", e.content, tt.content)
			}
			for _, r := range renderers {
				out, err := r.render(ch, []article.Article{tt.a})
				if err != nil {
					t.Fatal(err)
				}
				checkRules(t, tt.name+r.ext, out)
			}
		})
	}
}

// TestDistinctUpdated: W3C DuplicateUpdated compares the text of
// <updated>, so entries sharing a second differ by milliseconds; the
// entry published first keeps the second, so an older entry does not
// change when a newer one arrives with the same time.
func TestDistinctUpdated(t *testing.T) {
	sec := time.Date(2022, 2, 14, 10, 0, 0, 0, time.UTC)
	old := article.Article{ID: "old", Title: "old", Summary: "s", Link: "https://e.example.com/old",
		Published: sec.Add(-time.Hour), Updated: sec.Add(300 * time.Millisecond)}
	newer := article.Article{ID: "new", Title: "new", Summary: "s", Link: "https://e.example.com/new",
		Published: sec, Updated: sec}
	newest := article.Article{ID: "newest", Title: "newest", Summary: "s", Link: "https://e.example.com/newest",
		Published: sec.Add(999 * time.Millisecond)}
	d, err := newDocument(testChannel(), []article.Article{old, newer, newest})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, e := range d.entries {
		got = append(got, e.src.ID+" "+updatedDate(e.updated)+" "+rfc3339(e.published))
	}
	want := []string{
		"newest 2022-02-14T10:00:00.002Z 2022-02-14T10:00:00Z",
		"new 2022-02-14T10:00:00.001Z 2022-02-14T10:00:00Z",
		"old 2022-02-14T10:00:00Z 2022-02-14T09:00:00Z",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
