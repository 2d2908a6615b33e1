package sources

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// wideEncoding is UTF-16 or UTF-32 in one byte order: the encodings in
// which ASCII is not ASCII, so that neither a declaration nor a charset
// label can be read from the bytes as they are.
type wideEncoding struct {
	name  string // "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"
	unit  int    // 2 or 4 bytes
	order binary.ByteOrder
}

var (
	utf16LE = wideEncoding{"UTF-16LE", 2, binary.LittleEndian}
	utf16BE = wideEncoding{"UTF-16BE", 2, binary.BigEndian}
	utf32LE = wideEncoding{"UTF-32LE", 4, binary.LittleEndian}
	utf32BE = wideEncoding{"UTF-32BE", 4, binary.BigEndian}
)

// wideLabels are the labels of the wide encodings: UTF-16's as the WHATWG
// Encoding Standard has them (a bare "utf-16" is little-endian, as in
// browsers), UTF-32's, which WHATWG does not know but XML allows, with a
// bare "utf-32" big-endian (Unicode 3.10, D99).
var wideLabels = map[string]wideEncoding{
	"utf-16le": utf16LE, "utf-16": utf16LE, "ucs-2": utf16LE, "iso-10646-ucs-2": utf16LE, "csunicode": utf16LE, "unicode": utf16LE, "unicodefeff": utf16LE,
	"utf-16be": utf16BE, "unicodefffe": utf16BE,
	"utf-32le": utf32LE, "utf-32be": utf32BE, "utf-32": utf32BE, "ucs-4": utf32BE, "iso-10646-ucs-4": utf32BE, "csucs4": utf32BE,
}

// sniffWide returns the wide encoding that the first four bytes of a
// document without a byte order mark are in, as XML 1.0 Appendix F
// reads them: "<?" or any other ASCII character (the "<" of a root
// element, or white space before it) padded with zero bytes. It returns
// false for everything else, including every ASCII-compatible encoding.
func sniffWide(b []byte) (wideEncoding, bool) {
	if len(b) < 4 {
		return wideEncoding{}, false
	}
	ascii := func(c byte) bool { return c != 0 && c < utf8.RuneSelf }
	switch {
	case b[0] == 0 && b[1] == 0 && b[2] == 0 && ascii(b[3]): // 00 00 00 3C
		return utf32BE, true
	case ascii(b[0]) && b[1] == 0 && b[2] == 0 && b[3] == 0: // 3C 00 00 00
		return utf32LE, true
	case b[0] == 0 && ascii(b[1]) && b[2] == 0 && ascii(b[3]): // 00 3C 00 3F
		return utf16BE, true
	case ascii(b[0]) && b[1] == 0 && ascii(b[2]) && b[3] == 0: // 3C 00 3F 00
		return utf16LE, true
	}
	return wideEncoding{}, false
}

// decodeWide converts body from e to UTF-8. A code unit that is cut off,
// an unpaired surrogate or a value beyond U+10FFFF is an error that gives
// its offset (skip is how many bytes came before body) and where the
// encoding came from.
func decodeWide(body []byte, e wideEncoding, c charsetChoice, skip int) ([]byte, error) {
	if n := len(body) % e.unit; n != 0 {
		return nil, fmt.Errorf("document is not valid %s: it ends in the middle of a %d-byte code unit at byte %d (%s)", e.name, e.unit, skip+len(body)-n, describe(c))
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i += e.unit {
		r, n := e.rune(body[i:])
		if r < 0 {
			return nil, fmt.Errorf("document is not valid %s at byte %d (%s)", e.name, skip+i, describe(c))
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out, nil
}

// rune decodes the character b starts with, returning -1 for one that is
// not valid, and how many bytes past the first unit it took.
func (e wideEncoding) rune(b []byte) (rune, int) {
	if e.unit == 4 {
		r := rune(e.order.Uint32(b))
		if r > utf8.MaxRune || utf16.IsSurrogate(r) {
			return -1, 0
		}
		return r, 0
	}
	r := rune(e.order.Uint16(b))
	switch {
	case r < 0xD800 || r > 0xDFFF:
		return r, 0
	case r >= 0xDC00 || len(b) < 4:
		return -1, 0
	}
	if r = utf16.DecodeRune(r, rune(e.order.Uint16(b[2:]))); r == utf8.RuneError {
		return -1, 0
	}
	return r, 2
}

// wideLabel returns the wide encoding a charset label names, if any.
func wideLabel(label string) (wideEncoding, bool) {
	e, ok := wideLabels[strings.ToLower(label)]
	return e, ok
}
