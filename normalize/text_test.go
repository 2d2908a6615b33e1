package normalize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestXMLSafe(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"clean", "a\tb\nc\r中文", "a\tb\nc\r中文"},
		{"vertical tab", "a\vb", "ab"},
		{"form feed", "a\fb", "ab"},
		{"nul and escape", "\x00a\x1bb\x08", "ab"},
		{"noncharacters", "a\uFFFEb\uFFFFc", "abc"},
		{"invalid utf-8", "a\xffb\xc3", "ab"},
		{"lone surrogate", "a\xed\xa0\x80b", "ab"},
		{"gbk bytes", "gbk:\xc4\xe3\xba\xc3", "gbk:"}, // "你好" in GBK is not UTF-8 at all
		{"replacement char kept", "a\uFFFDb", "a\uFFFDb"},
		{"astral kept", "😀", "😀"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := XMLSafe(tt.in); got != tt.want {
				t.Errorf("XMLSafe(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "  hello \n world ", "hello world"},
		{"tags", "<p>Hello <b>bold</b> world</p>", "Hello bold world"},
		{"blocks separate words", "<p>one</p><p>two</p><li>three</li>", "one two three"},
		{"br", "a<br>b", "a b"},
		{"inline keeps words", "he<b>ll</b>o", "hello"},
		{"entities", "Tom &amp; Jerry &lt;3 &quot;x&quot; &#20013;&#x6587; &nbsp;!", `Tom & Jerry <3 "x" 中文 !`},
		{"script dropped", "a<script>var x = '<p>';</script>b", "a b"},
		{"style dropped", "<style>p{}</style>text", "text"},
		{"chinese and colons", "习近平：“坚持” 《人民日报》", "习近平：“坚持” 《人民日报》"},
		{"ideographic space", "中文\u3000标题", "中文 标题"},
		{"control chars", "a\vb\x00c", "abc"},
		{"less-than in text", "1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	sentence := "中华人民共和国国务院新闻办公室今天举行发布会介绍情况。" // 27 runes
	chinese := strings.Repeat(sentence, 12)   // 324 runes
	word := strings.Repeat("lorem ipsum dolor sit amet ", 20)

	t.Run("chinese ends on full stop", func(t *testing.T) {
		got := Summary(chinese, 200)
		n := utf8.RuneCountInString(got)
		if !utf8.ValidString(got) || n > 201 || n < 150 {
			t.Fatalf("got %d runes, valid=%v: %q", n, utf8.ValidString(got), got)
		}
		if !strings.HasSuffix(got, "。") {
			t.Errorf("does not end on 。: %q", got)
		}
		if want := strings.Repeat(sentence, 7); got != want {
			t.Errorf("got %q, want the first seven sentences", got)
		}
	})
	t.Run("chinese without stops is cut on a rune", func(t *testing.T) {
		got := Summary(strings.Repeat("汉", 300), 200)
		if want := strings.Repeat("汉", 200) + "…"; got != want {
			t.Errorf("got %d runes %q", utf8.RuneCountInString(got), got)
		}
	})
	t.Run("english on a space", func(t *testing.T) {
		got := Summary(word, 100)
		if !strings.HasSuffix(got, "…") || utf8.RuneCountInString(got) > 101 {
			t.Fatalf("got %q", got)
		}
		body := strings.TrimSuffix(got, "…")
		if !strings.HasPrefix(word, body+" ") {
			t.Errorf("not cut at a word boundary: %q", got)
		}
	})
	t.Run("english sentence", func(t *testing.T) {
		in := strings.Repeat("x", 85) + ". And then more words follow here."
		if got, want := Summary(in, 100), strings.Repeat("x", 85)+"."; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("decimal point is not a sentence end", func(t *testing.T) {
		in := strings.Repeat("x", 85) + " pi is 3.14159 and so on and so forth"
		if got := Summary(in, 100); strings.HasSuffix(got, ".") {
			t.Errorf("cut at a decimal point: %q", got)
		}
	})
	t.Run("closing quote kept with stop", func(t *testing.T) {
		in := strings.Repeat("文", 90) + "。”" + strings.Repeat("字", 50)
		if got, want := Summary(in, 100), strings.Repeat("文", 90)+"。”"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("short text unchanged", func(t *testing.T) {
		if got := Summary("短文本。 Short.", 200); got != "短文本。 Short." {
			t.Errorf("got %q", got)
		}
	})
	t.Run("exactly max", func(t *testing.T) {
		in := strings.Repeat("字", 200)
		if got := Summary(in, 200); got != in {
			t.Errorf("text of exactly max runes was cut")
		}
	})
	t.Run("no boundary near the end", func(t *testing.T) {
		in := "a " + strings.Repeat("b", 300)
		got := Summary(in, 100)
		if want := "a " + strings.Repeat("b", 98) + "…"; got != want {
			t.Errorf("got %q", got)
		}
	})
	t.Run("zero max", func(t *testing.T) {
		if got := Summary("text", 0); got != "" {
			t.Errorf("got %q", got)
		}
	})
}

// TestWide checks wide against decoding, unicode.IsSpace and xmlChar
// for every string of up to three bytes that starts with a byte that is
// not ASCII, valid UTF-8 or not, and for every rune of four bytes.
func TestWide(t *testing.T) {
	check := func(s string) {
		r, size := utf8.DecodeRuneInString(s)
		gotSize, space, xml := wide(s)
		if gotSize != size || space != unicode.IsSpace(r) || xml != xmlChar(r, size) {
			t.Fatalf("wide(%q) = %d, %v, %v; want %d, %v, %v", s, gotSize, space, xml, size, unicode.IsSpace(r), xmlChar(r, size))
		}
	}
	b := make([]byte, 3)
	for c0 := 0x80; c0 <= 0xFF; c0++ {
		check(string([]byte{byte(c0)}))
		for c1 := range 0x100 {
			check(string([]byte{byte(c0), byte(c1)}))
			for c2 := range 0x100 {
				b[0], b[1], b[2] = byte(c0), byte(c1), byte(c2)
				check(string(b))
			}
		}
	}
	for r := rune(0x10000); r <= utf8.MaxRune; r++ {
		check(string(r))
	}
}
