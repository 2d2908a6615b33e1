package sqlite

import (
	"strings"

	"github.com/feedsmith/feedsmith/article"
)

// authorSep joins several authors in the author column. It is a control
// character that normalized text never holds (XML 1.0 has no U+001F), so
// a column without it is one author, as every row written before
// Authors existed is; no migration is needed.
const authorSep = "\x1f"

func encodeAuthors(a *article.Article) string {
	if len(a.Authors) > 1 {
		return strings.Join(a.Authors, authorSep)
	}
	return a.Author
}

// decodeAuthors returns the article's Author and Authors from the
// column: Authors only when there are several.
func decodeAuthors(s string) (string, []string) {
	if !strings.Contains(s, authorSep) {
		return s, nil
	}
	all := strings.Split(s, authorSep)
	return all[0], all
}
