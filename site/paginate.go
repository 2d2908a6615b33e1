package site

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// DefaultPerPage is how many articles a category page lists when
// Site.PerPage is 0.
const DefaultPerPage = 20

// Span is one page of a category: its path in the tree and the articles
// it lists, as indexes into the category's articles (newest first).
//
// The newest page, category/<id>.html (Number 0), lists the newest
// articles; the older ones are on numbered pages counted from the oldest
// article the category ever had (Category.Offset counts the dropped
// ones): category/<id>/1.html lists the PerPage oldest, 2.html the next
// PerPage, and so on. A numbered page is created full and never shifts,
// so an article newer than the others rewrites the newest page and, when
// that one fills up, creates one numbered page and relinks the previous
// one: at most three files. The newest page lists between PerPage and
// 2×PerPage−1 articles (all of them when there are fewer), so it is never
// nearly empty. An article dated before others (a backfill) goes where
// its date puts it and shifts the newer pages by one.
type Span struct {
	Number   int // 0 for the newest page, else 1, 2, … from the oldest
	Path     string
	From, To int // the page lists articles[From:To]
	// Newer and Older are the numbers of the neighbouring pages; -1 for
	// none (Newer is 0, the newest page, from the last numbered page).
	Newer, Older int
}

// Paginate lays out the pages of category c with n articles (newest
// first) and perPage articles a page (DefaultPerPage when 0).
func Paginate(c Category, n, perPage int) []Span {
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	total := c.Offset + n // ordinals 0 … total-1, oldest first
	full := 0             // numbered pages
	if total >= perPage {
		full = total/perPage - 1
	}
	first := c.Offset/perPage + 1 // the oldest numbered page with articles left
	index := func(ordinal int) int { return total - 1 - ordinal }
	head := Span{Number: 0, Path: CategoryPath(c.ID, 0), From: 0, To: min(index(full*perPage)+1, n), Newer: -1, Older: -1}
	if full >= first {
		head.Older = full
	}
	spans := []Span{head}
	for j := full; j >= first; j-- {
		s := Span{Number: j, Path: CategoryPath(c.ID, j), Older: j - 1, Newer: j + 1}
		s.From = index(j*perPage - 1)
		s.To = min(index((j-1)*perPage)+1, n)
		if j == full {
			s.Newer = 0
		}
		if j == first {
			s.Older = -1
		}
		spans = append(spans, s)
	}
	return spans
}

// CategoryPath is the path of page number of category id: the newest
// page for 0.
func CategoryPath(id string, number int) string {
	if number == 0 {
		return "category/" + id + ".html"
	}
	return "category/" + id + "/" + strconv.Itoa(number) + ".html"
}

// ArticlePath is the path of the page of the article with key: a hash of
// it, since keys are upstream ids and links, which are neither short nor
// safe as file names.
func ArticlePath(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "article/" + hex.EncodeToString(sum[:8]) + ".html"
}
