package sources

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// permalinkStyles are Jekyll's built-in permalink styles. Posts are
// written to .html, so :output_ext is always ".html".
var permalinkStyles = map[string]string{
	"date":     "/:categories/:year/:month/:day/:title:output_ext",
	"pretty":   "/:categories/:year/:month/:day/:title/",
	"ordinal":  "/:categories/:year/:y_day/:title:output_ext",
	"weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
	"none":     "/:categories/:title:output_ext",
}

// permalinkTemplate returns the template a configured permalink stands
// for: a style's template, the permalink itself, or the date style when
// it is empty. As in Jekyll, only the site-wide setting may name a style.
func permalinkTemplate(p string) string {
	if p == "" {
		p = "date"
	}
	if t, ok := permalinkStyles[p]; ok {
		return t
	}
	return p
}

// postURL is what a post's permalink placeholders are made of.
type postURL struct {
	date       time.Time // in the post's own offset
	slug       string
	categories []string
}

// placeholderRE is Jekyll's: a colon and lower-case letters or "_".
var placeholderRE = regexp.MustCompile(`:([a-z_]+)`)

// expand fills in template's placeholders and cleans the path the way
// Jekyll does: values percent-encoded as a browser requests them, ".."
// and "./" dropped so a permalink cannot climb out of the site, and
// runs of "/" (an empty :categories) squeezed to one.
func (u postURL) expand(template string) (string, error) {
	var b strings.Builder
	last := 0
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(template, -1) {
		b.WriteString(escapePath(template[last:m[0]], true))
		last = m[1]
		name := template[m[2]:m[3]]
		v, ok := u.placeholder(name)
		if !ok && strings.HasSuffix(name, "_") {
			// Jekyll reads ":title_" as :title and a literal "_".
			v, ok = u.placeholder(name[:len(name)-1])
			v += "_"
		}
		if !ok {
			return "", fmt.Errorf("unknown placeholder :%s in %q", name, template)
		}
		b.WriteString(escapePath(v, false))
	}
	b.WriteString(escapePath(template[last:], true))
	return cleanPath(b.String()), nil
}

func (u postURL) placeholder(name string) (string, bool) {
	t := u.date
	switch name {
	case "year":
		return t.Format("2006"), true
	case "short_year":
		return t.Format("06"), true
	case "month":
		return t.Format("01"), true
	case "i_month":
		return t.Format("1"), true
	case "short_month":
		return t.Format("Jan"), true
	case "long_month":
		return t.Format("January"), true
	case "day":
		return t.Format("02"), true
	case "i_day":
		return t.Format("2"), true
	case "y_day":
		return fmt.Sprintf("%03d", t.YearDay()), true
	case "short_day":
		return t.Format("Mon"), true
	case "long_day":
		return t.Format("Monday"), true
	case "w_year", "week":
		y, w := t.ISOWeek()
		if name == "week" {
			return fmt.Sprintf("%02d", w), true
		}
		return strconv.Itoa(y), true
	case "w_day":
		return strconv.Itoa((int(t.Weekday())+6)%7 + 1), true // Monday is 1
	case "hour":
		return t.Format("15"), true
	case "minute":
		return t.Format("04"), true
	case "second":
		return t.Format("05"), true
	case "title":
		return slugify(u.slug, true), true
	case "slug":
		return slugify(u.slug, false), true
	case "categories":
		return joinCategories(u.categories), true
	case "output_ext":
		return ".html", true
	}
	return "", false
}

// joinCategories is :categories: the names lower-cased, as Jekyll does,
// without repeats, joined by "/".
func joinCategories(cats []string) string {
	lower := make([]string, len(cats))
	for i, c := range cats {
		lower[i] = strings.ToLower(c)
	}
	return strings.Join(unique(lower), "/")
}

// slugify is Jekyll's: runs of anything but letters, marks and digits
// become one "-". The "pretty" mode of :title also keeps the characters
// a URL path allows as they are and keeps case; :slug is lower-cased.
func slugify(s string, pretty bool) string {
	var b strings.Builder
	hyphen := false
	for _, r := range s {
		keep := unicode.IsLetter(r) || unicode.Is(unicode.M, r) || unicode.Is(unicode.Nd, r) ||
			pretty && strings.ContainsRune("._~!$&'()+,;=@", r)
		switch {
		case keep:
			b.WriteRune(r)
			hyphen = false
		case !hyphen:
			b.WriteByte('-')
			hyphen = true
		}
	}
	out := strings.TrimSuffix(strings.TrimPrefix(b.String(), "-"), "-")
	if !pretty {
		out = strings.ToLower(out)
	}
	return out
}

// titleize is Jekyll's title for a post without one: the slug's words,
// capitalized.
func titleize(slug string) string {
	words := strings.FieldsFunc(slug, func(r rune) bool { return r == '-' })
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + strings.ToLower(w[n:])
	}
	return strings.Join(words, " ")
}

// unique returns ss without repeats, in order.
func unique(ss []string) []string {
	var out []string
	seen := make(map[string]bool, len(ss))
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// escapePath percent-encodes all but the characters RFC 3986 allows in a
// path (pchar and "/"). Template text may be encoded already, so with
// keepEncoded a "%" and two hex digits stay as they are.
func escapePath(s string, keepEncoded bool) string {
	safe := func(i int) bool {
		return pathSafe(s[i]) || keepEncoded && s[i] == '%' && i+2 < len(s) &&
			isHex(s[i+1]) && isHex(s[i+2])
	}
	i := 0
	for i < len(s) && safe(i) {
		i++
	}
	if i == len(s) {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 3)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if c := s[i]; safe(i) {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func pathSafe(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0
}

// cleanPath is Jekyll's sanitize_url.
func cleanPath(p string) string {
	p = strings.ReplaceAll("/"+p, "..", "/")
	p = strings.ReplaceAll(p, "./", "")
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && i > 0 && p[i-1] == '/' {
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// joinURL puts a site URL and a path together with one "/" between.
func joinURL(site, path string) string {
	if site == "" {
		return path
	}
	return strings.TrimRight(site, "/") + "/" + strings.TrimLeft(path, "/")
}
