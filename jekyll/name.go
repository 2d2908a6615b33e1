package jekyll

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/feedsmith/feedsmith/slug"
)

// maxIDLen caps the id part of a file name, in bytes: with the date and
// the extension a name stays under 100 bytes, far below any file
// system's limit.
const maxIDLen = slug.MaxLen

// webExts mark the last segment of a URL id as a page, whose query (if
// any) names the article; else the extension is dropped: "123.html"
// names post 2022-02-14-123-<hash>.md, not 2022-02-14-123.html-<hash>.md.
var webExts = map[string]bool{".html": true, ".htm": true, ".shtml": true,
	".php": true, ".asp": true, ".aspx": true, ".jsp": true}

// fileName is the post's file name: YYYY-MM-DD-<id>.md, the date in the
// article's own offset.
func fileName(published time.Time, id string) string {
	return published.Format(time.DateOnly) + "-" + fileID(id) + ".md"
}

// fileID makes the id part of a file name from an article id. An id that
// is already safe ([A-Za-z0-9._-], as the infoCode NW202202141234567890
// is) is kept as written, case and all, so names match the ones the old
// cron script wrote. Any other id gives a readable part (the last
// segment of a URL, pinyin for Chinese) plus a hash of the whole id, so
// two ids never share a file and nothing an id holds ("../", "/", NUL)
// can name a path outside the folder.
func fileID(id string) string {
	s := clean(readable(id))
	if s == id && s != "" && len(s) <= maxIDLen {
		return s
	}
	h := shortHash(id)
	if s == "" {
		return h
	}
	return trimEnds(s[:min(len(s), maxIDLen-len(h)-1)]) + "-" + h
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// readable picks the part of an id a person would recognise: for a URL
// its last path segment, or for a page like NewsShare.html?infoCode=NW1
// the longest query value (news sites put the article's code there); for
// other ids the part after the last "/".
func readable(id string) string {
	u, err := url.Parse(id)
	if err != nil || u.Scheme == "" || u.Host == "" {
		s := strings.TrimRight(id, "/")
		return s[strings.LastIndexByte(s, '/')+1:]
	}
	seg := path.Base(strings.TrimRight(u.Path, "/"))
	ext := path.Ext(seg)
	if seg == "." || seg == "/" || webExts[strings.ToLower(ext)] {
		if v := longestValue(u.Query()); v != "" {
			return v
		}
	}
	switch {
	case seg == "." || seg == "/":
		return u.Host
	case webExts[strings.ToLower(ext)]:
		return strings.TrimSuffix(seg, ext)
	}
	return seg
}

// longestValue returns the longest value of q, the first by key on a tie.
func longestValue(q url.Values) string {
	var best string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range q[k] {
			if len(v) > len(best) {
				best = v
			}
		}
	}
	return best
}

// clean keeps ASCII letters, digits, ".", "_" and "-", spells Chinese
// characters in pinyin and turns anything else into "-"; runs of
// separators collapse, so the result never holds "..".
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case r == '.' || r == '_' || r == '-':
			if last := lastByte(&b); last == '.' || last == '-' {
				continue
			}
			b.WriteRune(r)
		case unicode.Is(unicode.Han, r):
			b.WriteString(slug.Pinyin(string(r)))
		default:
			if last := lastByte(&b); last != '-' && last != '.' {
				b.WriteByte('-')
			}
		}
	}
	return trimEnds(b.String())
}

func lastByte(b *strings.Builder) byte {
	if s := b.String(); s != "" {
		return s[len(s)-1]
	}
	return 0
}

// trimEnds drops separators at either end: a name part never starts or
// ends with ".", "_" or "-".
func trimEnds(s string) string { return strings.Trim(s, "._-") }
