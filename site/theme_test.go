package site

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoadTheme checks that a theme folder's file replaces the default
// of its name, the others fall back, and bad folders are refused naming
// the file (and line).
func TestLoadTheme(t *testing.T) {
	s := fixture(base)
	a := rizhaoArticles()[0]
	t.Run("override", func(t *testing.T) {
		th, err := LoadTheme(fstest.MapFS{
			"article.html": {Data: []byte(`{{define "main"}}<h1>{{.Heading}}</h1><p id="mine">{{.Article.Source}}</p>{{end}}`)},
			"site.css":     {Data: []byte("body{color:red}")},
			"README.md":    {Data: []byte("ignored: not a theme file type")},
		})
		if err != nil {
			t.Fatal(err)
		}
		b, err := th.Article(s, a)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`<p id="mine">日照日报</p>`)) || !bytes.Contains(b, []byte(`<footer>`)) {
			t.Errorf("the article page is not the folder's article.html in the default layout:\n%s", b)
		}
		home, err := th.Home(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		def, _ := LoadTheme(nil)
		want, _ := def.Home(s, nil)
		if !bytes.Equal(home, want) {
			t.Error("home.html did not fall back to the default")
		}
		if css := th.Assets()[0]; css.Path != CSSPath || string(css.Body) != "body{color:red}" {
			t.Errorf("assets[0] = %s %q, want the folder's site.css", css.Path, css.Body)
		}
	})
	for _, tc := range []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"parse error", fstest.MapFS{"status.html": {Data: []byte("{{define \"main\"}}\n<p>\n{{.Banner}\n{{end}}")}},
			"theme: template: status.html:3: bad character U+007D '}'"},
		{"layout parse error", fstest.MapFS{"layout.html": {Data: []byte("<html>{{if .Lang}}")}},
			"theme: template: layout.html:1: unexpected EOF"},
		{"unknown file", fstest.MapFS{"homepage.html": {Data: []byte("x")}},
			"theme: unknown file homepage.html (a theme has layout.html, home.html, category.html, article.html, status.html, site.css, favicon.svg)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadTheme(tc.fs)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %s", err, tc.want)
			}
		})
	}
	t.Run("execute error", func(t *testing.T) {
		th, err := LoadTheme(fstest.MapFS{"home.html": {Data: []byte(`{{define "main"}}{{.NoSuchField}}{{end}}`)}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := th.Home(s, nil); err == nil || !strings.Contains(err.Error(), "render home.html: ") || !strings.Contains(err.Error(), "NoSuchField") {
			t.Errorf("error %v, want one naming home.html and the field", err)
		}
	})
}

// TestDeterministic renders the fixture twice: the bytes are the same,
// so a publisher can compare them to skip unchanged files.
func TestDeterministic(t *testing.T) {
	a, b := fixtureTree(t, base), fixtureTree(t, base)
	for p := range a {
		if !bytes.Equal(a[p], b[p]) {
			t.Errorf("%s differs between two renders", p)
		}
	}
}
