package main

import (
	"os"
	"strings"
	"testing"
)

func TestCut(t *testing.T) {
	tests := []struct {
		name, in string
		width    int
		want     string
	}{
		{"fits", "abc", 3, "abc"},
		{"latin cut", "abcdef", 4, "abc…"},
		{"wide characters count two", "港口一季度", 6, "港口…"},
		{"no half of a wide character", "港口一季度", 5, "港口…"},
		{"a mark stays with its letter", "cafe\u0301sx", 5, "cafe\u0301…"},
		{"nothing fits", "港口", 0, ""},
		{"only the ellipsis", "港口", 1, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cut(tt.in, tt.width)
			if got != tt.want || displayWidth(got) > tt.width {
				t.Errorf("cut(%q, %d) = %q (width %d), want %q", tt.in, tt.width, got, displayWidth(got), tt.want)
			}
		})
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "港口": 4, "ＡＢ": 4, "e\u0301": 1, "“书香”": 6, "a\u200bb": 2, "한국": 4} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestCellText: upstream text cannot move the cursor, colour the
// terminal, reorder the line or break it.
func TestCellText(t *testing.T) {
	in := "a\x1b[2J\x1b]0;owned\x07b\u202Ecba\nnext\tline\xff"
	got := cellText(in)
	if strings.ContainsAny(got, "\x1b\x07\n\t\u202E") || got != "a [2J ]0;owned bcba next line\uFFFD" {
		t.Errorf("cellText(%q) = %q", in, got)
	}
}

// TestTableFits: columns shrink, widest first, to the width; a fixed one
// never; rows align by display width.
func TestTableFits(t *testing.T) {
	tb := &table{header: []string{"ID", "DATE", "TITLE"}, fixed: map[int]bool{1: true}}
	tb.add("x1", "2022-03-01", strings.Repeat("港口", 30))
	tb.add("x2", "2022-03-02", "short")
	var b strings.Builder
	if err := tb.write(&b, 40); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for _, l := range lines {
		if w := displayWidth(l); w > 40 {
			t.Errorf("line %q is %d wide, want at most 40", l, w)
		}
		if !strings.HasPrefix(l, "ID  ") && !strings.Contains(l, "  2022-03-0") {
			t.Errorf("line %q: date column moved", l)
		}
	}
	if !strings.HasSuffix(lines[1], "…") || strings.HasSuffix(lines[2], " ") {
		t.Errorf("long title not cut, or trailing spaces:\n%s", b.String())
	}
}

func TestTableWidth(t *testing.T) {
	t.Setenv("COLUMNS", "")
	if got := tableWidth(&strings.Builder{}); got != defaultTableWidth {
		t.Errorf("piped: %d, want %d", got, defaultTableWidth)
	}
	t.Setenv("COLUMNS", "73")
	if got := tableWidth(os.Stdout); got != 73 {
		t.Errorf("COLUMNS=73: %d", got)
	}
}
