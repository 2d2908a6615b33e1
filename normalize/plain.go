package normalize

import (
	"bytes"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// sanitizePlain writes to out what newPolicy's Sanitize writes for s, and
// reports whether it could; when it could not, what it wrote is to be
// thrown away. It can when s is markup as feeds mostly carry it: tags
// with lower- or upper-case names, quoted attribute values, no comment,
// no doctype, no raw-text or skipped element (script, style, textarea,
// title, iframe, ...), no '<' that is not a tag, no CR, and in attribute
// values no entity that unescapeAttr cannot tell. It then does what bluemonday does, token by token, without
// the allocations of bluemonday's tokens and names: elements and
// attributes are kept or dropped by policyElements and policyGlobal (the
// tables of newPolicy; TestPlainPolicyTable checks them against it), URLs
// checked as bluemonday checks them, and the end tag of an element
// dropped for want of attributes dropped with it.
func sanitizePlain(s string, out *bytes.Buffer) bool {
	if strings.IndexByte(s, '\r') >= 0 || strings.IndexByte(s, 0) >= 0 {
		// The tokenizer turns CR into LF, and NUL into U+FFFD here and
		// there: leave both to bluemonday (HTML has removed NULs).
		return false
	}
	var (
		skipStack []string // bluemonday's closingTagToSkipStack
		attrs     []plainAttr
	)
	for i := 0; i < len(s); {
		if s[i] != '<' {
			end := textEnd(s, i)
			writeText(out, s[i:end])
			i = end
			continue
		}
		if i+1 < len(s) && s[i+1] == '/' {
			name, n := plainName(s[i+2:])
			if n == 0 || i+2+n >= len(s) || s[i+2+n] != '>' {
				return false
			}
			i += 2 + n + 1
			if skipped[name] {
				return false
			}
			if len(skipStack) > 0 && skipStack[len(skipStack)-1] == name {
				skipStack = skipStack[:len(skipStack)-1]
				continue
			}
			if _, ok := policyElements[name]; ok {
				out.WriteString("</")
				out.WriteString(name)
				out.WriteByte('>')
			}
			continue
		}
		name, n := plainName(s[i+1:])
		if n == 0 || skipped[name] {
			return false
		}
		j := i + 1 + n
		attrs = attrs[:0]
		selfClosing := false
		for {
			k := j
			for k < len(s) && (s[k] == ' ' || s[k] == '\n' || s[k] == '\t') {
				k++
			}
			if k >= len(s) {
				return false
			}
			if s[k] == '>' {
				j = k + 1
				break
			}
			if s[k] == '/' {
				if k+1 >= len(s) || s[k+1] != '>' {
					return false
				}
				j, selfClosing = k+2, true
				break
			}
			if k == j {
				return false // no space before the attribute
			}
			a, m, ok := plainAttribute(s[k:])
			if !ok {
				return false
			}
			if !slices.ContainsFunc(attrs, func(b plainAttr) bool { return b.key == a.key }) {
				attrs = append(attrs, a) // the tokenizer keeps the first of the same name
			}
			j = k + m
		}
		i = j
		el, ok := policyElements[name]
		if !ok {
			continue // dropped, its content kept
		}
		kept, ok := keptAttrs(name, el, attrs)
		if !ok {
			return false
		}
		if len(kept) == 0 && !el.noAttrs {
			if !selfClosing {
				skipStack = append(skipStack, name)
			}
			continue
		}
		out.WriteByte('<')
		out.WriteString(name)
		for _, a := range kept {
			out.WriteByte(' ')
			out.WriteString(a.key)
			out.WriteString(`="`)
			out.WriteString(html.EscapeString(a.val))
			out.WriteByte('"')
		}
		if selfClosing {
			out.WriteString("/>")
		} else {
			out.WriteByte('>')
		}
	}
	return true
}

// writeText writes a text token as bluemonday does: decoded, then
// escaped again.
func writeText(out *bytes.Buffer, raw string) {
	if strings.ContainsAny(raw, "&'\">") {
		out.WriteString(html.EscapeString(html.UnescapeString(raw)))
		return
	}
	out.WriteString(raw)
}

// plainName returns the tag name s starts with, lower-cased as the
// tokenizer does, and its length: an ASCII letter, then letters and
// digits, ended by white space, '/' or '>' (anything else, it leaves to
// bluemonday: n is 0).
func plainName(s string) (string, int) {
	n := 0
	lower := true
	for n < len(s) && ('a' <= s[n] && s[n] <= 'z' || 'A' <= s[n] && s[n] <= 'Z' || n > 0 && '0' <= s[n] && s[n] <= '9') {
		lower = lower && !('A' <= s[n] && s[n] <= 'Z')
		n++
	}
	if n == 0 || n == len(s) || !strings.ContainsRune(" \n\t/>", rune(s[n])) {
		return "", 0
	}
	if lower {
		return s[:n], n
	}
	return strings.ToLower(s[:n]), n
}

// plainAttr is an attribute as the tokenizer gives it: key lower-cased,
// value decoded.
type plainAttr struct{ key, val string }

// plainAttribute reads an attribute from the start of s: a key of ASCII
// letters, digits and '-', then nothing, or '=' and a quoted value, then
// white space, '/' or '>'. It returns the attribute, its length, and
// whether it could read it.
func plainAttribute(s string) (plainAttr, int, bool) {
	n := 0
	for n < len(s) && ('a' <= s[n] && s[n] <= 'z' || 'A' <= s[n] && s[n] <= 'Z' || n > 0 && ('0' <= s[n] && s[n] <= '9' || s[n] == '-')) {
		n++
	}
	if n == 0 || n == len(s) {
		return plainAttr{}, 0, false
	}
	key := s[:n]
	if strings.ContainsFunc(key, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
		key = strings.ToLower(key)
	}
	switch s[n] {
	case ' ', '\n', '\t', '/', '>':
		return plainAttr{key: key}, n, true
	case '=':
	default:
		return plainAttr{}, 0, false
	}
	if n+1 >= len(s) || s[n+1] != '"' && s[n+1] != '\'' {
		return plainAttr{}, 0, false
	}
	q := s[n+1]
	end := strings.IndexByte(s[n+2:], q)
	if end < 0 {
		return plainAttr{}, 0, false
	}
	val := s[n+2 : n+2+end]
	m := n + 2 + end + 1
	if m >= len(s) || !strings.ContainsRune(" \n\t/>", rune(s[m])) {
		return plainAttr{}, 0, false
	}
	val, ok := unescapeAttr(val)
	return plainAttr{key: key, val: val}, m, ok
}

// unescapeAttr decodes an attribute value as the tokenizer does, and
// reports whether it could tell how: it leaves to bluemonday the
// entities that html.UnescapeString, which decodes as in text, might
// decode otherwise (a name with a longer one inside, "&notit;").
func unescapeAttr(v string) (string, bool) {
	if strings.IndexByte(v, '&') < 0 {
		return v, true
	}
	var b strings.Builder
	b.Grow(len(v))
	for {
		i := strings.IndexByte(v, '&')
		if i < 0 {
			b.WriteString(v)
			return b.String(), true
		}
		b.WriteString(v[:i])
		v = v[i:]
		n := 1
		for n < len(v) && isAlnum(v[n]) {
			n++
		}
		switch {
		case n == 1 && n < len(v) && v[n] == '#':
			// Numeric, the same in an attribute as in text.
			n++
			hex := n < len(v) && (v[n] == 'x' || v[n] == 'X')
			if hex {
				n++
			}
			digits := n
			for n < len(v) && ('0' <= v[n] && v[n] <= '9' || hex && ('a' <= v[n]|0x20 && v[n]|0x20 <= 'f')) {
				n++
			}
			if n == digits {
				return "", false
			}
			if n < len(v) && v[n] == ';' {
				n++
			}
			b.WriteString(html.UnescapeString(v[:n]))
		case n == 1:
			b.WriteByte('&') // no name: no entity
		case n < len(v) && v[n] == ';':
			n++
			d := html.UnescapeString(v[:n])
			if d != v[:n] && strings.HasSuffix(d, ";") {
				return "", false // maybe a shorter name decoded, which an attribute does not
			}
			b.WriteString(d)
		case n < len(v) && v[n] == '=':
			b.WriteString(v[:n]) // an attribute keeps "&name=" as it is
		default:
			if html.UnescapeString(v[:n]) != v[:n] {
				return "", false // the whole name, or only a shorter one?
			}
			b.WriteString(v[:n])
		}
		v = v[n:]
	}
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// skipped are the elements whose content the tokenizer reads as raw text
// or bluemonday skips: sanitizePlain leaves them to bluemonday.
var skipped = map[string]bool{
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true,
	"iframe": true, "noembed": true, "noframes": true, "noscript": true, "plaintext": true,
	"frame": true, "frameset": true, "nostyle": true, "object": true,
}

// policyElement is what newPolicy allows of an element: its attributes
// (a nil pattern: any value), whether it is kept when no attribute is
// left (bluemonday's default list), and which attribute bluemonday checks
// as a URL.
type policyElement struct {
	attrs   map[string]*regexp.Regexp
	noAttrs bool
	url     string
}

// policyGlobal are the attributes newPolicy allows on every element.
var policyGlobal = map[string]*regexp.Regexp{"title": nil, "lang": langPattern, "dir": bluemonday.Direction}

// policyElements are the elements newPolicy allows.
var policyElements = func() map[string]policyElement {
	els := map[string]policyElement{}
	for _, name := range strings.Fields(`p div span br hr wbr h1 h2 h3 h4 h5 h6
		b i u s em strong small mark sub sup abbr cite dfn kbd samp var code pre tt
		ruby rt rp bdi figure figcaption picture article section aside header footer details summary
		ul ol li dl dt dd table caption thead tbody tfoot tr th td colgroup col
		blockquote q del ins time video audio`) {
		els[name] = policyElement{noAttrs: true}
	}
	els["big"] = policyElement{}
	els["a"], els["img"], els["source"] = policyElement{}, policyElement{}, policyElement{}
	allow := func(names string, re *regexp.Regexp, elements string) {
		for _, e := range strings.Fields(elements) {
			el := els[e]
			if el.attrs == nil {
				el.attrs = map[string]*regexp.Regexp{}
			}
			for _, n := range strings.Fields(names) {
				el.attrs[n] = re
			}
			els[e] = el
		}
	}
	allow("href", nil, "a")
	allow("cite", nil, "blockquote q del ins")
	allow("datetime", bluemonday.ISO8601, "time del ins")
	allow("src srcset", nil, "img source")
	allow("alt", nil, "img")
	allow("width height", bluemonday.NumberOrPercent, "img video table td th col")
	allow("type media", bluemonday.Paragraph, "source")
	allow("src poster controls preload loop muted", nil, "video")
	allow("src controls preload loop muted", nil, "audio")
	allow("start reversed", nil, "ol")
	allow("type", bluemonday.ListType, "ol ul li")
	allow("value", bluemonday.Integer, "li")
	allow("colspan rowspan", bluemonday.Integer, "td th")
	allow("scope", scopePattern, "th")
	allow("span", bluemonday.Integer, "col colgroup")
	allow("open", nil, "details")
	for name, key := range map[string]string{"a": "href", "blockquote": "cite", "del": "cite",
		"ins": "cite", "q": "cite", "audio": "src", "img": "src", "video": "src"} {
		el := els[name]
		el.url = key
		els[name] = el
	}
	return els
}()

// keptAttrs is bluemonday's sanitizeAttrs under newPolicy: the attributes
// the element's policy or the global one allows, in order, the URL one
// checked (validURL). It reports false for a URL it leaves to bluemonday.
func keptAttrs(name string, el policyElement, attrs []plainAttr) ([]plainAttr, bool) {
	if len(attrs) == 0 {
		return nil, true
	}
	kept := attrs[:0]
	for _, a := range attrs {
		if re, ok := el.attrs[a.key]; ok && (re == nil || re.MatchString(a.val)) {
			kept = append(kept, a)
			continue
		}
		if re, ok := policyGlobal[a.key]; ok && (re == nil || re.MatchString(a.val)) {
			kept = append(kept, a)
		}
	}
	if el.url == "" {
		return kept, true
	}
	checked := kept[:0]
	for _, a := range kept {
		if a.key == el.url {
			u, ok, sure := validURL(a.val)
			if !sure {
				return nil, false
			}
			if !ok {
				continue
			}
			a.val = u
		}
		checked = append(checked, a)
	}
	return checked, true
}

// validURL is bluemonday's validURL under newPolicy (parseable URLs,
// relative ones allowed, schemes http, https and mailto), but for a
// data: URL with white space, whose repair it leaves to bluemonday: sure
// is false then.
func validURL(raw string) (u string, ok, sure bool) {
	raw = strings.TrimSpace(raw)
	if strings.ContainsAny(raw, " \t\n") {
		return "", false, !strings.HasPrefix(raw, "data:")
	}
	p, err := url.Parse(raw)
	if err != nil {
		return "", false, true
	}
	switch p.Scheme {
	case "http", "https", "mailto":
		return p.String(), true, true
	case "":
		s := p.String()
		return s, s != "", true
	}
	return "", false, true
}
