package main

import (
	"bytes"
	"os"
	"testing"
)

// TestTableUpToDate fails when the committed table is not what the
// go-pinyin in go.mod gives: run go generate ./slug.
func TestTableUpToDate(t *testing.T) {
	tab, syl, err := build()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{"../../pinyin.tab": tab, "../../pinyin.syl": syl} {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date: run go generate ./slug", name)
		}
	}
}
