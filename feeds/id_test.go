package feeds

import (
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

func TestItemID(t *testing.T) {
	tests := []struct {
		name, source, id, link string
		want                   string // "uuid" for any urn:uuid: that is not the input
	}{
		{"guid is a UUID of source and id", "rizhaoribao-api", "NW202202141234567890", "", "urn:uuid:45147a95-2af8-58f6-b843-9cf84ca1afbb"},
		{"url kept", "s", "https://example.com/2022/02/13/work-plan.html", "", "https://example.com/2022/02/13/work-plan.html"},
		{"url normalized", "s", "HTTPS://Example.COM:443/a/./b/../c?x=1#f", "", "https://example.com/a/c?x=1#f"},
		{"url without path", "s", "http://example.com", "", "http://example.com/"},
		{"url with Chinese path", "s", "https://example.com/新闻/1.html", "", "https://example.com/%E6%96%B0%E9%97%BB/1.html"},
		{"content hash", "s", "sha256:9f86d081884c7d659a2feaa0c55ad015", "", "uuid"},
		{"urn:uuid kept", "s", "urn:uuid:6ba7b811-9dad-11d1-80b4-00c04fd430c8", "", "urn:uuid:6ba7b811-9dad-11d1-80b4-00c04fd430c8"},
		{"bad urn:uuid", "s", "urn:uuid:not-a-uuid", "", "uuid"},
		{"urn kept", "s", "urn:isbn:0451450523", "", "urn:isbn:0451450523"},
		{"tag kept", "s", "tag:example.com,2004:post/1", "", "tag:example.com,2004:post/1"},
		{"malformed tag", "s", "tag:example.com:post/1", "", "uuid"},
		{"other scheme", "s", "mailto:a@example.com", "", "uuid"},
		{"relative", "s", "/2022/02/13/a.html", "", "uuid"},
		{"empty id uses link", "s", " ", "https://example.com/a", "https://example.com/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := article.Article{SourceID: tt.source, ID: tt.id, Link: tt.link}
			got := ItemID(a)
			if tt.want == "uuid" {
				if !uuidID.MatchString(got) || got == tt.id {
					t.Errorf("ItemID = %q, want a urn:uuid", got)
				}
			} else if got != tt.want {
				t.Errorf("ItemID = %q, want %q", got, tt.want)
			}
			// Nothing but the source and the id may change the id.
			a.Title, a.Content, a.Summary, a.Updated = "edited", "<p>edited</p>", "edited", time.Now()
			if again := ItemID(a); again != got {
				t.Errorf("ItemID changed with an edit: %q → %q", got, again)
			}
		})
	}
	t.Run("source matters for guids", func(t *testing.T) {
		a := ItemID(article.Article{SourceID: "a", ID: "123456789"})
		b := ItemID(article.Article{SourceID: "b", ID: "123456789"})
		if a == b {
			t.Errorf("two sources' guid 123456789 share the id %s", a)
		}
	})
}

func TestDuplicateIDs(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2022, 2, d, 8, 0, 0, 0, time.UTC) }
	link := "https://example.com/shared.html"
	older := article.Article{ID: link, SourceID: "first", Title: "older", Link: link, Published: day(1)}
	newer := article.Article{ID: link, SourceID: "second", Title: "newer", Link: link, Published: day(2)}
	twin := newer
	twin.Title = "twin"
	out, err := Atom(testChannel(), []article.Article{newer, older, twin})
	if err != nil {
		t.Fatal(err)
	}
	f := parseFeed(t, out)
	ids := map[string]string{}
	for _, it := range f.Items {
		if prev, dup := ids[it.GUID]; dup {
			t.Errorf("%q and %q share id %s", prev, it.Title, it.GUID)
		}
		ids[it.GUID] = it.Title
	}
	if ids[link] != "older" {
		t.Errorf("the older article lost its id %s: %v", link, ids)
	}
}

func TestCanonicalURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a.html", "https://example.com/a.html"},
		{"HTTP://www.Example.com:80/%7euser/a%2fb?q=a b&x=%e4#frag", "http://www.example.com/~user/a%2Fb?q=a%20b&x=%E4#frag"},
		{"https://example.com/新闻/a.html?标题=测试", "https://example.com/%E6%96%B0%E9%97%BB/a.html?%E6%A0%87%E9%A2%98=%E6%B5%8B%E8%AF%95"},
		{"https://例子.测试/", "https://xn--fsqu00a.xn--0zwm56d/"},
		// A percent-encoded IRI host is decoded, then IDNA'd (RFC 3987 §3.1).
		{"http://www.%e8%a9%b9%e5%a7%86%e6%96%af.com/%e8%a9%b9.mp3", "http://www.xn--8ws00zhy3a.com/%E8%A9%B9.mp3"},
		{"http://www.%45xample.com/", "http://www.example.com/"},
		{"http://%ff%fe.com/", ""},
		{"http://www.%zz.com/", ""},
		{"http://a%25b.com/", ""},
		{"https://example.com/a/../../b/.", "https://example.com/b/"},
		{"https://example.com:8080", "https://example.com:8080/"},
		{"https://user:pw@example.com./x", "https://user:pw@example.com/x"},
		{"https://[::1]:8443/x", "https://[::1]:8443/x"},
		{"https://example.com/100%", "https://example.com/100%25"},
		{"https://example.com/a[1]", "https://example.com/a%5B1%5D"},
		{" https://example.com/ ", "https://example.com/"},
		{"ftp://example.com/", ""},
		{"https:///path", ""},
		{"https:example.com", ""},
		{"https://exa mple.com/", ""},
		{"https://example.com:x/", ""},
		{"//example.com/", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := canonicalURI(tt.in, "http", "https")
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("canonicalURI(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
			if ok && strings.ContainsFunc(got, func(r rune) bool { return r > 0x7e || r <= ' ' }) {
				t.Errorf("%q is not a plain ASCII URI", got)
			}
		})
	}
}
