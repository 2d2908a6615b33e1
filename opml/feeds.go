package opml

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTitle is the most characters kept of a title or folder name.
const MaxTitle = 200

// Feed is one subscription of a document.
type Feed struct {
	// Title is the outline's title, else its text; "" when it has neither.
	Title   string
	URL     string // the xmlUrl, an absolute http(s) URL
	SiteURL string // the htmlUrl when it is one too, else ""
	// Folders are the names of the folders the feed sits in, the
	// outermost first; none at the top level.
	Folders []string
	Line    int
}

// A Problem is an outline left out (or a part of one), and why.
type Problem struct {
	Line    int
	Outline string // the outline's title or text, for people to find it
	Msg     string
}

func (p Problem) Error() string {
	return fmt.Sprintf("line %d: outline %q: %s", p.Line, p.Outline, p.Msg)
}

// Feeds lists the document's feeds in document order: every outline
// with an xmlUrl, whatever its type ("rss", "atom" or none). Each feed
// URL is listed once, where it first appears. An outline without one
// that holds outlines is a folder (a folder without a name adds none);
// an outline that points elsewhere (type "link" or "include") is not
// followed. What is left out is returned as problems: URLs that are not
// absolute http or https, or that carry a user name or password.
func (d *Document) Feeds() ([]Feed, []Problem) {
	w := &walker{seen: map[string]int{}}
	w.walk(d.Outlines, nil)
	return w.feeds, w.problems
}

type walker struct {
	feeds    []Feed
	problems []Problem
	seen     map[string]int // feed URL → line it was first listed on
}

func (w *walker) walk(outlines []Outline, folders []string) {
	for _, o := range outlines {
		name := Clean(o.Title)
		if name == "" {
			name = Clean(o.Text)
		}
		switch {
		case o.XMLURL != "":
			w.feed(o, name, folders)
			w.walk(o.Outlines, folders) // a feed holding outlines: rare, and they are no folder of it
		case len(o.Outlines) > 0:
			folder := Clean(o.Text)
			if folder == "" {
				folder = Clean(o.Title)
			}
			inner := folders
			if folder != "" {
				inner = append(folders[:len(folders):len(folders)], folder)
			}
			w.walk(o.Outlines, inner)
		case o.Type != "":
			w.problem(o, name, fmt.Sprintf("type %q without an xmlUrl is no feed; skipped", o.Type))
		}
	}
}

func (w *walker) feed(o Outline, name string, folders []string) {
	u, err := feedURL(o.XMLURL)
	if err != nil {
		w.problem(o, name, fmt.Sprintf("xmlUrl %q: %v; skipped", o.XMLURL, err))
		return
	}
	if line, ok := w.seen[u]; ok {
		w.problem(o, name, fmt.Sprintf("the feed %s is listed already, on line %d; skipped", u, line))
		return
	}
	w.seen[u] = o.Line
	f := Feed{Title: name, URL: u, Folders: folders, Line: o.Line}
	if o.HTMLURL != "" {
		if f.SiteURL, err = feedURL(o.HTMLURL); err != nil {
			w.problem(o, name, fmt.Sprintf("htmlUrl %q: %v; the feed is kept without it", o.HTMLURL, err))
		}
	}
	w.feeds = append(w.feeds, f)
}

func (w *walker) problem(o Outline, name, msg string) {
	if name == "" {
		name = Clean(o.XMLURL + o.URL)
	}
	w.problems = append(w.problems, Problem{Line: o.Line, Outline: name, Msg: msg})
}

// escapeBraces escapes what url.URL.String leaves of braces: they are
// not valid in a URL (RFC 3986), and "${X}" would name an environment
// variable in a configuration.
var escapeBraces = strings.NewReplacer("{", "%7B", "}", "%7D")

// feedURL checks that s is an absolute http or https URL without a user
// name or password (which would end up in a config file, logs and the
// index page), and returns it with its scheme and host in lower case.
func feedURL(s string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("not an http or https URL")
	case u.User != nil:
		return "", fmt.Errorf("holds a user name or password")
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("no host")
	case strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "", fmt.Errorf("holds spaces or control characters")
	}
	u.Host = strings.ToLower(u.Host)
	return escapeBraces.Replace(u.String()), nil
}

// Clean makes a name from an outline one line of printable text of at
// most MaxTitle characters: invalid UTF-8 and control characters become
// spaces, runs of white space one space.
func Clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, " "))
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxTitle {
		s = strings.TrimSpace(string([]rune(s)[:MaxTitle-1])) + "…"
	}
	return s
}
