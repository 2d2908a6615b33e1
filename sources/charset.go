package sources

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// The XML declaration is ASCII in every encoding a feed can use without a
// byte order mark, so it can be read before the document is decoded.
var (
	prologRE   = regexp.MustCompile(`^<\?xml\s[^>]*?\?>`)
	encodingRE = regexp.MustCompile(`(\sencoding\s*=\s*)["']([^"'>]*)["']`)
)

// charsetChoice is the label a document is decoded with and where it came
// from, for error messages.
type charsetChoice struct {
	label  string
	origin string // "declared", "Content-Type", "default", "override", "byte order mark"
}

// DecodeXML returns an XML document as UTF-8 with its XML declaration
// rewritten to encoding="UTF-8". The charset is override if set, else the
// byte order mark, else the declaration's encoding, else the charset
// parameter of contentType, else UTF-8.
func DecodeXML(body []byte, contentType, override string) ([]byte, error) {
	size := len(body)
	body, bom := trimBOM(body)
	c := chooseCharset(override, bom, contentType)
	if c.origin == "default" || c.origin == "Content-Type" {
		// XML 1.0 Appendix F: without a byte order mark, the first bytes
		// tell UTF-16 and UTF-32 from the rest, and only in the rest can
		// the declaration be read. RFC 7303 would let Content-Type win,
		// but servers mislabel far more often than documents misdeclare
		// themselves.
		if e, ok := sniffWide(body); ok {
			c = charsetChoice{e.name, "byte pattern"}
		} else if label := prologEncoding(bytes.TrimLeft(body, " \t\r\n")); label != "" {
			c = charsetChoice{label, "declared"}
		}
	}
	if _, wide := wideLabel(c.label); !wide || c.origin == "declared" {
		body = bytes.TrimLeft(body, " \t\r\n")
	}
	out, err := decode(body, c, size-len(body))
	if err != nil {
		return nil, err
	}
	return rewriteProlog(bytes.TrimLeft(out, " \t\r\n")), nil
}

// DecodeText returns a document without an XML declaration (JSON) as UTF-8:
// the charset is override if set, else the byte order mark, else the
// charset parameter of contentType, else UTF-8.
func DecodeText(body []byte, contentType, override string) ([]byte, error) {
	trimmed, bom := trimBOM(body)
	return decode(trimmed, chooseCharset(override, bom, contentType), len(body)-len(trimmed))
}

func chooseCharset(override, bom, contentType string) charsetChoice {
	switch {
	case override != "":
		return charsetChoice{override, "override"}
	case bom != "":
		return charsetChoice{bom, "byte order mark"}
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		return charsetChoice{params["charset"], "Content-Type"}
	}
	return charsetChoice{"utf-8", "default"}
}

// trimBOM removes a byte order mark and returns the encoding it names.
func trimBOM(b []byte) ([]byte, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:], "utf-8"
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return b[4:], "utf-32be"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		// Not UTF-16LE's mark and a U+0000, which no XML or JSON has.
		return b[4:], "utf-32le"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return b[2:], "utf-16be"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return b[2:], "utf-16le"
	}
	return b, ""
}

// prologEncoding returns the encoding named in the XML declaration, if any.
func prologEncoding(b []byte) string {
	decl := prologRE.Find(b)
	if decl == nil {
		return ""
	}
	m := encodingRE.FindSubmatch(decl)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(string(m[2]))
}

// decode converts body from c's charset to UTF-8; skip is how many bytes
// were trimmed before body, so offsets in errors point into the original.
func decode(body []byte, c charsetChoice, skip int) ([]byte, error) {
	label := strings.Trim(strings.TrimSpace(c.label), `"'`)
	if e, ok := wideLabel(label); ok {
		if c.origin != "declared" {
			return decodeWide(body, e, c, skip)
		}
		// A declaration readable as ASCII is not in UTF-16 or UTF-32,
		// whatever it says.
		label = "utf-8"
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q (%s)", label, describe(c))
	}
	name, _ := htmlindex.Name(enc)
	switch name {
	case "utf-8":
		if i := invalidUTF8(body); i >= 0 {
			hint := "; set the source's charset"
			if c.origin == "override" {
				hint = ""
			}
			return nil, fmt.Errorf("document is not valid UTF-8 at byte %d (%s)%s", skip+i, describe(c), hint)
		}
		return body, nil
	case "replacement":
		// WHATWG maps these labels (ISO-2022-KR, HZ, ...) to an encoding
		// that decodes everything to U+FFFD: refuse rather than publish that.
		return nil, fmt.Errorf("unsupported charset %q (%s)", label, describe(c))
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s (%s): %w", label, describe(c), err)
	}
	return out, nil
}

func describe(c charsetChoice) string {
	switch c.origin {
	case "default":
		return "no charset declared"
	case "override":
		return "the source's charset is " + c.label
	case "Content-Type":
		return "Content-Type charset " + c.label
	case "byte order mark":
		return "byte order mark " + c.label
	case "byte pattern":
		return "no byte order mark; the first bytes are ASCII in " + c.label
	}
	return "declared " + c.label
}

// invalidUTF8 returns the offset of the first byte that is not valid UTF-8,
// or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1 // most documents: utf8.Valid reads ASCII 8 bytes at a time
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// rewriteProlog makes the XML declaration say what the bytes now are.
func rewriteProlog(b []byte) []byte {
	decl := prologRE.Find(b)
	if decl == nil {
		return b
	}
	loc := encodingRE.FindSubmatchIndex(decl)
	if loc == nil {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	out = append(out, decl[:loc[3]]...)
	out = append(out, `"UTF-8"`...)
	out = append(out, decl[loc[1]:]...)
	return append(out, b[len(decl):]...)
}
