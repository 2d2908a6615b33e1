package sources

import (
	"strings"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// firstImage is gofeed's image scan of an item's (or a feed's) HTML, the
// src of the first img element with one in the tree html.Parse builds,
// without building the tree when the answer is plain from the tokens.
// gofeed parses every item's content and description in full for it,
// which costs as much as the rest of its translation; the translators
// here turn its scan off (DisableContentImageScan) and run this one.
//
// The answer is plain when the document has no "<im" (no img or image
// tag, so no img element), or when the tokens up to the first img tag
// with a src are all of elements the parser only inserts or pops where
// they stand (scanPlain): no table (foster parenting moves what follows
// ahead of it), no select or frameset (which drop an img), no foreign,
// raw-text or template content (which the tokenizer alone reads another
// way), and when there are too few tags for the parser to give up on
// the nesting (maxScanTags). Anything else goes to html.Parse, as gofeed
// would.
func firstImage(doc string) *gofeed.Image {
	if !containsTagFold(doc, "im") {
		return nil
	}
	if strings.Count(doc, "<") > maxScanTags {
		// Maybe too deep for the parser, which then gives no image.
		return parsedImage(doc)
	}
	if src, ok := scanImage(doc); ok {
		if src == nil {
			return nil
		}
		return &gofeed.Image{URL: *src}
	}
	return parsedImage(doc)
}

// maxScanTags is the most tags a document may have for scanImage to
// speak for html.Parse, which fails on a document that nests over 512
// open elements. Each tag opens at most four: itself, two the parser
// implies (a table's tbody and tr before a td), and one a formatting
// tag (b, i, a, ...) reopens when its element was closed under others;
// with the html and body elements the parser adds, 3 + 4×127 = 511.
const maxScanTags = 127

// parsedImage is gofeed's firstImageFromHtmlDocument.
func parsedImage(doc string) *gofeed.Image {
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return nil
	}
	if img := firstImgWithSrc(root); img != nil {
		for _, a := range img.Attr {
			if a.Key == "src" {
				return &gofeed.Image{URL: a.Val}
			}
		}
	}
	return nil
}

// firstImgWithSrc is gofeed's: the first img element, in document order,
// that has a src attribute.
func firstImgWithSrc(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.Data == "img" {
		for _, a := range n.Attr {
			if a.Key == "src" {
				return n
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if img := firstImgWithSrc(c); img != nil {
			return img
		}
	}
	return nil
}

// scanImage reads doc's tokens up to the first img tag with a src and
// returns that src (nil when there is none), and whether the tokens
// before it are all plain (see firstImage), so that html.Parse would
// give the same answer.
func scanImage(doc string) (src *string, ok bool) {
	z := html.NewTokenizer(strings.NewReader(doc))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, true // io.EOF: a string reader fails no other way
		case html.TextToken, html.CommentToken:
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Img {
				for hasAttr {
					var key, val []byte
					key, val, hasAttr = z.TagAttr()
					if string(key) == "src" {
						s := string(val)
						return &s, true
					}
				}
				continue
			}
			if !plainTag[a] {
				return nil, false
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if !plainTag[atom.Lookup(name)] {
				return nil, false
			}
		default: // a doctype
			return nil, false
		}
	}
}

// plainTag are the elements whose tags, in the body, the parser only
// inserts, pops or closes where they stand: everything they do happens
// around the current node, nothing moves a later node ahead of an
// earlier one, and none changes how the tokenizer reads what follows.
var plainTag = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.Address: true, atom.Article: true, atom.Aside: true,
	atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Big: true, atom.Blockquote: true,
	atom.Br: true, atom.Center: true, atom.Cite: true, atom.Code: true, atom.Dd: true,
	atom.Del: true, atom.Details: true, atom.Dfn: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Em: true, atom.Figcaption: true, atom.Figure: true, atom.Font: true,
	atom.Footer: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true, atom.I: true,
	atom.Ins: true, atom.Kbd: true, atom.Li: true, atom.Main: true, atom.Mark: true,
	atom.Nav: true, atom.Ol: true, atom.P: true, atom.Picture: true, atom.Pre: true,
	atom.Q: true, atom.S: true, atom.Samp: true, atom.Section: true, atom.Small: true,
	atom.Source: true, atom.Span: true, atom.Strike: true, atom.Strong: true, atom.Sub: true,
	atom.Summary: true, atom.Sup: true, atom.Time: true, atom.Tt: true, atom.U: true,
	atom.Ul: true, atom.Var: true, atom.Wbr: true,
}

// containsTagFold reports whether s contains "<" followed by sub, ASCII
// case folded; sub must be lower-case ASCII letters.
func containsTagFold(s, sub string) bool {
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return false
		}
		s = s[i+1:]
		if len(s) < len(sub) {
			return false
		}
		k := 0
		for k < len(sub) && s[k]|0x20 == sub[k] {
			k++
		}
		if k == len(sub) {
			return true
		}
	}
}
