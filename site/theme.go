package site

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

//go:embed theme
var defaultTheme embed.FS

// The theme's files: the layout every page is rendered in, one template
// per page, and the stylesheet.
const (
	layoutFile   = "layout.html"
	homeFile     = "home.html"
	categoryFile = "category.html"
	articleFile  = "article.html"
	statusFile   = "status.html"
	// CSSPath and IconPath are the paths of the stylesheet and the icon
	// in the tree and in a theme.
	CSSPath  = "site.css"
	IconPath = "favicon.svg"
)

var (
	pageFiles  = []string{homeFile, categoryFile, articleFile, statusFile}
	assetFiles = []string{CSSPath, IconPath}
)

// Theme is a parsed set of page templates and the stylesheet.
type Theme struct {
	pages  map[string]*template.Template
	assets []Page
	stamp  string
}

// Stamp is a hash of every file of the theme: pages rendered with
// another theme must be rendered again.
func (th *Theme) Stamp() string { return th.stamp }

// LoadTheme parses the default theme with the files of override in place
// of the default ones of the same name (layout.html, home.html,
// category.html, article.html, status.html, site.css, favicon.svg); a
// file override
// lacks falls back to the default. override may be nil. A template that
// does not parse is an error naming its file and line, and so is a file
// of override that is not one of the theme's.
func LoadTheme(override fs.FS) (*Theme, error) {
	if override != nil {
		if err := checkNames(override); err != nil {
			return nil, err
		}
	}
	h := sha256.New()
	read := func(name string) (string, error) {
		fmt.Fprintf(h, "%s\x00", name)
		if override != nil {
			b, err := fs.ReadFile(override, name)
			if err == nil {
				fmt.Fprintf(h, "%d\x00%s", len(b), b)
				return string(b), nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("theme: read %s: %w", name, err)
			}
		}
		b, err := defaultTheme.ReadFile(path.Join("theme", name))
		fmt.Fprintf(h, "%d\x00%s", len(b), b)
		return string(b), err
	}
	layout, err := read(layoutFile)
	if err != nil {
		return nil, err
	}
	th := &Theme{pages: map[string]*template.Template{}}
	for _, name := range pageFiles {
		src, err := read(name)
		if err != nil {
			return nil, err
		}
		t := template.New(layoutFile).Funcs(funcs)
		if _, err := t.Parse(layout); err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		if _, err := t.New(name).Parse(src); err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		th.pages[name] = t
	}
	for _, name := range assetFiles {
		b, err := read(name)
		if err != nil {
			return nil, err
		}
		th.assets = append(th.assets, Page{Path: name, Body: []byte(b)})
	}
	th.stamp = hex.EncodeToString(h.Sum(nil)[:16])
	return th, nil
}

// checkNames refuses the files of a theme folder that are not the
// theme's: a misspelt name would be ignored without a word otherwise.
func checkNames(override fs.FS) error {
	entries, err := fs.ReadDir(override, ".")
	if err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	known := slices.Concat([]string{layoutFile}, pageFiles, assetFiles)
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !slices.Contains([]string{".html", ".css", ".svg"}, path.Ext(n)) {
			continue
		}
		if !slices.Contains(known, n) {
			return fmt.Errorf("theme: unknown file %s (a theme has %s)", n, strings.Join(known, ", "))
		}
	}
	return nil
}

// Assets returns the theme's own files of the tree, the same for every
// site: the stylesheet (CSSPath) and the icon (IconPath).
func (th *Theme) Assets() []Page {
	out := make([]Page, len(th.assets))
	for i, a := range th.assets {
		out[i] = Page{Path: a.Path, Body: slices.Clone(a.Body)}
	}
	return out
}

// funcs are the functions templates may call besides the standard ones.
var funcs = template.FuncMap{
	// date formats a time for people in the offset it carries,
	// "2026-12-01 08:30 +08:00"; "—" for the zero time.
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.Format("2006-01-02 15:04 -07:00")
	},
	// iso formats a time for <time datetime>: RFC 3339 with its offset.
	"iso": func(t time.Time) string { return t.Format(time.RFC3339) },
	// content inserts sanitizer output unescaped; it takes a SafeHTML
	// only, so a plain string cannot reach the page unescaped.
	"content": func(h SafeHTML) template.HTML { return template.HTML(h) },
}
