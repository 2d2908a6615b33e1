package sources

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/htmlindex"
)

// metaWindow is how far into a page the HTML standard's prescan looks for
// a <meta> charset declaration.
const metaWindow = 1024

// DecodeHTML returns an HTML page as UTF-8. The charset is override if
// set, else the byte order mark, else the charset parameter of
// contentType when it names an encoding (browsers ignore one that does
// not), else a <meta charset> or <meta http-equiv="Content-Type"> in the
// first 1024 bytes, else UTF-8. A page that declares nothing and is not
// valid UTF-8 is an error, as in DecodeText, rather than a guess.
func DecodeHTML(body []byte, contentType, override string) ([]byte, error) {
	trimmed, bom := trimBOM(body)
	c := chooseCharset(override, bom, contentType)
	if c.origin == "Content-Type" && !knownCharset(c.label) {
		c = charsetChoice{"utf-8", "default"}
	}
	if c.origin == "default" {
		if label := metaCharset(trimmed); label != "" {
			c = charsetChoice{label, "declared"}
		}
	}
	return decode(trimmed, c, len(body)-len(trimmed))
}

func knownCharset(label string) bool {
	_, err := htmlindex.Get(strings.Trim(strings.TrimSpace(label), `"'`))
	return err == nil
}

// metaCharset returns the charset a <meta> tag near the start of the page
// declares; "" when there is none or it declares UTF-8, the default.
//
// charset.DetermineEncoding runs the standard prescan, but answers
// windows-1252 both for a page that declares it and for one that declares
// nothing. It is therefore given a probe that is valid UTF-8 and not
// ASCII (a leading "é", every other non-ASCII byte masked): it then
// answers "utf-8" unless a <meta> tag names another charset. The masked
// bytes cannot matter, since charset labels and tag syntax are ASCII.
func metaCharset(body []byte) string {
	const lead = "é "
	probe := make([]byte, 0, metaWindow)
	probe = append(probe, lead...)
	for _, b := range body[:min(len(body), metaWindow-len(lead))] {
		if b >= utf8.RuneSelf {
			b = '?'
		}
		probe = append(probe, b)
	}
	_, name, _ := charset.DetermineEncoding(probe, "")
	if name == "utf-8" {
		return ""
	}
	return name
}
