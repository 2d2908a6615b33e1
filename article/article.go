// Package article defines the article, the unit that flows through every
// stage of feedsmith: sources produce articles, normalize cleans them, the
// store keeps them and feeds renders them.
package article

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Article is one item of one source.
type Article struct {
	// ID is stable for the life of the article within its source: the
	// source's guid, else its link, else a hash of title and content
	// (see StableID). It never changes when the article is edited.
	ID string
	// SourceID names the source that first delivered the article.
	SourceID string
	Title    string
	// Link is the absolute, canonical URL of the article.
	Link string
	// Via is the absolute URL of the original the article mirrors (the
	// upstream link a news mirror's post ends with), "" for none.
	Via string
	// Author is the article's author, the first of Authors when there
	// are several.
	Author string
	// Authors are all the article's authors in the source's order, set
	// only when there are several (normalize leaves it empty for one);
	// see AuthorList.
	Authors []string
	// Published and Updated keep the UTC offset the source gave. A zero
	// Published means the source gave no date; the store then uses the
	// time it first saw the article.
	Published time.Time
	Updated   time.Time
	// Summary is plain text; Content is sanitized HTML.
	Summary string
	Content string
	// FullText is set when Content is the full text from a detail step
	// (the item's own page or record), not only what the listing gave.
	FullText   bool
	Categories []string // category ids
	Tags       []string
	Image      string // absolute URL of a lead image, if any
	Enclosures []Enclosure
	// Hash is the content hash (see ContentHash), used to tell a real
	// update from a re-fetch of the same text.
	Hash string
	// Defer is set by a posts source that did not render the whole text
	// (see Deferred): normalize stores its marker in place of Content.
	// It is never stored.
	Defer *Deferred
}

// Enclosure is an attached media file (podcast audio, image, ...).
type Enclosure struct {
	URL    string
	Type   string
	Length int64 // bytes; 0 when unknown
}

// AuthorList returns Authors, else Author alone, else nil.
func (a *Article) AuthorList() []string {
	switch {
	case len(a.Authors) > 0:
		return a.Authors
	case a.Author != "":
		return []string{a.Author}
	}
	return nil
}

// StableID returns the article id from the first of guid, link, or a hash
// of title and content that is non-empty.
func StableID(guid, link, title, content string) string {
	if g := strings.TrimSpace(guid); g != "" {
		return g
	}
	if l := strings.TrimSpace(link); l != "" {
		return l
	}
	return "sha256:" + digest(title, content)
}

// ContentHash hashes the fields a reader sees. Two fetches of the same
// article with the same hash are the same version; a different hash is
// an update. Dates are not part of it: a source that bumps a date without
// changing the text has not updated the article. Nor are categories: they
// come from configuration as much as from the source, and the store
// tracks them on their own.
func ContentHash(a *Article) string {
	parts := []string{a.Title, a.Link, a.Author, a.Summary, a.Content, a.Image,
		strings.Join(a.Tags, "\x1f")}
	for _, e := range a.Enclosures {
		parts = append(parts, e.URL, e.Type, strconv.FormatInt(e.Length, 10))
	}
	if len(a.Authors) > 1 {
		// Only when there are several, so that the hashes stored before
		// Authors existed still match.
		parts = append(parts, "authors", strings.Join(a.Authors, "\x1f"))
	}
	if a.Via != "" {
		// Only when set: the hashes of articles without one stay as they were.
		parts = append(parts, "via", a.Via)
	}
	return digest(parts...)
}

func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
