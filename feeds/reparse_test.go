package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/feedsmith/feedsmith/article"
)

// wantLinks is the order the fixture must come out in: newest first.
var wantLinks = []string{
	"https://www.rizhao.gov.cn/art/2022/2/14/art_1.html",
	"https://example.com/2022/02/13/work-plan.html",
	"https://podcast.example.org/episodes/12",
	"https://example.net/2022/02/11/harbour-photos/",
}

func parseFeed(t testing.TB, data []byte) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, data)
	}
	return f
}

// wellFormed decodes every token of an XML document.
func wellFormed(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// sameInstantAndOffset checks a date a parser read: gofeed gives the
// instant in UTC, so the offset is checked in the raw text.
func sameInstantAndOffset(t *testing.T, what, raw string, parsed *time.Time, want time.Time) {
	t.Helper()
	if parsed == nil || !parsed.Equal(want) {
		t.Errorf("%s = %v, want %v", what, parsed, want)
	}
	var got time.Time
	var err error
	for _, layout := range []string{time.RFC3339, time.RFC1123Z} {
		if got, err = time.Parse(layout, raw); err == nil {
			break
		}
	}
	if err != nil {
		t.Errorf("%s %q: %v", what, raw, err)
		return
	}
	_, gotOff := got.Zone()
	_, wantOff := want.Zone()
	if !got.Equal(want) || gotOff != wantOff {
		t.Errorf("%s %q, want %v (same instant and offset)", what, raw, want)
	}
}

func TestReparse(t *testing.T) {
	as := loadArticles(t)
	byLink := map[string]article.Article{}
	for _, a := range as {
		byLink[a.Link] = a
	}
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			out, err := r.render(testChannel(), as)
			if err != nil {
				t.Fatal(err)
			}
			f := parseFeed(t, out)
			if len(f.Items) != len(wantLinks) {
				t.Fatalf("%d items, want %d", len(f.Items), len(wantLinks))
			}
			if f.Link != "https://feeds.example.com/" || f.Language != "zh-CN" {
				t.Errorf("feed link %q language %q", f.Link, f.Language)
			}
			ids := map[string]bool{}
			for i, it := range f.Items {
				a := byLink[wantLinks[i]]
				if it.Title != a.Title {
					t.Errorf("item %d title %q, want %q", i, it.Title, a.Title)
				}
				if it.Link != a.Link {
					t.Errorf("item %d link %q, want %q", i, it.Link, a.Link)
				}
				if it.GUID != ItemID(a) || ids[it.GUID] {
					t.Errorf("item %d id %q, want %q, unique", i, it.GUID, ItemID(a))
				}
				ids[it.GUID] = true
				sameInstantAndOffset(t, "published", it.Published, it.PublishedParsed, a.Published)
				if r.name != "rss" { // RSS has no item update date
					wantUpd := a.Updated
					if wantUpd.IsZero() {
						wantUpd = a.Published
					}
					sameInstantAndOffset(t, "updated", it.Updated, it.UpdatedParsed, wantUpd)
				}
			}
		})
	}
}

// TestIDsSurviveEdit edits every article (new text, new update date) and
// checks that no id changes: a reader would show the article again.
func TestIDsSurviveEdit(t *testing.T) {
	as := loadArticles(t)
	edited := slices.Clone(as)
	for i := range edited {
		edited[i].Title += " (updated)"
		edited[i].Content += "<p>Correction.</p>"
		edited[i].Summary = "Edited."
		edited[i].Updated = time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC)
	}
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			ids := func(items []article.Article) map[string]string {
				out, err := r.render(testChannel(), items)
				if err != nil {
					t.Fatal(err)
				}
				m := map[string]string{}
				for _, it := range parseFeed(t, out).Items {
					m[it.Link] = it.GUID
				}
				return m
			}
			before, after := ids(as), ids(edited)
			if len(before) != len(as) {
				t.Fatalf("%d ids, want %d", len(before), len(as))
			}
			for link, id := range before {
				if after[link] != id {
					t.Errorf("%s: id %q became %q after an edit", link, id, after[link])
				}
			}
		})
	}
}

func TestJSONFeedKeys(t *testing.T) {
	out, err := JSON(testChannel(), loadArticles(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{
		"version":       "https://jsonfeed.org/version/1.1",
		"feed_url":      "https://feeds.example.com/feeds/rizhaoribao.json",
		"home_page_url": "https://feeds.example.com/",
		"language":      "zh-CN",
		"description":   "日照日报 要闻与本地新闻",
	} {
		if doc[key] != want {
			t.Errorf("%s = %v, want %v", key, doc[key], want)
		}
	}
	if hubs, _ := doc["hubs"].([]any); len(hubs) != 1 {
		t.Errorf("hubs = %v, want one WebSub hub", doc["hubs"])
	}
	items, _ := doc["items"].([]any)
	if len(items) != 4 {
		t.Fatalf("items = %v", doc["items"])
	}
	for i, x := range items {
		it := x.(map[string]any)
		for _, key := range []string{"id", "url", "content_html", "date_published", "date_modified"} {
			if s, _ := it[key].(string); s == "" {
				t.Errorf("item %d: %s missing", i, key)
			}
		}
		if _, ok := it["banner_"]; ok {
			t.Errorf("item %d: gorilla's misspelt banner_ key", i)
		}
	}
	att := items[3].(map[string]any)["attachments"].([]any)[0].(map[string]any)
	if att["size_in_bytes"] != 24576.0 || att["size"] != nil || att["mime_type"] != "image/jpeg" {
		t.Errorf("attachment = %v", att)
	}
	if a := items[2].(map[string]any)["attachments"].([]any)[0].(map[string]any); a["size_in_bytes"] != nil {
		t.Errorf("unknown size written: %v", a)
	}
	for _, raw := range []string{`\u003c`, `\u003e`, `\u0026`, `\u65e5`} {
		if strings.Contains(string(out), raw) {
			t.Errorf("output escapes needlessly: %s", raw)
		}
	}
}

func TestDeterministic(t *testing.T) {
	as := loadArticles(t)
	reversed := slices.Clone(as)
	slices.Reverse(reversed)
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			first, err := r.render(testChannel(), as)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range [][]article.Article{as, reversed} {
				again, err := r.render(testChannel(), in)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, again) {
					t.Errorf("two renders differ:\n%s\n---\n%s", first, again)
				}
			}
		})
	}
}

func TestEmptyChannel(t *testing.T) {
	ch := testChannel()
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			out, err := r.render(ch, nil)
			if err != nil {
				t.Fatal(err)
			}
			f := parseFeed(t, out)
			if len(f.Items) != 0 || f.Title != ch.Title {
				t.Errorf("title %q, %d items", f.Title, len(f.Items))
			}
			if r.name == "json" && !strings.Contains(string(out), `"items": []`) {
				t.Errorf("JSON Feed without an items array:\n%s", out)
			}
			if r.name == "atom" {
				sameInstantAndOffset(t, "feed updated", f.Updated, f.UpdatedParsed, ch.Updated)
			}
		})
	}
	t.Run("atom/no date", func(t *testing.T) {
		ch := testChannel()
		ch.Updated = time.Time{}
		if _, err := Atom(ch, nil); err == nil {
			t.Error("an empty Atom feed without Channel.Updated rendered; want an error")
		}
	})
}

func TestWellFormed(t *testing.T) {
	as := loadArticles(t)
	for _, r := range renderers[:2] {
		for name, items := range map[string][]article.Article{"full": as, "empty": nil} {
			t.Run(r.name+"/"+name, func(t *testing.T) {
				out, err := r.render(testChannel(), items)
				if err != nil {
					t.Fatal(err)
				}
				if err := wellFormed(out); err != nil {
					t.Errorf("not well-formed: %v\n%s", err, out)
				}
				if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
					t.Error("no XML declaration")
				}
			})
		}
	}
}
