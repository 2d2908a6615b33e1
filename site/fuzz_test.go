package site

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzPages puts random text in every field of every page and random
// links in every article: each page must parse, link nothing but http(s)
// URLs and pages of the tree, and hold no unescaped <script.
func FuzzPages(f *testing.F) {
	f.Add("日照日报", "https://example.cn/a")
	f.Add(`<script>alert(1)</script>`, "javascript:alert(1)")
	f.Add(`"><svg onload=alert(1)>`, `https://x/"><script>`)
	f.Add("\u202eevil", "data:text/html,x")
	f.Add("</textarea></title><!--", "HTTPS://EXAMPLE.COM/\x00")
	f.Add("0", `http://"`) // url.Parse takes `"` for a host; html/template wrote it http://%22
	f.Add("0", "http://[::1]:8080/a")
	th, err := LoadTheme(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, link string) {
		s, by, st := hostileSite(text, link)
		files := tree(t, th, s, by, st)
		for p, b := range files {
			if !strings.HasSuffix(p, ".html") {
				continue
			}
			if bytes.Contains(bytes.ToLower(b), []byte("<script")) {
				t.Fatalf("%s: <script in the bytes:\n%s", p, b)
			}
			checkPage(t, p, b, files)
		}
	})
}
