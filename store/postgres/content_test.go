package postgres

import (
	"strings"
	"testing"
)

func TestContentEncoding(t *testing.T) {
	tests := []struct {
		name, content, stored string
	}{
		{"plain", "<p>text ½</p>", "<p>text ½</p>"},
		{"empty", "", ""},
		{"escape inside", "a\uFFFFb", "a\uFFFFb"},
		{"marker", "\x00deferred\x00d\x00/p", "\uFFFF\uFFFF0deferred\uFFFF0d\uFFFF0/p"},
		{"escape first", "\uFFFF0", "\uFFFF\uFFFF\uFFFF0"},
		{"NUL and escape", "\uFFFF\x00", "\uFFFF\uFFFF\uFFFF\uFFFF0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored := encodeContent(tt.content)
			if stored != tt.stored {
				t.Errorf("encodeContent(%q) = %q, want %q", tt.content, stored, tt.stored)
			}
			if got := decodeContent(stored); got != tt.content {
				t.Errorf("decodeContent(%q) = %q, want %q", stored, got, tt.content)
			}
		})
	}
}

func FuzzContentEncoding(f *testing.F) {
	for _, s := range []string{"", "<p>x</p>", "\x00deferred\x00d\x00/p", "\uFFFF0", "\uFFFF\uFFFF\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		stored := encodeContent(content)
		if strings.IndexByte(stored, 0) >= 0 {
			t.Fatalf("encodeContent(%q) = %q holds a NUL", content, stored)
		}
		if got := decodeContent(stored); got != content {
			t.Fatalf("decodeContent(encodeContent(%q)) = %q", content, got)
		}
	})
}
