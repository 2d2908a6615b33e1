package normalize

import (
	"net"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// toURI turns u, an IRI, into a URI as RFC 3987 §3.1 says: the host to
// its IDNA ASCII form (punycode, "www.詹姆斯.com" becomes
// "www.xn--8ws00zhy3a.com") and every other non-ASCII character
// percent-encoded as UTF-8. url.Parse has already decoded a
// percent-encoded host ("www.%e8%a9%b9….com"), which url.URL.String would
// write back percent-encoded: not a valid URI host (W3C
// "InvalidURLAttribute"). It reports false for a host IDNA rejects, and
// the URL is then dropped.
func toURI(u *url.URL) bool {
	host, port := u.Hostname(), u.Port()
	if isASCII(host) {
		if !asciiHost(u.Host, host) {
			return false
		}
		u.Host = strings.ToLower(u.Host)
	} else {
		if !utf8.ValidString(host) {
			return false
		}
		a, err := idna.Lookup.ToASCII(host)
		if err != nil || a == "" {
			return false
		}
		u.Host = a
		if port != "" {
			u.Host = net.JoinHostPort(a, port)
		}
	}
	// The path and fragment are escaped by String; the raw query is
	// written as it is.
	u.RawQuery = escapeQuery(u.RawQuery)
	return true
}

// escapeQuery percent-encodes what a URI query may not hold: non-ASCII
// bytes (UTF-8 already), controls, space and the characters RFC 3986
// excludes. Existing escapes are kept.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	if !strings.ContainsFunc(q, needsEscape) {
		return q
	}
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if c := q[i]; needsEscape(rune(c)) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func needsEscape(r rune) bool {
	return r <= ' ' || r >= 0x7F || strings.ContainsRune(`"<>\^`+"`{|}", r)
}

// asciiHost reports whether an ASCII host (hostport as in the URL, host
// without port and brackets) is a host name or an IP literal: url.Parse
// lets quotes, angle brackets, "!" or "'" through in a host, which no
// resolver accepts and which a page or a feed would have to escape into a
// link that no longer parses ("http://%22").
func asciiHost(hostport, host string) bool {
	if strings.HasPrefix(hostport, "[") {
		h, _, _ := strings.Cut(host, "%") // an IPv6 zone
		return net.ParseIP(h) != nil
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return host != ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
