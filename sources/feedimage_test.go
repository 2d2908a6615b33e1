package sources

import (
	"fmt"
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// imageDocs are item bodies where the first img tag is or is not the
// first img element with a src in the parsed tree.
var imageDocs = []string{
	"",
	"<p>no image</p>",
	"<p>text &lt;img src=x&gt;</p>",
	`<p><img src="/a.jpg" alt="a"></p><p><img src="/b.jpg"></p>`,
	`<IMG SRC="/upper.jpg">`,
	`<p><img alt="no src"><img src="/second.jpg"></p>`,
	`<img src=''>`,
	`<img src>`,
	`<img src="/a.jpg" src="/b.jpg">`,
	`<img src="/a&amp;b.jpg?x=1&y=2">`,
	"<img src=\"/cr\r\nlf.jpg\">",
	"<img src=\"/nul\x00.jpg\">",
	`<image src="/image-tag.jpg">`,
	`<imgx src="/x.jpg"><img src="/y.jpg">`,
	`<table><tr><td><img src="/in-cell.jpg"></td></tr><img src="/fostered.jpg"></table>`,
	`<table><caption><img src="/caption.jpg"></caption><img src="/fostered.jpg"></table>`,
	`<select><img src="/in-select.jpg"></select><img src="/after.jpg">`,
	`<svg><img src="/svg.jpg"></svg>`,
	`<svg><image href="/svg-image.jpg"/></svg><img src="/after-svg.jpg">`,
	`<math><mi><img src="/math.jpg"></mi></math>`,
	`<template><img src="/template.jpg"></template><img src="/after.jpg">`,
	`<noscript><img src="/noscript.jpg"></noscript><img src="/after.jpg">`,
	`<script>"<img src='/script.jpg'>"</script><img src="/after.jpg">`,
	`<textarea><img src="/textarea.jpg"></textarea><img src="/after.jpg">`,
	`<title><img src="/title.jpg"></title><img src="/after.jpg">`,
	`<!-- <img src="/comment.jpg"> --><img src="/after.jpg">`,
	`<![CDATA[<img src="/cdata.jpg">]]><img src="/after.jpg">`,
	`<a title="<img src='/attr.jpg'>" href="/x">x</a><img src="/after.jpg">`,
	`<frameset><img src="/frameset.jpg"></frameset>`,
	`<!DOCTYPE html><img src="/doctype.jpg">`,
	`<html><body><img src="/body.jpg"></body></html>`,
	`</body><img src="/after-body.jpg">`,
	`<a href="/1"><div><img src="/a.jpg"></a><img src="/b.jpg">`,
	`<b><p><i>x</b><img src="/adopted.jpg"></i>`,
	`<a><a><img src="/nested-a.jpg">`,
	`<p><plaintext><img src="/plaintext.jpg">`,
	`<object><img src="/object.jpg"></object>`,
	`<ul><li>a<li><img src="/li.jpg"></ul>`,
	`<pre>` + "\n" + `<img src="/pre.jpg"></pre>`,
	`<p>` + strings.Repeat("<div>", 600) + `<img src="/deep.jpg">`,
	`<p><img src="/deep-after.jpg">` + strings.Repeat("<div>", 600),
	strings.Repeat("<b><i><u>", 42) + `<img src="/formatting.jpg">`,
	strings.Repeat("<table><td>", 30) + `<img src="/tables.jpg">`,
	`<img src="data:image/png;base64,AAAA">`,
	`<p><img src="/gbk-` + "\xc4\xe3" + `.jpg"></p>`,
	`<im`,
	`<img`,
	`<img src="/unterminated.jpg`,
}

// TestFirstImageAsParsed checks firstImage against the parse it stands
// in for, and parsedImage against gofeed's own scan.
func TestFirstImageAsParsed(t *testing.T) {
	for _, doc := range imageDocs {
		if got, want := imageURL(firstImage(doc)), imageURL(parsedImage(doc)); got != want {
			t.Errorf("firstImage(%q) = %s, parsed %s", doc, got, want)
		}
	}
	// gofeed's translator, with its scan on, against ours: one feed of
	// an item per body, in the description, and in the content.
	for _, field := range []string{"description", "content:encoded"} {
		var b strings.Builder
		b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>`)
		b.WriteString(`<description>` + html.EscapeString(`<p><img src="/feed.jpg"></p>`) + `</description>`)
		var docs []string
		for _, doc := range imageDocs {
			if utf8.ValidString(doc) && !strings.ContainsRune(doc, 0) { // XML would refuse the feed
				docs = append(docs, doc)
			}
		}
		for i, doc := range docs {
			fmt.Fprintf(&b, "<item><title>%d</title><%s>%s</%[2]s></item>", i, field, html.EscapeString(doc))
		}
		b.WriteString(`</channel></rss>`)
		parse := func(tr gofeed.Translator) *gofeed.Feed {
			p := gofeed.NewParser()
			p.RSSTranslator = tr
			feed, err := p.ParseString(b.String())
			if err != nil {
				t.Fatal(err)
			}
			return feed
		}
		want, got := parse(&gofeed.DefaultRSSTranslator{}), parse(&rssTranslator{})
		if g, w := imageURL(got.Image), imageURL(want.Image); g != w {
			t.Errorf("feed image %s, gofeed %s", g, w)
		}
		if len(got.Items) != len(want.Items) {
			t.Fatalf("%d items, gofeed %d", len(got.Items), len(want.Items))
		}
		for i := range got.Items {
			if g, w := imageURL(got.Items[i].Image), imageURL(want.Items[i].Image); g != w {
				t.Errorf("%s %q: image %s, gofeed %s", field, docs[i], g, w)
			}
		}
	}
}

// FuzzFirstImage checks that firstImage gives what gofeed's parse of the
// whole document gives.
func FuzzFirstImage(f *testing.F) {
	for _, doc := range imageDocs {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if got, want := imageURL(firstImage(doc)), imageURL(parsedImage(doc)); got != want {
			t.Fatalf("firstImage(%q) = %s, parsed %s", doc, got, want)
		}
	})
}

func imageURL(img *gofeed.Image) string {
	if img == nil {
		return "none"
	}
	return fmt.Sprintf("%q", img.URL)
}

func BenchmarkFirstImage(b *testing.B) {
	doc := strings.Repeat("<p>记者从交通部门了解到，沿海公路的改造工程将在月底完工。 The museum reopens on Saturday.</p>\n", 8) +
		`<p><img src="/images/0-3.jpg" alt="读书" width="640"></p>` + "\n<p>See <a href=\"/archive/4.html\">the archive</a>.</p>\n"
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			firstImage(doc)
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			parsedImage(doc)
		}
	})
}
