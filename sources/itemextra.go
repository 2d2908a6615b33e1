package sources

import (
	"bytes"
	"encoding/base64"
	"html"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/htmlindex"

	htmlparse "golang.org/x/net/html"
)

// applyExtras gives each item what scanExtras found for it, when the
// document's items and gofeed's are the same in number (else they
// cannot be paired, and gofeed's reading stands).
//
// Either way no item keeps text that is not UTF-8: the document was
// decoded to UTF-8 before it was parsed, so such bytes can only be
// gofeed's own decoding of base64 content of a binary type (image/png),
// which is no text; apply drops that content the same way when it can
// read the entry itself.
func applyExtras(items []*gofeed.Item, extras []itemExtras) {
	paired := len(extras) == len(items)
	for i, it := range items {
		if it == nil {
			continue
		}
		if paired {
			extras[i].apply(it)
		}
		for _, f := range []*string{&it.Title, &it.Description, &it.Content} {
			if !utf8.ValidString(*f) {
				*f = ""
			}
		}
	}
}

func (x *itemExtras) apply(it *gofeed.Item) {
	if a := x.atom["title"]; a != nil && a.base64() {
		it.Title = a.decoded()
	}
	if a := x.atom["summary"]; a != nil && a.base64() {
		it.Description = a.decoded()
	}
	if a := x.atom["content"]; a != nil && a.src == "" && a.base64() {
		it.Content = a.decoded()
	}
	if strings.TrimSpace(it.Content) == "" && x.body != "" && textLen(x.body) > textLen(it.Description) {
		// xhtml:body and fullitem hold the full text; a description
		// with more text than they have is the better content.
		it.Content = x.body
	}
	if strings.TrimSpace(it.Published) == "" && it.PublishedParsed == nil {
		it.Published = first(x.issued, x.created)
	}
	if strings.TrimSpace(it.Updated) == "" && it.UpdatedParsed == nil {
		it.Updated = first(x.modified, x.atomUpdate)
	}
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// base64 reports whether the construct's text is base64: Atom 0.3 says
// so with mode="base64"; RFC 4287 §4.1.3.3 makes every content whose type
// is a media type neither XML nor text/* base64.
func (a *atomText) base64() bool {
	if a.markup {
		return false
	}
	if a.mode != "" {
		return strings.EqualFold(a.mode, "base64")
	}
	t := a.mediaType()
	if t == "" || !strings.Contains(a.typ, "/") {
		return false
	}
	return !strings.HasPrefix(t, "text/") && !isXMLType(t)
}

func isXMLType(t string) bool {
	return strings.HasSuffix(t, "/xml") || strings.HasSuffix(t, "+xml") || strings.HasSuffix(t, "-xml")
}

// mediaType is the construct's type as a media type, lower-case, without
// parameters; Atom 1.0's short names stand for theirs, and Atom 0.3's
// default is text/plain.
func (a *atomText) mediaType() string {
	switch t := strings.ToLower(a.typ); t {
	case "", "text":
		return "text/plain"
	case "html":
		return "text/html"
	case "xhtml":
		return "application/xhtml+xml"
	}
	t, _, err := mime.ParseMediaType(a.typ)
	if err != nil {
		return ""
	}
	return t
}

// decoded returns base64 content as HTML: text of a text type escaped,
// HTML as it is. Content of any other type (an image, a PDF) has no text
// to publish, and is dropped: the item keeps its other fields. So is
// text that does not decode.
func (a *atomText) decoded() string {
	text := strings.Join(strings.Fields(a.text.String()), "")
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		// Padding is left off often enough.
		if raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(text, "=")); err != nil {
			return ""
		}
	}
	t := a.mediaType()
	if !strings.HasPrefix(t, "text/") && !isXMLType(t) {
		return ""
	}
	s, ok := textIn(raw, a.typ)
	switch {
	case !ok:
		return ""
	case t == "text/html" || t == "application/xhtml+xml":
		return s
	}
	return html.EscapeString(s)
}

// textIn decodes raw by the charset parameter of typ, else as UTF-8.
func textIn(raw []byte, typ string) (string, bool) {
	_, params, _ := mime.ParseMediaType(typ)
	if cs := params["charset"]; cs != "" {
		enc, err := htmlindex.Get(cs)
		if err != nil {
			return "", false
		}
		out, err := enc.NewDecoder().Bytes(raw)
		return string(out), err == nil
	}
	return string(raw), utf8.Valid(raw)
}

// textLen is how many characters of text an HTML fragment has.
func textLen(s string) int {
	n := 0
	z := htmlparse.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		switch z.Next() {
		case htmlparse.ErrorToken:
			return n
		case htmlparse.TextToken:
			if skip == 0 {
				n += utf8.RuneCount(bytes.TrimSpace(z.Text()))
			}
		case htmlparse.StartTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Script || atom.Lookup(name) == atom.Style {
				skip++
			}
		case htmlparse.EndTagToken:
			if name, _ := z.TagName(); skip > 0 && (atom.Lookup(name) == atom.Script || atom.Lookup(name) == atom.Style) {
				skip--
			}
		}
	}
}
