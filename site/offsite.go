package site

import (
	"bytes"
	"html"
	"net/url"
	"strings"

	nethtml "golang.org/x/net/html"
)

// LinkOffsite returns content with every image, video and audio that
// would be loaded from another origin than origin (an absolute URL, e.g.
// the site's base URL) replaced by a link to it, named by the image's alt
// text or by the word for it in language lang ("图片", "Image"). The pages
// make no request to any other host (their Content-Security-Policy says
// so, and a reader of a mirror is not announced to its upstream); a
// reader who wants the picture follows the link. Media from origin stay.
// content is sanitizer output, and so is what it returns: only escaped
// text and links of http(s) URLs are added.
func LinkOffsite(content SafeHTML, origin, lang string) SafeHTML {
	s := string(content)
	if !strings.Contains(s, "<img") && !strings.Contains(s, "<video") && !strings.Contains(s, "<audio") && !strings.Contains(s, "<source") {
		return content
	}
	home, _ := url.Parse(origin)
	l := labelsFor(lang)
	local := func(u string) bool {
		p, err := url.Parse(u)
		return err == nil && home != nil && (p.Host == "" && p.Scheme == "" || strings.EqualFold(p.Host, home.Host) && strings.EqualFold(p.Scheme, home.Scheme))
	}
	var b bytes.Buffer
	z := nethtml.NewTokenizer(strings.NewReader(s))
	skipEnd := map[string]int{} // end tags of the media replaced
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			break
		}
		tok := z.Token()
		name := tok.Data
		media := name == "img" || name == "video" || name == "audio" || name == "source"
		switch {
		case tt == nethtml.EndTagToken && skipEnd[name] > 0:
			skipEnd[name]--
			continue
		case !media || tt == nethtml.EndTagToken:
			b.Write(z.Raw())
			continue
		}
		src, alt, ok := "", "", true
		for _, a := range tok.Attr {
			switch a.Key {
			case "src":
				src = a.Val
				ok = ok && local(a.Val)
			case "poster":
				ok = ok && local(a.Val)
			case "srcset":
				for _, c := range strings.Split(a.Val, ",") {
					if f := strings.Fields(c); len(f) > 0 {
						ok = ok && local(f[0])
						if src == "" {
							src = f[0]
						}
					}
				}
			case "alt":
				alt = a.Val
			}
		}
		if ok {
			b.Write(z.Raw())
			continue
		}
		if tt == nethtml.StartTagToken && (name == "video" || name == "audio") {
			skipEnd[name]++
		}
		word := l.Image
		switch name {
		case "video":
			word = l.Video
		case "audio":
			word = l.Audio
		case "source":
			word = l.Video
		}
		text := word
		if strings.TrimSpace(alt) != "" {
			text = word + ": " + strings.TrimSpace(alt)
		}
		if u, err := url.Parse(src); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			b.WriteString(`<a class="offsite" href="` + html.EscapeString(src) + `" rel="noreferrer">` + html.EscapeString(text) + `</a>`)
		} else {
			b.WriteString(`<span class="offsite">` + html.EscapeString(text) + `</span>`)
		}
	}
	return SafeHTML(b.String())
}
