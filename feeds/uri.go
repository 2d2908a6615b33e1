package feeds

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// URI character classes of RFC 3986 §2.
const (
	genDelims  = ":/?#[]@"
	subDelims  = "!$&'()*+,;="
	reserved   = genDelims + subDelims
	pchar      = "-._~" + subDelims + ":@"
	queryChars = pchar + "/?"
	upperHex   = "0123456789ABCDEF"
)

var defaultPort = map[string]string{"http": "80", "https": "443"}

// canonicalURI returns s in the normal form of RFC 3986 §6.2.2 and whether
// s is an absolute URI of one of schemes: lower-case scheme and host, no
// default port, no dot segments, an empty path as "/", percent-encoding in
// upper case and only where needed, non-ASCII as percent-encoded UTF-8 and
// an internationalized host in its ASCII form.
//
// Ids and self links must be in this form: the W3C validator compares them
// character by character with it ("NonCanonicalURI"), and RSS <link> and
// <guid> must be plain ASCII URIs, not IRIs.
func canonicalURI(s string, schemes ...string) (string, bool) {
	s = strings.TrimSpace(s)
	colon := strings.IndexByte(s, ':')
	if colon < 1 || !validScheme(s[:colon]) {
		return "", false
	}
	scheme := strings.ToLower(s[:colon])
	if !slices.Contains(schemes, scheme) {
		return "", false
	}
	rest, frag, hasFrag := strings.Cut(s[colon+1:], "#")
	rest, query, hasQuery := strings.Cut(rest, "?")

	var b strings.Builder
	b.WriteString(scheme)
	b.WriteByte(':')
	if auth, ok := strings.CutPrefix(rest, "//"); ok {
		path := ""
		if i := strings.IndexByte(auth, '/'); i >= 0 {
			auth, path = auth[:i], auth[i:]
		}
		a, ok := normAuthority(auth, scheme)
		if !ok {
			return "", false
		}
		b.WriteString("//")
		b.WriteString(a)
		b.WriteString(normPath(path))
	} else {
		if _, web := defaultPort[scheme]; web || rest == "" {
			return "", false
		}
		b.WriteString(normPart(rest, pchar+"/"))
	}
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(normPart(query, queryChars))
	}
	if hasFrag {
		b.WriteByte('#')
		b.WriteString(normPart(frag, queryChars))
	}
	return b.String(), true
}

func validScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c|0x20 >= 'a' && c|0x20 <= 'z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// normAuthority normalizes [userinfo@]host[:port]; the host must not be
// empty.
func normAuthority(auth, scheme string) (string, bool) {
	user := ""
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		user, auth = auth[:i], auth[i+1:]
		if user != "" && user != ":" {
			user = normPart(user, "-._~"+subDelims+":") + "@"
		} else {
			user = ""
		}
	}
	host, port := auth, ""
	if i := strings.LastIndexByte(auth, ':'); i >= 0 && !strings.Contains(auth[i:], "]") {
		host, port = auth[:i], auth[i+1:]
		if _, err := strconv.Atoi(port); port != "" && err != nil {
			return "", false
		}
		port = strings.TrimLeft(port, "0")
		if port == defaultPort[scheme] || port == "" {
			port = ""
		} else {
			port = ":" + port
		}
	}
	host, ok := normHost(host)
	return user + host + port, ok
}

func normHost(host string) (string, bool) {
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		return strings.ToLower(host), len(host) > 2
	}
	if h, found := strings.CutSuffix(host, "."); found && strings.Contains(h, ".") {
		host = h
	}
	// A percent-encoded IRI host ("www.%e8%a9%b9….com") is not a valid
	// URI host to the W3C validator ("InvalidURLAttribute"): decoded, it
	// goes to IDNA like any other.
	if strings.Contains(host, "%") {
		h, err := url.PathUnescape(host)
		if err != nil || !utf8.ValidString(h) {
			return "", false
		}
		host = h
	}
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			a, err := idna.Lookup.ToASCII(host)
			return a, err == nil && a != ""
		}
	}
	host = strings.ToLower(host)
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-._~"+subDelims, c) >= 0) {
			return "", false
		}
	}
	return host, host != ""
}

// normPath removes dot segments (RFC 3986 §5.2.4) from an absolute path
// and normalizes each segment's percent-encoding.
func normPath(p string) string {
	if p == "" {
		return "/"
	}
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, normPart(s, pchar))
			continue
		}
		if last {
			out = append(out, "")
		}
	}
	return "/" + strings.Join(out, "/")
}

// normPart percent-encodes what is neither unreserved nor a reserved
// character allowed literally here (safe), decodes what is unreserved, and
// keeps reserved characters as they were, encoded or not: "/" and "%2F" do
// not mean the same.
func normPart(s, safe string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c, encoded := s[i], false
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			c, encoded = unhex(s[i+1])<<4|unhex(s[i+2]), true
			i += 2
		}
		switch {
		case isUnreserved(c):
			b.WriteByte(c)
		case strings.IndexByte(reserved, c) >= 0 && strings.IndexByte(safe, c) >= 0 && !encoded:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return (c | 0x20) - 'a' + 10
}
