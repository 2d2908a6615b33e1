package sources

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/feedsmith/feedsmith/config"
)

// encode returns s in enc, failing the test if it cannot be encoded.
func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

func rssDoc(encodingDecl, title string) string {
	prolog := `<?xml version="1.0"?>`
	if encodingDecl != "" {
		prolog = `<?xml version="1.0" encoding="` + encodingDecl + `"?>`
	}
	return prolog + "\n<rss version=\"2.0\"><channel><title>" + title + "</title></channel></rss>\n"
}

func TestDecodeXML(t *testing.T) {
	const (
		simplified  = "日照日报：东港区新闻"
		gbkOnly     = "朱镕基视察" // 镕 is in GBK but not in GB2312
		gb18030Only = "𠮷野家"   // beyond the BMP: GB18030 four-byte form
		traditional = "臺灣新聞：颱風警報"
	)
	gbk := simplifiedchinese.GBK
	bom := []byte{0xEF, 0xBB, 0xBF}
	tests := []struct {
		name        string
		body        []byte
		contentType string
		override    string
		want        string // a substring of the UTF-8 result
		wantErr     string
	}{
		{name: "GBK declared", body: encode(t, gbk, rssDoc("GBK", simplified)), want: simplified},
		{name: "gb2312 label decodes as GBK", body: encode(t, gbk, rssDoc("gb2312", gbkOnly)), want: gbkOnly},
		{name: "GB18030 declared", body: encode(t, simplifiedchinese.GB18030, rssDoc("GB18030", gb18030Only)), want: gb18030Only},
		{name: "Big5 declared", body: encode(t, traditionalchinese.Big5, rssDoc("big5", traditional)), want: traditional},
		{name: "charset from Content-Type", body: encode(t, gbk, rssDoc("", simplified)),
			contentType: "application/rss+xml; charset=gbk", want: simplified},
		{name: "no prolog, charset from Content-Type", body: encode(t, gbk, "<rss><channel><title>"+simplified+"</title></channel></rss>"),
			contentType: `text/xml; charset="GB2312"`, want: simplified},
		{name: "prolog wins over Content-Type", body: encode(t, gbk, rssDoc("GBK", simplified)),
			contentType: "text/xml; charset=utf-8", want: simplified},
		{name: "override wins over prolog", body: encode(t, gbk, rssDoc("UTF-8", simplified)),
			override: "gbk", want: simplified},
		{name: "UTF-8 BOM", body: append(bom, rssDoc("utf-8", simplified)...), want: `<?xml version="1.0" encoding="UTF-8"?>`},
		{name: "leading whitespace", body: encode(t, gbk, "\n  "+rssDoc("GBK", simplified)), want: simplified},
		{name: "UTF-16 with BOM", body: encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), rssDoc("UTF-16", simplified)),
			want: simplified},
		{name: "UTF-16 declared, but read as ASCII", body: []byte(rssDoc("UTF-16", simplified)), want: simplified},
		{name: "ISO-8859-1", body: encode(t, charmap.ISO8859_1, rssDoc("ISO-8859-1", "Café")), want: "Café"},
		{name: "plain UTF-8", body: []byte(rssDoc("", simplified)), want: simplified},
		{name: "GBK declared UTF-8", body: encode(t, gbk, rssDoc("UTF-8", simplified)),
			wantErr: "document is not valid UTF-8 at byte 74 (declared UTF-8); set the source's charset"},
		{name: "GBK with no declaration", body: encode(t, gbk, rssDoc("", simplified)),
			wantErr: "document is not valid UTF-8 at byte 57 (no charset declared); set the source's charset"},
		{name: "GBK labelled utf-8 by Content-Type", body: encode(t, gbk, rssDoc("", simplified)), contentType: "text/xml; charset=utf-8",
			wantErr: "(Content-Type charset utf-8); set the source's charset"},
		{name: "offset counts the BOM", body: append(bom, "<rss>\xff</rss>"...),
			wantErr: "at byte 8 (byte order mark utf-8)"},
		{name: "unknown label", body: []byte(rssDoc("x-klingon", "x")), wantErr: `unknown charset "x-klingon" (declared x-klingon)`},
		{name: "unknown override", body: []byte(rssDoc("", "x")), override: "nope", wantErr: `unknown charset "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeXML(tt.body, tt.contentType, tt.override)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(got, []byte(tt.want)) {
				t.Errorf("result %q does not contain %q", got, tt.want)
			}
			if !bytes.HasPrefix(got, []byte("<")) {
				t.Errorf("result %q should start with the document, not a BOM or space", got)
			}
			if decl := prologRE.Find(got); decl != nil && encodingRE.Match(decl) && !bytes.Contains(decl, []byte(`encoding="UTF-8"`)) {
				t.Errorf("declaration not rewritten: %s", decl)
			}
		})
	}
}

func TestDecodeText(t *testing.T) {
	doc := `{"version":"https://jsonfeed.org/version/1.1","title":"日照新闻"}`
	tests := []struct {
		name        string
		body        []byte
		contentType string
		override    string
		wantErr     string
	}{
		{name: "UTF-8", body: []byte(doc)},
		{name: "BOM removed", body: append([]byte{0xEF, 0xBB, 0xBF}, doc...)},
		{name: "GBK by Content-Type", body: encode(t, simplifiedchinese.GBK, doc), contentType: "application/feed+json; charset=GBK"},
		{name: "GBK by override", body: encode(t, simplifiedchinese.GBK, doc), override: "gb18030"},
		{name: "GBK undeclared", body: encode(t, simplifiedchinese.GBK, doc),
			wantErr: "document is not valid UTF-8 at byte 55 (no charset declared)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeText(tt.body, tt.contentType, tt.override)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != doc {
				t.Errorf("DecodeText = %q, want %q", got, doc)
			}
		})
	}
}

func TestFeedCharsets(t *testing.T) {
	gbk, big5 := simplifiedchinese.GBK, traditionalchinese.Big5
	docs := map[string]struct {
		body        []byte
		contentType string
	}{
		"/gbk":         {encode(t, gbk, rssItem("GBK", "日照日报：东港区新闻")), "text/xml"},
		"/gbk-header":  {encode(t, gbk, rssItem("", "日照日报：东港区新闻")), "application/rss+xml; charset=gbk"},
		"/gb2312":      {encode(t, gbk, rssItem("gb2312", "朱镕基视察日照")), "text/xml"},
		"/big5":        {encode(t, big5, rssItem("Big5", "臺灣新聞：颱風警報")), "text/xml"},
		"/gbk-as-utf8": {encode(t, gbk, rssItem("UTF-8", "日照日报")), "text/xml"},
		"/utf16-ascii": {encode(t, enc16LE, rssItem("utf-16le", "ASCII only")), "text/xml"},
		"/utf16-cut":   {encode(t, enc16LE, rssItem("utf-16le", "ASCII only"))[:99], "text/xml"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := docs[r.URL.Path]
		w.Header().Set("Content-Type", d.contentType)
		w.Write(d.body)
	}))
	defer srv.Close()
	tests := []struct{ path, charset, want, wantErr string }{
		{"/gbk", "", "日照日报：东港区新闻", ""},
		{"/gbk-header", "", "日照日报：东港区新闻", ""},
		{"/gb2312", "", "朱镕基视察日照", ""},
		{"/big5", "", "臺灣新聞：颱風警報", ""},
		{"/gbk-as-utf8", "gbk", "日照日报", ""},
		{"/gbk-as-utf8", "", "", "decode " + srv.URL + "/gbk-as-utf8: document is not valid UTF-8 at byte 102 (declared UTF-8); set the source's charset"},
		{"/utf16-ascii", "", "ASCII only", ""},
		{"/utf16-cut", "", "", "decode " + srv.URL + "/utf16-cut: document is not valid UTF-16LE: it ends in the middle of a 2-byte code unit at byte 98 (no byte order mark; the first bytes are ASCII in UTF-16LE)"},
	}
	for _, tt := range tests {
		t.Run(tt.path+tt.charset, func(t *testing.T) {
			b, err := collect(t, config.Source{URL: srv.URL + tt.path, Charset: tt.charset}, nil)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Articles) != 1 || b.Articles[0].Title != tt.want {
				t.Fatalf("articles = %+v, want one titled %q", b.Articles, tt.want)
			}
		})
	}
}

func rssItem(encodingDecl, title string) string {
	return strings.Replace(rssDoc(encodingDecl, "channel"), "</channel>",
		"<item><title>"+title+"</title><link>https://example.com/1</link></item></channel>", 1)
}

func TestInvalidUTF8(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"", -1}, {"ascii only", -1}, {"中文 and 😀", -1}, {"\xff", 0}, {"ab\xc4\xe3", 2},
		{"中\xe4\xb8", 3}, {"ok\xed\xa0\x80", 2}, {"\xf4\x90\x80\x80", 0}, {strings.Repeat("a", 100) + "\x80", 100},
	} {
		if got := invalidUTF8([]byte(c.in)); got != c.want {
			t.Errorf("invalidUTF8(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}
