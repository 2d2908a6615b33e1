package category

import (
	"slices"
	"testing"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
)

func TestFile(t *testing.T) {
	f := NewFiler([]config.Category{
		{ID: "news"},
		{ID: "rizhaoribao", Title: "日照日报新闻"},
		{ID: "databases", Rules: []config.Rule{{Keywords: []string{"SQLite", "数据库"}}}},
		{ID: "go", Rules: []config.Rule{{Match: `(?i)\bgolang\b`, In: []string{"content"}}}},
	})
	tests := []struct {
		name        string
		in          article.Article
		def         string
		wantIDs     []string
		wantDerived []Derived
	}{
		{"default only", article.Article{Title: "x"}, "news", []string{"news"}, nil},
		{"declared name kept", article.Article{Categories: []string{"rizhaoribao"}}, "", []string{"rizhaoribao"}, nil},
		{"chinese name derived", article.Article{Categories: []string{"日照晚报"}}, "news", []string{"news", "rizhaowanbao"},
			[]Derived{{ID: "rizhaowanbao", Title: "日照晚报"}}},
		{"chinese name of a declared id", article.Article{Categories: []string{"日照日报"}}, "", []string{"rizhaoribao"}, nil},
		{"keyword in title, any case", article.Article{Title: "Notes on sqlite"}, "news", []string{"news", "databases"}, nil},
		{"chinese keyword in tags", article.Article{Tags: []string{"数据库"}}, "", []string{"databases"}, nil},
		{"regexp only in its field", article.Article{Title: "golang", Content: "<p>no</p>"}, "", nil, nil},
		{"regexp in content", article.Article{Content: "<p>Golang tips</p>"}, "", []string{"go"}, nil},
		{"duplicates dropped", article.Article{Categories: []string{"news", "News"}}, "news", []string{"news"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.in
			derived := f.File(&a, tt.def)
			if !slices.Equal(a.Categories, tt.wantIDs) {
				t.Errorf("categories = %q, want %q", a.Categories, tt.wantIDs)
			}
			if !slices.Equal(derived, tt.wantDerived) {
				t.Errorf("derived = %v, want %v", derived, tt.wantDerived)
			}
		})
	}
}
