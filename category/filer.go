package category

import (
	"regexp"
	"slices"
	"strings"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/slug"
)

// Filer files articles into categories: the declared categories by id,
// names from the article turned into slugs (package slug), and the configured rules.
type Filer struct {
	declared map[string]config.Category
	rules    []rule
}

type rule struct {
	category string
	keywords []string // lower-cased
	match    *regexp.Regexp
	in       []string
}

// NewFiler compiles the rules of the declared categories. The config has
// been validated, so every expression compiles.
func NewFiler(cats []config.Category) *Filer {
	f := &Filer{declared: map[string]config.Category{}}
	for _, c := range cats {
		f.declared[c.ID] = c
		for _, r := range c.Rules {
			cr := rule{category: c.ID, in: r.In}
			if len(cr.in) == 0 {
				cr.in = []string{"title", "summary", "tags"}
			}
			for _, k := range r.Keywords {
				cr.keywords = append(cr.keywords, strings.ToLower(k))
			}
			if r.Match != "" {
				cr.match = regexp.MustCompile(r.Match)
			}
			f.rules = append(f.rules, cr)
		}
	}
	return f
}

// Derived is a category that no configuration declares, created from a
// name an article carried (a post's front matter, for example).
type Derived struct{ ID, Title string }

// File sets a's categories: each name it carries becomes an id (a declared
// id stays as it is, anything else becomes slug.Make(name)), the source's
// default category is added, then every matching rule's category. It
// returns the categories that were derived from names rather than declared.
func (f *Filer) File(a *article.Article, defaultCategory string) []Derived {
	var ids []string
	var derived []Derived
	add := func(id string) {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	add(defaultCategory)
	for _, name := range a.Categories {
		if _, ok := f.declared[name]; ok {
			add(name)
			continue
		}
		id := slug.Make(name)
		if id == "" {
			continue
		}
		if _, ok := f.declared[id]; !ok && !slices.Contains(ids, id) {
			derived = append(derived, Derived{ID: id, Title: strings.TrimSpace(name)})
		}
		add(id)
	}
	for _, r := range f.rules {
		if r.matches(a) {
			add(r.category)
		}
	}
	a.Categories = ids
	return derived
}

func (r rule) matches(a *article.Article) bool {
	for _, field := range r.in {
		var texts []string
		switch field {
		case "title":
			texts = []string{a.Title}
		case "summary":
			texts = []string{a.Summary}
		case "content":
			texts = []string{a.Content}
		case "tags":
			texts = a.Tags
		}
		for _, t := range texts {
			if r.match != nil && r.match.MatchString(t) {
				return true
			}
			lt := strings.ToLower(t)
			for _, k := range r.keywords {
				if strings.Contains(lt, k) {
					return true
				}
			}
		}
	}
	return false
}
