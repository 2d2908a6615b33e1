package jekyll_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/jekyll"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// issuePost is the post from the issue, as the old cron script wrote it,
// with one line more: render_with_liquid: false (see liquid.go).
const issuePost = `---
layout: post
title: "我市举行春季重点项目集中开工仪式"
date: 2022-02-14 08:47:41 +0800
categories: rizhaoribao
tags: 日照日报新闻
render_with_liquid: false
---
<p>……正文……</p>

<http://news.example.com/html_News/NewsShare.html?infoCode=NW202202141234567890>

[返回日照日报新闻](//news.example.org/category/rizhaoribao.html)｜[返回首页](//news.example.org/)
`

var cst = time.FixedZone("CST", 8*3600)

func exampleArticle() article.Article {
	return article.Article{
		ID:         "NW202202141234567890",
		SourceID:   "market-news",
		Title:      "我市举行春季重点项目集中开工仪式",
		Link:       "http://news.example.com/html_News/NewsShare.html?infoCode=NW202202141234567890",
		Published:  time.Date(2022, 2, 14, 8, 47, 41, 0, cst),
		Content:    "<p>……正文……</p>",
		Categories: []string{"rizhaoribao"},
	}
}

func titles(id string) string {
	return map[string]string{"rizhaoribao": "日照日报新闻"}[id]
}

func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

func newWriter(dir string, keep time.Duration, archive string, now time.Time) *jekyll.Writer {
	return jekyll.New(config.Jekyll{Dir: dir, SiteURL: "//news.example.org/", Keep: config.Duration(keep), Archive: archive},
		titles, fixedNow(now))
}

func write(t testing.TB, w *jekyll.Writer, arts ...article.Article) jekyll.Stats {
	t.Helper()
	st, err := w.Write(context.Background(), arts)
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	return st
}

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	const name = "2022-02-14-NW202202141234567890.md"
	write(t, newWriter(dir, 0, "", time.Now()), exampleArticle())
	got, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("post differs from %s:\n%s", golden, got)
	}
	if string(got) != issuePost {
		t.Errorf("post differs from the issue's example:\ngot:\n%s\nwant:\n%s", got, issuePost)
	}
}

func TestRewrite(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(dir, 0, "", time.Now())
	a := exampleArticle()
	name := filepath.Join(dir, "2022-02-14-NW202202141234567890.md")
	if st := write(t, w, a); st != (jekyll.Stats{Written: 1}) {
		t.Fatalf("first write: %+v", st)
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		edit      func(*article.Article)
		want      jekyll.Stats
		rewritten bool
	}{
		{"unchanged", func(*article.Article) {}, jekyll.Stats{Unchanged: 1}, false},
		{"new title", func(a *article.Article) { a.Title = "更新后的标题" }, jekyll.Stats{Written: 1}, true},
		{"new content", func(a *article.Article) { a.Content = "<p>新正文</p>" }, jekyll.Stats{Written: 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.Chtimes(name, old, old); err != nil {
				t.Fatal(err)
			}
			tt.edit(&a)
			if st := write(t, w, a); st != tt.want {
				t.Errorf("stats = %+v, want %+v", st, tt.want)
			}
			fi, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if rewritten := !fi.ModTime().Equal(old); rewritten != tt.rewritten {
				t.Errorf("rewritten = %v, want %v (mtime %v)", rewritten, tt.rewritten, fi.ModTime())
			}
			data, _ := os.ReadFile(name)
			if !strings.Contains(string(data), a.Title) || !strings.Contains(string(data), a.Content) {
				t.Errorf("post does not hold the article:\n%s", data)
			}
		})
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestFooter(t *testing.T) {
	a := exampleArticle()
	spaced := a
	spaced.Link = "http://news.example.com/a b<c>"
	bare := a
	bare.Categories, bare.Link, bare.Content, bare.Summary = nil, "", "", "a < b"
	tests := []struct {
		name, footer string
		art          article.Article
		want         string // the post's end
	}{
		{"custom", "来自 {{.Article.SourceID}}: {{.CategoryTitle}} {{.Category}} {{.SiteURL}}", a,
			"NW202202141234567890>\n\n来自 market&#45;news: 日照日报新闻 rizhaoribao //news.example.org\n"},
		{"link escaped", "", spaced, "\n\n<http://news.example.com/a%20b%3Cc%3E>\n\n[返回日照日报新闻](//news.example.org/category/rizhaoribao.html)｜[返回首页](//news.example.org/)\n"},
		{"no category", "", bare, "---\n<p>a &lt; b</p>\n\n[返回首页](//news.example.org/)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			w := jekyll.New(config.Jekyll{Dir: dir, SiteURL: "//news.example.org", Footer: tt.footer}, titles, nil)
			write(t, w, tt.art)
			data, err := os.ReadFile(filepath.Join(dir, "2022-02-14-NW202202141234567890.md"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(data), tt.want) {
				t.Errorf("post ends:\n%s\nwant:\n%s", data, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	// An article that can have no post is upstream's doing, not a failed
	// write: it is skipped with its reason, and the folder counts as
	// written (else one item dated 0999 keeps the output failing forever).
	t.Run("no post possible", func(t *testing.T) {
		dir := t.TempDir()
		undated, ancient := exampleArticle(), exampleArticle()
		undated.ID, undated.Published = "undated", time.Time{}
		ancient.ID, ancient.Published = "ancient", time.Date(999, 1, 1, 0, 0, 0, 0, time.UTC)
		st, err := newWriter(dir, 0, "", time.Now()).Write(context.Background(), []article.Article{undated, ancient, exampleArticle()})
		if err != nil {
			t.Errorf("err = %v, want nil: nothing failed to be written", err)
		}
		if st.Written != 1 || st.Skipped != 2 {
			t.Fatalf("stats = %+v, want the good article written and two skipped", st)
		}
		if st.FirstSkip == nil || !strings.Contains(st.FirstSkip.Error(), `"undated"`) {
			t.Errorf("first skip = %v, want one naming the article", st.FirstSkip)
		}
		ancient.ID = "undated-too"
		if st, _ := newWriter(dir, 0, "", time.Now()).Write(context.Background(), []article.Article{ancient}); st.FirstSkip == nil ||
			!strings.Contains(st.FirstSkip.Error(), "out of range") {
			t.Errorf("first skip = %v, want the year out of range", st.FirstSkip)
		}
	})
	t.Run("unwritable", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(dir, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := newWriter(dir, 0, "", time.Now()).Write(context.Background(), []article.Article{exampleArticle()})
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "2022-02-14-NW202202141234567890.md")) {
			t.Errorf("err = %v, want one naming the file", err)
		}
	})
	t.Run("bad footer", func(t *testing.T) {
		w := jekyll.New(config.Jekyll{Dir: t.TempDir(), Footer: "{{.Nope"}, nil, nil)
		if _, err := w.Write(context.Background(), []article.Article{exampleArticle()}); err == nil {
			t.Error("no error for a broken footer template")
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := newWriter(t.TempDir(), 0, "", time.Now()).Write(ctx, []article.Article{exampleArticle()})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func BenchmarkWrite(b *testing.B) {
	arts := make([]article.Article, 1000)
	for i := range arts {
		a := exampleArticle()
		a.ID = a.ID + "-" + string(rune('a'+i%26)) + time.Duration(i).String()
		a.Published = a.Published.Add(time.Duration(i) * time.Minute)
		a.Content = strings.Repeat("<p>……正文……</p>\n", 20)
		arts[i] = a
	}
	b.Run("new", func(b *testing.B) {
		root := b.TempDir()
		for b.Loop() {
			dir, err := os.MkdirTemp(root, "posts")
			if err != nil {
				b.Fatal(err)
			}
			write(b, newWriter(dir, 0, "", time.Now()), arts...)
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		w := newWriter(b.TempDir(), 0, "", time.Now())
		write(b, w, arts...)
		for b.Loop() {
			if st := write(b, w, arts...); st.Unchanged != len(arts) {
				b.Fatalf("stats = %+v", st)
			}
		}
	})
}
