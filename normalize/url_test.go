package normalize

import "testing"

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
		{"fragment removed", "https://example.com/a#comments", "https://example.com/a"},
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
