package main

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// A table is text in columns for a terminal, padded by display width:
// a Chinese character takes two columns, a combining accent none.
type table struct {
	header []string
	rows   [][]string
	// fixed marks the columns never cut (a date reads whole or not at all).
	fixed map[int]bool
}

// tableGap is the space between two columns.
const tableGap = 2

// minColumn is the narrowest a column is cut to, header aside.
const minColumn = 6

func (t *table) add(cells ...string) {
	for i, c := range cells {
		cells[i] = cellText(c)
	}
	t.rows = append(t.rows, cells)
}

// write prints the table in at most maxWidth columns where it can: the
// widest column that can give is cut first, a column at a time, down to
// minColumn (or its header); cut cells end in "…".
func (t *table) write(w io.Writer, maxWidth int) error {
	widths := t.fit(maxWidth)
	var b strings.Builder
	line := func(cells []string) {
		b.Reset()
		for i, c := range cells {
			c = cut(c, widths[i])
			b.WriteString(c)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+tableGap))
			}
		}
		b.WriteByte('\n')
	}
	line(t.header)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	for _, r := range t.rows {
		line(r)
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// fit returns each column's width for a table of at most maxWidth.
func (t *table) fit(maxWidth int) []int {
	widths := make([]int, len(t.header))
	floor := make([]int, len(t.header))
	for i, h := range t.header {
		widths[i] = displayWidth(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	total := tableGap * (len(widths) - 1)
	for i, wd := range widths {
		total += wd
		floor[i] = wd
		if !t.fixed[i] {
			floor[i] = min(wd, max(displayWidth(t.header[i]), minColumn))
		}
	}
	for total > maxWidth {
		widest := -1
		for i, wd := range widths {
			if wd > floor[i] && (widest < 0 || wd > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break // as narrow as it gets: wider than the terminal
		}
		widths[widest]--
		total--
	}
	return widths
}

// cellText makes upstream text safe and one line for a cell: control
// characters (a terminal's escape sequences among them) become spaces,
// bidirectional overrides, which would reorder the rest of the line, are
// dropped, and runs of white space become one space.
func cellText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return ' '
		case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// cut returns s in at most w columns, cut at a character boundary and
// ended with "…" when it does not fit whole.
func cut(s string, w int) string {
	if displayWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	used := 0
	for i, r := range s {
		rw := runeWidth(r)
		if used+rw > w-1 { // room for the ellipsis; a mark (width 0) stays with its letter
			return s[:i] + "…"
		}
		used += rw
	}
	return s // never: s is wider than w
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// runeWidth is how many columns a terminal gives r: two for East Asian
// wide and fullwidth characters, none for combining marks and format
// characters, else one (ambiguous ones too, as outside East Asian locales).
func runeWidth(r rune) int {
	switch {
	case r == utf8.RuneError:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
