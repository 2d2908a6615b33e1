// Command pinyingen writes slug's pinyin table from go-pinyin's
// dictionary: for every character go-pinyin knows, its first reading
// without tones, as pinyin.SinglePinyin gives it with pinyin.NewArgs.
// Run it from the slug folder (go generate does).
package main

import (
	"encoding/binary"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// These must agree with slug/pinyin.go.
const (
	idBits        = 9
	syllableWidth = 6
)

func main() {
	tab, syl, err := build()
	if err != nil {
		log.Fatalf("pinyingen: %v", err)
	}
	if err := os.WriteFile("pinyin.tab", tab, 0o644); err != nil {
		log.Fatalf("pinyingen: %v", err)
	}
	if err := os.WriteFile("pinyin.syl", syl, 0o644); err != nil {
		log.Fatalf("pinyingen: %v", err)
	}
}

func build() (tab, syl []byte, err error) {
	args := pinyin.NewArgs()
	runes := make([]rune, 0, len(pinyin.PinyinDict))
	for r := range pinyin.PinyinDict {
		runes = append(runes, rune(r))
	}
	slices.Sort(runes)
	ids := map[string]uint32{}
	var names []string
	for _, r := range runes {
		py := pinyin.SinglePinyin(r, args)
		if len(py) == 0 || py[0] == "" {
			continue // Make and Pinyin find no reading either way
		}
		s := py[0]
		if len(s) > syllableWidth || strings.Contains(s, " ") {
			return nil, nil, fmt.Errorf("syllable %q of %U does not fit", s, r)
		}
		id, ok := ids[s]
		if !ok {
			id = uint32(len(names))
			ids[s] = id
			names = append(names, s)
		}
		if id >= 1<<idBits || r >= 1<<(32-idBits) {
			return nil, nil, fmt.Errorf("%U or its syllable %q does not fit a record", r, s)
		}
		tab = binary.BigEndian.AppendUint32(tab, uint32(r)<<idBits|id)
	}
	for _, s := range names {
		syl = append(syl, fmt.Sprintf("%-*s", syllableWidth, s)...)
	}
	return tab, syl, nil
}
