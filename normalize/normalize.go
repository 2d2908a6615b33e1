// Package normalize cleans every article, whatever its source, before it
// is stored: plain-text titles and summaries, sanitized and well-formed
// HTML content, absolute canonical links, XML-safe text everywhere, sane
// dates, a stable ID and the content hash.
package normalize

import (
	"strings"
	"sync"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/microcosm-cc/bluemonday"
)

// Normalizer cleans articles. It is safe for concurrent use once built;
// change its fields before sharing it, not after.
type Normalizer struct {
	// Now is the clock dates are checked against.
	Now func() time.Time
	// Skew is how far in the future a date may lie before it is taken
	// for a wrong clock or time zone at the source and clamped to Now.
	Skew time.Duration
	// SummaryLen is the length of summaries in characters (runes).
	SummaryLen int

	policy *bluemonday.Policy
	bufs   sync.Pool // of *bytes.Buffer, for HTML
}

// New returns a Normalizer with a 10-minute Skew and 200-character
// summaries. A nil now means time.Now.
func New(now func() time.Time) *Normalizer {
	if now == nil {
		now = time.Now
	}
	return &Normalizer{Now: now, Skew: 10 * time.Minute, SummaryLen: 200, policy: newPolicy()}
}

// Article normalizes a in place. base is the absolute URL that a relative
// link resolves against (usually the feed or page the article came
// from); once the article's own link is resolved, it is the base for the
// content, image and enclosures.
func (n *Normalizer) Article(a *article.Article, base string) {
	n.ArticleWithin(a, base, Limits{})
}

// ArticleWithin is Article that also cuts the fields to lim: each is
// cut before it is cleaned, so that a huge one costs no more than one
// that fits, and again after if cleaning left it too long. Plain-text
// fields end in "…" when cut; the content is cut where no tag or
// entity breaks and stays well-formed (see CutHTML and HTML).
func (n *Normalizer) ArticleWithin(a *article.Article, base string, lim Limits) {
	// Text twice: a title whose markup came entity-escaped
	// ("&lt;script&gt;") must not become markup once decoded, since
	// some readers and Jekyll themes render titles as HTML.
	a.Title = capped(a.Title, lim.Title, CutHTML, func(s string) string { return retext(Text(s)) })
	rawLink := a.Link
	a.Link = ResolveURL(a.Link, base)
	if a.Via = ResolveURL(a.Via, base); a.Via != "" {
		a.Via = CanonicalURL(a.Via)
	}
	if a.Link != "" {
		a.Link = CanonicalURL(a.Link)
		base = a.Link
	}
	if a.Via == a.Link {
		a.Via = "" // the article itself is no source to credit
	}
	a.Image = ResolveURL(a.Image, base)
	a.Enclosures = enclosures(a.Enclosures, base)

	if strings.TrimSpace(a.Content) == "" && looksLikeHTML(a.Summary) {
		a.Content = a.Summary
	}
	// A summary cut to nothing (a huge tag first) is taken from the
	// content instead.
	summaryCut := lim.Summary > 0 && len(a.Summary) > lim.Summary
	a.Summary = CutHTML(a.Summary, lim.Summary)
	fromContent := strings.TrimSpace(a.Summary) == ""
	var w *lineWriter
	if fromContent && n.SummaryLen > 0 {
		// Text(a.Content), as much of it as the summary needs.
		w = &lineWriter{limit: n.SummaryLen + 1}
	}
	a.Content = n.html(a.Content, base, w, lim.Content)
	var text string
	switch {
	case !fromContent && n.SummaryLen > 0:
		text = textPrefix(a.Summary, n.SummaryLen+1)
	case w != nil:
		text = w.String()
	}
	if d := a.Defer; d != nil && d.Partial && fromContent && n.SummaryLen > 0 && (w == nil || !w.full) {
		// The part of the text a posts source rendered (see
		// article.Deferred) gave less than the summary takes, or text
		// that retext must read whole: the rest could change it.
		d.Short = true
	}
	// The summary is plain text, but RSS readers render description as
	// HTML: entity-escaped markup must not come back as markup (see Title).
	a.Summary = summary(retext(text), n.SummaryLen)
	if summaryCut && !fromContent && !strings.HasSuffix(a.Summary, ellipsis) {
		a.Summary = ellipt(a.Summary, lim.Summary)
	} else {
		a.Summary = cutText(a.Summary, lim.Summary)
	}

	a.Author, a.Authors = "", authors(a.Author, a.Authors, lim.Author)
	if len(a.Authors) > 0 {
		a.Author = a.Authors[0]
	}
	if len(a.Authors) < 2 {
		a.Authors = nil // see article.Article.Authors
	}
	a.Tags = list(a.Tags, lim.Title)
	a.Categories = list(a.Categories, lim.Title)
	n.dates(a)

	switch id := line(a.ID); {
	case id != "" && id == strings.TrimSpace(rawLink) && a.Link != "":
		// An id taken from the link follows the link's canonical form, so
		// a tracking parameter that comes and goes makes no new article.
		a.ID = a.Link
	case id != "":
		a.ID = WithoutUserinfo(id)
	default:
		a.ID = article.StableID("", a.Link, a.Title, a.Content)
		if a.Defer != nil {
			a.Defer.Short = true // the id would hash a part of the text
		}
	}
	if a.Defer != nil {
		// The text is rendered when it is published; the marker stands
		// for it in the store, and its digest in the hash: a post moved
		// to another file is no update, as its text would be the same.
		a.Content = article.DeferredMarker + a.Defer.Digest
		a.Hash = article.ContentHash(a)
		a.Content = a.Defer.String()
		return
	}
	a.Hash = article.ContentHash(a)
}

// dates clamps dates in the future to now, in the date's own zone, takes
// dates before plausibleSince for none, and keeps Updated from preceding
// Published. Zero dates stay zero.
func (n *Normalizer) dates(a *article.Article) {
	now := n.Now()
	limit := now.Add(n.Skew)
	for _, t := range []*time.Time{&a.Published, &a.Updated} {
		switch {
		case !t.IsZero() && t.After(limit):
			*t = now.In(t.Location())
		case t.Before(plausibleSince):
			*t = time.Time{}
		}
	}
	if a.Published.IsZero() {
		// An item dated only by its update (an Atom entry has no
		// published, an RSS item only atom:updated or dcterms:modified)
		// was published then at the latest, as readers show it; the
		// first-seen time stands in only for an item without any date.
		a.Published = a.Updated
	}
	if !a.Updated.IsZero() && a.Updated.Before(a.Published) {
		a.Updated = a.Published
	}
}

// plausibleSince is the earliest date taken as the source's: before it, a
// date is a clock or parsing error (Unix time 0, the year 1900), which the
// W3C validator flags ("ImplausibleDate"), and the article is taken as
// undated, its first-seen time standing in.
var plausibleSince = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// enclosures resolves enclosure URLs against base and drops those
// without a usable URL.
func enclosures(es []article.Enclosure, base string) []article.Enclosure {
	kept := es[:0]
	for _, e := range es {
		if len(kept) == MaxEnclosures {
			break
		}
		e.URL = ResolveURL(e.URL, base)
		if e.URL == "" {
			continue
		}
		e.Type = line(e.Type)
		if e.Length < 0 {
			e.Length = 0
		}
		kept = append(kept, e)
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

// MaxNames and MaxEnclosures bound how many tags, how many categories,
// how many authors and how many enclosures one article keeps (the first ones): a real
// item has a handful, and each is stored, rendered in three formats and
// written into a Jekyll post.
const (
	MaxNames      = 100
	MaxEnclosures = 20
)

// list cleans each entry as a line of at most max bytes (0: any) and
// drops empty and repeated ones, keeping the first occurrence's place,
// and at most MaxNames of them.
func list(in []string, max int) []string {
	return distinct(in, func(s string) string { return capped(s, max, cutRaw, line) })
}

// distinct returns clean of each of in, without empty and repeated
// results, keeping the first occurrence's place, and at most MaxNames.
func distinct(in []string, clean func(string) string) []string {
	var out []string
	seen := make(map[string]bool, min(len(in), MaxNames))
	for _, s := range in {
		if len(out) == MaxNames {
			break
		}
		s = clean(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// looksLikeHTML reports whether s contains something shaped like a tag
// ("<" then a letter, "/" or "!", and a later ">"), as summaries that
// carry the whole article body do.
func looksLikeHTML(s string) bool {
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || i+1 >= len(s) {
			return false
		}
		c := s[i+1]
		s = s[i+1:]
		if (c == '/' || c == '!' || 'a' <= c|0x20 && c|0x20 <= 'z') && strings.IndexByte(s, '>') > 0 {
			return true
		}
	}
}
