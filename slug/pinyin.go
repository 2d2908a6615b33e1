package slug

import _ "embed" // the pinyin table

// go-pinyin keeps its dictionary as a map literal of 41,923 entries that
// its package's init builds: 1.8 MB and a few milliseconds of every
// start-up, most of `feedsmith version`, and its lookup splits strings
// and runs regular expressions per character. The table below is what
// that lookup returns, made once by internal/pinyingen and read in
// place: nothing is built, at start-up or at first use.

//go:generate go run ./internal/pinyingen

const (
	// idBits is the low bits of a record that hold a syllable's index.
	idBits = 9
	// syllableWidth is the width a syllable is padded to with spaces.
	syllableWidth = 6
)

// pinyinTable is big-endian uint32 records, each a character's code
// point shifted left by idBits and its syllable's index, sorted.
//
//go:embed pinyin.tab
var pinyinTable string

// pinyinSyllables holds the syllables by index, each padded with spaces
// to syllableWidth.
//
//go:embed pinyin.syl
var pinyinSyllables string

// syllable returns the pinyin of a character without tones, its first
// reading, or "" when it has none: what pinyin.SinglePinyin(r,
// pinyin.NewArgs())[0] gives.
func syllable(r rune) string {
	if r < 0 || r >= 1<<(32-idBits) {
		return ""
	}
	key := uint32(r) << idBits
	lo, hi := 0, len(pinyinTable)/4
	for lo < hi { // the first record at or after key
		mid := int(uint(lo+hi) >> 1)
		if record(mid) < key {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == len(pinyinTable)/4 || record(lo)>>idBits != uint32(r) {
		return ""
	}
	at := int(record(lo)&(1<<idBits-1)) * syllableWidth
	s := pinyinSyllables[at : at+syllableWidth]
	for s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

func record(i int) uint32 {
	t := pinyinTable[4*i : 4*i+4]
	return uint32(t[0])<<24 | uint32(t[1])<<16 | uint32(t[2])<<8 | uint32(t[3])
}
