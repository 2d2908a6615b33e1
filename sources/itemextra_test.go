package sources

import (
	"encoding/base64"
	"testing"
)

// TestAtomTextBase64: which Atom constructs are base64 (RFC 4287
// §4.1.3.3, Atom 0.3 mode), and what each decodes to.
func TestAtomTextBase64(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, typ, mode, text string
		markup                bool
		base64                bool
		want                  string
	}{
		{name: "Atom text", typ: "text", text: "dGVzdA==", base64: false},
		{name: "Atom html", typ: "html", text: "dGVzdA==", base64: false},
		{name: "text/plain is text", typ: "text/plain", text: "dGVzdA==", base64: false},
		{name: "XML media type is inline XML", typ: "application/atom+xml", text: "dGVzdA==", base64: false},
		{name: "child elements are never base64", typ: "application/octet-stream", markup: true, base64: false},
		{name: "octet-stream is binary", typ: "application/octet-stream", text: b64("\x00\x01"), base64: true, want: ""},
		{name: "image is binary", typ: "image/png", text: b64("\x89PNG"), base64: true, want: ""},
		{name: "unknown application type", typ: "application/x-thing", text: b64("data"), base64: true, want: ""},
		{name: "0.3 base64, default text/plain, escaped", mode: "base64", text: b64("a < b"), base64: true, want: "a &lt; b"},
		{name: "0.3 base64 html kept as HTML", typ: "text/html", mode: "BASE64", text: b64("<p>x</p>"), base64: true, want: "<p>x</p>"},
		{name: "0.3 base64 with a charset", typ: "text/plain; charset=windows-1252", mode: "base64", text: b64("don\x92t"), base64: true, want: "don’t"},
		{name: "0.3 base64 not UTF-8 without a charset", typ: "text/plain", mode: "base64", text: b64("don\x92t"), base64: true, want: ""},
		{name: "0.3 base64 without padding, in lines", mode: "base64", text: "aGVs\n bG8", base64: true, want: "hello"},
		{name: "0.3 base64 that is not base64", mode: "base64", text: "not base64!", base64: true, want: ""},
		{name: "0.3 escaped", typ: "text/html", mode: "escaped", text: "dGVzdA==", base64: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &atomText{typ: tt.typ, mode: tt.mode, markup: tt.markup}
			a.text.WriteString(tt.text)
			if got := a.base64(); got != tt.base64 {
				t.Fatalf("base64() = %v, want %v", got, tt.base64)
			}
			if tt.base64 {
				if got := a.decoded(); got != tt.want {
					t.Errorf("decoded() = %q, want %q", got, tt.want)
				}
			}
		})
	}
}
