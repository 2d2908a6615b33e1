// Package slug makes ids that are safe as URL path segments and file
// names from names in any script: pinyin for Chinese. It also provides
// the functions templates over item fields may call.
package slug

import (
	"strings"
	"text/template"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxLen is the longest id Make returns, in bytes.
const MaxLen = 80

// reserved are names Windows refuses as file names, whatever the extension.
var reserved = map[string]bool{"con": true, "prn": true, "aux": true, "nul": true,
	"com1": true, "com2": true, "com3": true, "com4": true, "com5": true, "com6": true, "com7": true, "com8": true, "com9": true,
	"lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true}

// Make turns a name into an id that is safe as a URL path segment
// and a file name: Chinese characters become their pinyin without tones,
// syllables joined (日照日报 → rizhaoribao); Latin letters lose their
// accents and are lower-cased; anything else separates words with "-".
// It returns "" when nothing usable is left.
func Make(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Han, r):
			if py := syllable(r); py != "" {
				if sep && b.Len() > 0 {
					b.WriteByte('-')
				}
				b.WriteString(py)
				sep = false
				continue
			}
			sep = true
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			sep = false
		case unicode.Is(unicode.Mn, r): // accents split off by NFKD
		default:
			sep = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > MaxLen {
		s = strings.TrimRight(s[:MaxLen], "-")
	}
	if reserved[s] {
		s += "-"
	}
	return s
}

// Pinyin returns the pinyin of the Chinese characters in s without tones,
// syllables joined, and keeps other letters and digits as they are,
// lower-cased: 日照日报 → rizhaoribao.
func Pinyin(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			b.WriteString(syllable(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Funcs are the functions templates over item fields may call:
// pinyin and slug.
func Funcs() template.FuncMap {
	return template.FuncMap{"pinyin": Pinyin, "slug": Make}
}
