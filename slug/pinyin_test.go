package slug

import (
	"testing"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// TestSyllable holds the table to go-pinyin, which it was made from: the
// same reading for every character go-pinyin knows and every Han
// character, and no record for any other.
func TestSyllable(t *testing.T) {
	args := pinyin.NewArgs()
	check := func(r rune) bool {
		want := ""
		if py := pinyin.SinglePinyin(r, args); len(py) > 0 {
			want = py[0]
		}
		if got := syllable(r); got != want {
			t.Fatalf("syllable(%U %c) = %q, go-pinyin %q", r, r, got, want)
		}
		return want != ""
	}
	read := 0
	for r := range pinyin.PinyinDict {
		if check(rune(r)) {
			read++
		}
	}
	if n := len(pinyinTable) / 4; n != read || read < 40000 {
		t.Fatalf("%d records, go-pinyin reads %d characters", n, read)
	}
	for _, rr := range unicode.Han.R16 {
		for r := rune(rr.Lo); r <= rune(rr.Hi); r += rune(rr.Stride) {
			check(r)
		}
	}
	for _, rr := range unicode.Han.R32 {
		for r := rune(rr.Lo); r <= rune(rr.Hi); r += rune(rr.Stride) {
			check(r)
		}
	}
	for _, r := range []rune{-1, 0, 'a', 0x3006, unicode.MaxRune, unicode.MaxRune + 1, 1 << 30} {
		if _, ok := pinyin.PinyinDict[int(r)]; !ok && syllable(r) != "" {
			t.Errorf("syllable(%U) = %q, go-pinyin has none", r, syllable(r))
		}
	}
}

func BenchmarkMake(b *testing.B) {
	for b.Loop() {
		Make("日照日报 News 2022 晚报快讯：东港区新增3处便民市场")
	}
}
