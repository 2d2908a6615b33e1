package sources

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// htmlPage is a small page with head (the charset declaration) and a title.
func htmlPage(head, title string) string {
	return "<!DOCTYPE html><html><head>" + head + "</head><body><h1>" + title + "</h1></body></html>"
}

func TestDecodeHTML(t *testing.T) {
	const (
		simplified  = "日照日报：东港区新闻"
		gbkOnly     = "朱镕基视察" // 镕 is in GBK but not in GB2312
		gb18030Only = "𠮷野家"   // beyond the BMP: GB18030 four-byte form
		traditional = "臺灣新聞：颱風警報"
	)
	gbk := simplifiedchinese.GBK
	tests := []struct {
		name        string
		body        []byte
		contentType string
		override    string
		want        string // a substring of the UTF-8 result
		wantErr     string
	}{
		{name: "meta charset gbk", body: encode(t, gbk, htmlPage(`<meta charset="gbk">`, simplified)), want: simplified},
		{name: "meta charset unquoted", body: encode(t, gbk, htmlPage(`<meta charset=GBK>`, simplified)), want: simplified},
		{name: "http-equiv gb2312 decodes as GBK", body: encode(t, gbk, htmlPage(
			`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, gbkOnly)), want: gbkOnly},
		{name: "meta gb18030", body: encode(t, simplifiedchinese.GB18030, htmlPage(`<meta charset="gb18030">`, gb18030Only)), want: gb18030Only},
		{name: "http-equiv big5", body: encode(t, traditionalchinese.Big5, htmlPage(
			`<meta http-equiv="content-type" content="text/html;charset=big5">`, traditional)), want: traditional},
		{name: "Content-Type header", body: encode(t, gbk, htmlPage("", simplified)),
			contentType: "text/html; charset=GBK", want: simplified},
		{name: "Content-Type beats meta", body: encode(t, gbk, htmlPage(`<meta charset="utf-8">`, simplified)),
			contentType: "text/html; charset=gbk", want: simplified},
		{name: "unknown Content-Type charset falls back to meta", body: encode(t, gbk, htmlPage(`<meta charset="gbk">`, simplified)),
			contentType: "text/html; charset=no-such-thing", want: simplified},
		{name: "override beats everything", body: encode(t, gbk, htmlPage(`<meta charset="big5">`, simplified)),
			contentType: "text/html; charset=utf-8", override: "gbk", want: simplified},
		{name: "byte order mark beats meta", body: append([]byte{0xEF, 0xBB, 0xBF}, htmlPage(`<meta charset="gbk">`, simplified)...),
			want: simplified},
		{name: "UTF-16 with BOM", body: encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), htmlPage("", simplified)),
			want: simplified},
		{name: "meta claiming UTF-16 is UTF-8", body: []byte(htmlPage(`<meta charset="utf-16">`, simplified)), want: simplified},
		{name: "nothing declared, UTF-8", body: []byte(htmlPage("", simplified)), want: simplified},
		{name: "declared windows-1252", body: encode(t, charmap.Windows1252, htmlPage(`<meta charset="windows-1252">`, "Café")), want: "Café"},
		{name: "declared latin1 is windows-1252", body: encode(t, charmap.Windows1252, htmlPage(`<meta charset="iso-8859-1">`, "Olé")), want: "Olé"},
		{name: "meta after non-ASCII text", body: encode(t, gbk, "<!-- "+simplified+" -->"+htmlPage(`<meta charset="gbk">`, simplified)), want: simplified},
		{name: "nothing declared, not UTF-8", body: encode(t, gbk, htmlPage("", simplified)),
			wantErr: "document is not valid UTF-8 at byte 44 (no charset declared); set the source's charset"},
		{name: "meta beyond 1024 bytes is not read", body: encode(t, gbk, htmlPage(strings.Repeat(" ", 1100)+`<meta charset="gbk">`, simplified)),
			wantErr: "not valid UTF-8"},
		{name: "unknown override", body: []byte("<p>x</p>"), override: "klingon", wantErr: `unknown charset "klingon"`},
		{name: "replacement charset refused", body: []byte(htmlPage(`<meta charset="iso-2022-kr">`, "x")), wantErr: "charset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := DecodeHTML(tt.body, tt.contentType, tt.override)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("decoded page %q does not contain %q", out, tt.want)
			}
		})
	}
}

func TestMetaCharset(t *testing.T) {
	tests := []struct{ name, head, want string }{
		{"none", "", ""},
		{"utf-8", `<meta charset="utf-8">`, ""},
		{"gbk", `<meta charset="gbk">`, "gbk"},
		{"gb2312 is gbk", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, "gbk"},
		{"big5", `<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=Big5">`, "big5"},
		{"windows-1252", `<meta charset="windows-1252">`, "windows-1252"},
		{"http-equiv without charset", `<meta http-equiv="refresh" content="30">`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := metaCharset([]byte(htmlPage(tt.head, "\xff\xfe"))); got != tt.want {
				t.Errorf("metaCharset = %q, want %q", got, tt.want)
			}
		})
	}
}
