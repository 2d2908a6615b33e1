package site

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// hostileSite puts text in every field a source or an operator can fill,
// and link in every article's link.
func hostileSite(text, link string) (Site, map[string][]Article, Status) {
	s := fixture(base)
	s.Title, s.Description = text, text
	s.All.Title = text
	for i := range s.Categories {
		c := &s.Categories[i]
		c.Title, c.Description, c.Feeds.Title = text, text, text
	}
	by := map[string][]Article{"rizhaoribao": rizhaoArticles(), "linyiribao": {linyiArticle()}, "engineering": {engineeringArticle()}}
	for _, as := range by {
		for i := range as {
			a := &as[i]
			a.Title, a.Summary, a.Author, a.Source, a.Link = text, text, text, text, link
		}
	}
	st := fixtureStatus(true)
	st.Notices = []string{text}
	for i := range st.Sources {
		src := &st.Sources[i]
		src.ID, src.Type, src.LastError = text, text, text
	}
	return s, by, st
}

// TestHostileText renders every page with hostile text in every field:
// each parses, has no script or event handler, links only http(s) URLs
// and pages of the tree, and shows the text as text.
func TestHostileText(t *testing.T) {
	long := strings.Repeat("a", 10<<10)
	longCJK := strings.Repeat("日照", 5<<10/3)
	for _, tc := range []struct {
		name, text, link string
		// check, when set, checks each page further.
		check func(t *testing.T, p string, doc *html.Node)
	}{
		{name: "script", text: `<script>alert(1)</script><img src=x onerror=alert(2)>`, link: "https://example.com/x"},
		{name: "quotes", text: `" onmouseover="alert(1)" x='y' </title></textarea>`, link: `https://example.com/"onmouseover="alert(1)`},
		{name: "javascript link", text: "click me", link: "javascript:alert(document.cookie)"},
		{name: "data link", text: "click me", link: "data:text/html,<script>alert(1)</script>"},
		{name: "spaced javascript link", text: "click me", link: " JaVaScRiPt:alert(1)"},
		{name: "relative link", text: "click me", link: "../../../etc/passwd"},
		{name: "bidi overrides", text: "\u202eevil\u202c \u2066isolated \u202dLTR override\u2069 tail", link: "https://example.com/\u202e", check: checkIsolated},
		{name: "10 KB latin", text: long, link: "https://example.com/" + long, check: textIntact(long)},
		{name: "10 KB CJK", text: longCJK, link: "https://example.com/" + longCJK, check: textIntact(longCJK)},
		{name: "control characters", text: "a\x00b\x1bc\x7fd\ufffe", link: "https://example.com/\x00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			th, err := LoadTheme(nil)
			if err != nil {
				t.Fatal(err)
			}
			s, by, st := hostileSite(tc.text, tc.link)
			files := tree(t, th, s, by, st)
			for p, b := range files {
				if !strings.HasSuffix(p, ".html") {
					continue
				}
				checkPage(t, p, b, files)
				if bytes.Contains(bytes.ToLower(b), []byte("<script")) {
					t.Errorf("%s: <script in the bytes", p)
				}
				if bytes.Contains(bytes.ToLower(b), []byte("javascript:")) && strings.Contains(tc.text+tc.link, "javascript") {
					t.Errorf("%s: javascript: in the bytes", p)
				}
				doc, _ := html.Parse(bytes.NewReader(b))
				checkAttributes(t, p, doc, tc.text)
				if tc.check != nil {
					tc.check(t, p, doc)
				}
			}
		})
	}
}

// checkAttributes checks that the autodiscovery titles hold text whole:
// quotes do not end the attribute.
func checkAttributes(t *testing.T, p string, doc *html.Node, text string) {
	t.Helper()
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "link" && attr(n, "rel") == "alternate" {
			if title := attr(n, "title"); !strings.HasPrefix(title, strings.ToValidUTF8(strings.ReplaceAll(text, "\x00", "\ufffd"), "\ufffd")) {
				t.Errorf("%s: alternate title %.80q does not start with the text", p, title)
			}
		}
	}
}

// checkIsolated checks that every text with a bidi control character
// sits in an element with dir="auto" or in <title>, so it cannot reorder
// the text around it.
func checkIsolated(t *testing.T, p string, doc *html.Node) {
	t.Helper()
	for n := range doc.Descendants() {
		if n.Type != html.TextNode || !strings.ContainsAny(n.Data, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
			continue
		}
		isolated := false
		for a := n.Parent; a != nil && !isolated; a = a.Parent {
			isolated = a.Data == "title" || a.Data == "bdi" || attr(a, "dir") != ""
		}
		if !isolated {
			t.Errorf("%s: %q in <%s> is not isolated", p, n.Data, n.Parent.Data)
		}
	}
}

// textIntact checks that text appears whole in a text node of the page.
func textIntact(text string) func(t *testing.T, p string, doc *html.Node) {
	return func(t *testing.T, p string, doc *html.Node) {
		t.Helper()
		for n := range doc.Descendants() {
			if n.Type == html.TextNode && strings.Contains(n.Data, text) {
				return
			}
		}
		t.Errorf("%s: the %d-byte text is not in any text node", p, len(text))
	}
}
