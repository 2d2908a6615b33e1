package feeds

import (
	"encoding/json"
	"encoding/xml"
	"reflect"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

// TestAuthors reads back every author of an entry in each format: Atom
// one <author> each (RFC 4287 §4.1.2), JSON Feed 1.1 "authors" (and 1.0's
// "author", the first), RSS one dc:creator each when there are several
// (RSS's one <author> stays for a single author with an address).
func TestAuthors(t *testing.T) {
	tests := []struct {
		name        string
		author      string
		authors     []string
		atom        []string // name|email
		json        []string
		rssAuthor   string
		rssCreators []string
	}{
		{"none", "", nil, nil, nil, "", nil},
		{"one name", "Ann Author", nil, []string{"Ann Author|"}, []string{"Ann Author"}, "", []string{"Ann Author"}},
		{"one with address", "ann@example.com (Ann)", nil, []string{"Ann|ann@example.com"}, []string{"Ann"}, "ann@example.com (Ann)", nil},
		{"several", "Ann Author", []string{"Ann Author", "bob@example.com (Bob)", "王芳"},
			[]string{"Ann Author|", "Bob|bob@example.com", "王芳|"}, []string{"Ann Author", "Bob", "王芳"},
			"", []string{"Ann Author", "Bob", "王芳"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := article.Article{ID: "https://example.com/1", SourceID: "s", Title: "T", Link: "https://example.com/1",
				Author: tt.author, Authors: tt.authors, Content: "<p>c</p>", Published: time.Date(2022, 2, 14, 8, 0, 0, 0, time.UTC)}
			ch := testChannel()

			out, err := Atom(ch, []article.Article{a})
			if err != nil {
				t.Fatal(err)
			}
			var atom struct {
				Entry struct {
					Authors []struct {
						Name  string `xml:"name"`
						Email string `xml:"email"`
					} `xml:"author"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal(out, &atom); err != nil {
				t.Fatal(err)
			}
			var gotAtom []string
			for _, p := range atom.Entry.Authors {
				gotAtom = append(gotAtom, p.Name+"|"+p.Email)
			}
			if !reflect.DeepEqual(gotAtom, tt.atom) {
				t.Errorf("atom authors = %q, want %q", gotAtom, tt.atom)
			}

			out, err = JSON(ch, []article.Article{a})
			if err != nil {
				t.Fatal(err)
			}
			var jf struct {
				Items []struct {
					Author  *struct{ Name string }  `json:"author"`
					Authors []struct{ Name string } `json:"authors"`
				} `json:"items"`
			}
			if err := json.Unmarshal(out, &jf); err != nil {
				t.Fatal(err)
			}
			var gotJSON []string
			for _, p := range jf.Items[0].Authors {
				gotJSON = append(gotJSON, p.Name)
			}
			if !reflect.DeepEqual(gotJSON, tt.json) {
				t.Errorf("json authors = %q, want %q", gotJSON, tt.json)
			}
			if first := jf.Items[0].Author; (first == nil) != (len(tt.json) == 0) || first != nil && first.Name != tt.json[0] {
				t.Errorf("json author = %+v, want the first of %q", first, tt.json)
			}

			out, err = RSS(ch, []article.Article{a})
			if err != nil {
				t.Fatal(err)
			}
			var rss struct {
				Items []struct {
					Author   string   `xml:"author"`
					Creators []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
				} `xml:"channel>item"`
			}
			if err := xml.Unmarshal(out, &rss); err != nil {
				t.Fatal(err)
			}
			if it := rss.Items[0]; it.Author != tt.rssAuthor || !reflect.DeepEqual(it.Creators, tt.rssCreators) {
				t.Errorf("rss author %q, dc:creator %q; want %q, %q", it.Author, it.Creators, tt.rssAuthor, tt.rssCreators)
			}
		})
	}
}
