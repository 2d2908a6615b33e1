package sources

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// The wide encodings, without a byte order mark, as x/text writes them:
// an encoder independent of the decoder under test.
var (
	enc16LE = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	enc16BE = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	enc32LE = utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)
	enc32BE = utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)
)

func withBOM(t testing.TB, enc encoding.Encoding, s string) []byte {
	return encode(t, enc, "\uFEFF"+s)
}

// TestDecodeXMLWide covers XML 1.0 Appendix F: byte order marks first,
// then the pattern of the first ASCII characters in UTF-16 and UTF-32,
// then the declaration; and the errors, which say where and in what.
func TestDecodeXMLWide(t *testing.T) {
	const text = "日照 𠮷野家 don’t" // a character beyond the BMP takes a surrogate pair in UTF-16
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string // the whole result; "" for rssDoc("UTF-8", text)
		wantErr     string // the whole message
	}{
		{name: "UTF-16LE declared, no BOM", body: encode(t, enc16LE, rssDoc("utf-16le", text))},
		{name: "UTF-16BE declared, no BOM", body: encode(t, enc16BE, rssDoc("utf-16be", text))},
		{name: "UTF-16 declared, little-endian bytes, no BOM", body: encode(t, enc16LE, rssDoc("UTF-16", text))},
		{name: "UTF-16 declared, big-endian bytes, no BOM", body: encode(t, enc16BE, rssDoc("UTF-16", text))},
		{name: "UTF-16LE, ASCII only, no BOM", body: encode(t, enc16LE, rssDoc("utf-16le", "plain")), want: rssDoc("UTF-8", "plain")},
		{name: "UTF-16LE, no declaration, no BOM", body: encode(t, enc16LE, strings.TrimPrefix(rssDoc("", text), `<?xml version="1.0"?>`+"\n")),
			want: strings.TrimPrefix(rssDoc("", text), `<?xml version="1.0"?>`+"\n")},
		{name: "UTF-16LE, white space before the declaration", body: encode(t, enc16LE, "\n "+rssDoc("utf-16", text))},
		{name: "UTF-16BE, white space before the declaration", body: encode(t, enc16BE, "\n "+rssDoc("utf-16", text))},
		{name: "UTF-16BE with BOM", body: withBOM(t, enc16BE, rssDoc("utf-16", text))},
		{name: "UTF-16BE, Content-Type says UTF-8", body: encode(t, enc16BE, rssDoc("utf-16", text)), contentType: "text/xml; charset=utf-8"},
		{name: "UTF-32LE with BOM", body: withBOM(t, enc32LE, rssDoc("UTF-32", text))},
		{name: "UTF-32BE with BOM", body: withBOM(t, enc32BE, rssDoc("UTF-32", text))},
		{name: "UTF-32LE, no BOM", body: encode(t, enc32LE, rssDoc("utf-32le", text))},
		{name: "UTF-32BE, no BOM", body: encode(t, enc32BE, rssDoc("utf-32be", text))},
		{name: "UTF-32 declared, but read as ASCII", body: []byte(rssDoc("UTF-32", text))},
		{name: "UTF-32 by Content-Type only", body: withBOM(t, enc32BE, rssDoc("", text))[4:], contentType: "application/rss+xml; charset=utf-32", want: rssDoc("", text)},

		{name: "UTF-16LE cut in a code unit", body: encode(t, enc16LE, rssDoc("utf-16le", text))[:101],
			wantErr: "document is not valid UTF-16LE: it ends in the middle of a 2-byte code unit at byte 100 (no byte order mark; the first bytes are ASCII in UTF-16LE)"},
		{name: "UTF-16BE unpaired surrogate", body: append(withBOM(t, enc16BE, "<rss>"), 0xD8, 0x00, 0x00, '<'),
			wantErr: "document is not valid UTF-16BE at byte 12 (byte order mark utf-16be)"},
		{name: "UTF-16LE lone low surrogate", body: append(encode(t, enc16LE, "<rss>"), 0x00, 0xDC),
			wantErr: "document is not valid UTF-16LE at byte 10 (no byte order mark; the first bytes are ASCII in UTF-16LE)"},
		{name: "UTF-32LE beyond U+10FFFF", body: append(withBOM(t, enc32LE, "<rss>"), 0x00, 0x00, 0x11, 0x00),
			wantErr: "document is not valid UTF-32LE at byte 24 (byte order mark utf-32le)"},
		{name: "UTF-32BE surrogate", body: append(encode(t, enc32BE, "<rss>"), 0x00, 0x00, 0xD8, 0x00),
			wantErr: "document is not valid UTF-32BE at byte 20 (no byte order mark; the first bytes are ASCII in UTF-32BE)"},
		{name: "UTF-32BE cut", body: withBOM(t, enc32BE, "<rss>")[:22],
			wantErr: "document is not valid UTF-32BE: it ends in the middle of a 4-byte code unit at byte 20 (byte order mark utf-32be)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeXML(tt.body, tt.contentType, "")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want == "" {
				want = rssDoc("UTF-8", text)
			}
			if string(got) != want {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

// FuzzDecodeXML: a document decodes to valid UTF-8 or fails with a
// reason; it never panics.
func FuzzDecodeXML(f *testing.F) {
	for _, enc := range []encoding.Encoding{enc16LE, enc16BE, enc32LE, enc32BE} {
		f.Add(encode(f, enc, rssDoc("utf-16", "日照 𠮷")), "")
		f.Add(withBOM(f, enc, rssDoc("", "x")), "text/xml; charset=utf-32")
	}
	f.Add([]byte(rssDoc("iso-8859-1", "don\x92t")), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, err := DecodeXML(body, contentType, "")
		if err == nil && !utf8.Valid(out) {
			t.Errorf("DecodeXML(%q) = %q, not UTF-8", body, out)
		}
	})
}
