package postgres

import "strings"

// PostgreSQL text cannot hold NUL, and an article.Deferred marker,
// which a posts source stores for content, is made with NULs. The
// articles table therefore holds a content with a NUL escaped: U+FFFF
// (which normalize removes from every text, as XML does not allow it)
// and the content with each NUL as U+FFFF '0' and each U+FFFF doubled.
// A content without NUL is stored as it is, unless it starts with
// U+FFFF, which is escaped too, so that every content reads back.
const contentEscape = "\uFFFF"

var (
	contentEscaper   = strings.NewReplacer(contentEscape, contentEscape+contentEscape, "\x00", contentEscape+"0")
	contentUnescaper = strings.NewReplacer(contentEscape+contentEscape, contentEscape, contentEscape+"0", "\x00")
)

// encodeContent returns content as the articles table holds it.
func encodeContent(content string) string {
	if strings.IndexByte(content, 0) < 0 && !strings.HasPrefix(content, contentEscape) {
		return content
	}
	return contentEscape + contentEscaper.Replace(content)
}

// decodeContent returns the content encodeContent stored as s.
func decodeContent(s string) string {
	rest, ok := strings.CutPrefix(s, contentEscape)
	if !ok {
		return s
	}
	return contentUnescaper.Replace(rest)
}
