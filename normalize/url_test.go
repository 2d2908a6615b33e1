package normalize

import (
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/article"
)

func TestResolveURL(t *testing.T) {
	const base = "https://example.com/news/2022/index.html?page=2"
	tests := []struct{ name, ref, base, want string }{
		{"protocol-relative", "//cdn.example.net/a.jpg", base, "https://cdn.example.net/a.jpg"},
		{"protocol-relative http base", "//cdn.example.net/a.jpg", "http://example.com/", "http://cdn.example.net/a.jpg"},
		{"protocol-relative no base", "//cdn.example.net/a.jpg", "", "https://cdn.example.net/a.jpg"},
		{"absolute path", "/img/a.png", base, "https://example.com/img/a.png"},
		{"relative", "a.html", base, "https://example.com/news/2022/a.html"},
		{"relative dot-dot", "../2021/b.html", base, "https://example.com/news/2021/b.html"},
		{"base without trailing slash", "c.html", "https://example.com/news", "https://example.com/c.html"},
		{"query only", "?page=3", base, "https://example.com/news/2022/index.html?page=3"},
		{"already absolute", "http://other.org/x?y=1#z", base, "http://other.org/x?y=1#z"},
		{"absolute without base", "https://other.org/x", "", "https://other.org/x"},
		{"surrounding space", "  /a  ", base, "https://example.com/a"},
		{"chinese path escaped", "/新闻/1.html", base, "https://example.com/%E6%96%B0%E9%97%BB/1.html"},
		{"relative without base", "a.html", "", ""},
		{"relative with bad base", "a.html", "not a url", ""},
		{"javascript", "javascript:alert(1)", base, ""},
		{"mailto", "mailto:a@example.com", base, ""},
		{"data", "data:image/png;base64,AAAA", base, ""},
		{"ftp", "ftp://example.com/f", base, ""},
		{"empty", "", base, ""},
		{"control character", "/a\x01b", base, ""},
		{"bad escape", "/a%zz", base, ""},
		{"no host", "http:///path", base, ""},
		{"userinfo dropped", "http://user:pass@127.0.0.1:18002/x", base, "http://127.0.0.1:18002/x"},
		{"user only dropped", "https://user@Example.com/x", base, "https://example.com/x"},
		{"protocol-relative userinfo dropped", "//u:p@cdn.example.net/a.jpg", base, "https://cdn.example.net/a.jpg"},
		{"base's userinfo not inherited", "a.html", "https://u:p@example.com/news/", "https://example.com/news/a.html"},
		// RFC 3987 §3.1: an IRI's host goes to IDNA, the rest is
		// percent-encoded UTF-8.
		{"iri host", "http://www.詹姆斯.com/", base, "http://www.xn--8ws00zhy3a.com/"},
		{"percent-encoded iri host", "http://www.%e8%a9%b9%e5%a7%86%e6%96%af.com/a?x=1", base, "http://www.xn--8ws00zhy3a.com/a?x=1"},
		{"iri host with port", "http://www.詹姆斯.com:8080/", base, "http://www.xn--8ws00zhy3a.com:8080/"},
		{"iri path query fragment", "http://www.詹姆斯.com/新闻 1?q=詹姆斯#詹", base,
			"http://www.xn--8ws00zhy3a.com/%E6%96%B0%E9%97%BB%201?q=%E8%A9%B9%E5%A7%86%E6%96%AF#%E8%A9%B9"},
		{"relative against an iri base", "a.mp3", "http://www.詹姆斯.com/pod/", "http://www.xn--8ws00zhy3a.com/pod/a.mp3"},
		{"upper-case iri host", "http://WWW.Bücher.DE/", base, "http://www.xn--bcher-kva.de/"},
		{"host not utf-8", "http://%ff%fe.com/", base, ""},
		{"host idna rejects", "http://a\u200db.com/", base, ""},
		{"query with space", "/a?q=a b", base, "https://example.com/a?q=a%20b"},
		// url.Parse lets these through in a host; no resolver does.
		{"quote for a host", `http://"`, base, ""},
		{"quote in a host", `http://a"b.com/`, base, ""},
		{"angle bracket in a host", "http://a<b.com/", base, ""},
		{"apostrophe in a host", "http://a'b.com/", base, ""},
		{"bang in a host", "http://a!b.com/", base, ""},
		{"underscore in a host", "http://a_b.example.com/", base, "http://a_b.example.com/"},
		{"ipv4", "http://127.0.0.1:8080/x", base, "http://127.0.0.1:8080/x"},
		{"ipv6", "http://[::1]:8080/x", base, "http://[::1]:8080/x"},
		{"not an ipv6 literal", "http://[zz]/x", base, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ResolveURL(tt.ref, tt.base); got != tt.want {
				t.Errorf("ResolveURL(%q, %q) = %q, want %q", tt.ref, tt.base, got, tt.want)
			}
		})
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"utm removed", "https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"},
		{"other params kept in order", "https://example.com/a?z=1&utm_campaign=x&a=2&id=%E4%B8%AD", "https://example.com/a?z=1&a=2&id=%E4%B8%AD"},
		// The fragment tells items of one page apart (page#n1, page#n2).
		{"fragment kept", "https://example.com/a?utm_source=x#n2", "https://example.com/a#n2"},
		{"empty fragment dropped", "https://example.com/a#", "https://example.com/a"},
		{"text directive dropped", "https://example.com/a#:~:text=foo", "https://example.com/a"},
		{"text directive after a fragment", "https://example.com/a#n1:~:text=foo", "https://example.com/a#n1"},
		{"click ids removed", "https://example.com/a?fbclid=1&gclid=2&id=3&mc_cid=4&mc_eid=5&spm=a.b", "https://example.com/a?id=3"},
		{"upper-case utm", "https://example.com/a?UTM_Source=x&p=1", "https://example.com/a?p=1"},
		{"generic params kept", "https://example.com/a?from=timeline&source=rss", "https://example.com/a?from=timeline&source=rss"},
		{"scheme and host lower-cased", "HTTPS://Example.COM/Path/A", "https://example.com/Path/A"},
		{"default https port", "https://example.com:443/a", "https://example.com/a"},
		{"default http port", "http://example.com:80/a", "http://example.com/a"},
		{"other port kept", "https://example.com:8443/a", "https://example.com:8443/a"},
		{"empty path", "https://example.com", "https://example.com/"},
		{"empty query", "https://example.com/a?", "https://example.com/a"},
		{"not a url", " not a url ", "not a url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanonicalURL(tt.in); got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWithoutUserinfo(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:pass@example.com/a?b=1": "https://example.com/a?b=1",
		"https://example.com/a":               "https://example.com/a",
		"guid-1":                              "guid-1",
		"mailto:a@example.com":                "mailto:a@example.com",
		"tag:a@example.com,2024:1":            "tag:a@example.com,2024:1",
		"urn:x:a@b":                           "urn:x:a@b",
	} {
		if got := WithoutUserinfo(in); got != want {
			t.Errorf("WithoutUserinfo(%q) = %q, want %q", in, got, want)
		}
	}
}

// Userinfo (user:password@) in a link is never republished: not in the
// article's link, image, enclosures, id, nor in the links of its content.
func TestArticleUserinfo(t *testing.T) {
	n := New(nil)
	a := &article.Article{
		ID:         "http://user:pass@127.0.0.1:18002/guid",
		Link:       "http://user:pass@127.0.0.1:18002/x",
		Image:      "//u:p@cdn.example.net/a.jpg",
		Enclosures: []article.Enclosure{{URL: "https://u:p@cdn.example.net/a.mp3"}},
		Content:    `<p><a href="http://user:pass@x.example.org/p">x</a><img src="//u:p@cdn.example.net/b.png" srcset="https://u:p@cdn.example.net/c.png 2x"></p>`,
	}
	n.Article(a, "https://example.com/")
	all := strings.Join([]string{a.ID, a.Link, a.Image, a.Enclosures[0].URL, a.Content}, " ")
	for _, leak := range []string{"pass", "u:p", "@"} {
		if strings.Contains(all, leak) {
			t.Errorf("%q republished: %s", leak, all)
		}
	}
	if a.Link != "http://127.0.0.1:18002/x" || a.ID != "http://127.0.0.1:18002/guid" {
		t.Errorf("link %q, id %q", a.Link, a.ID)
	}
}
