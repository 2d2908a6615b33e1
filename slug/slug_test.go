package slug

import (
	"regexp"
	"testing"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,79}$`)

func TestMake(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"chinese publication", "日照日报", "rizhaoribao"},
		{"chinese evening paper", "日照晚报", "rizhaowanbao"},
		{"english words", "Machine Learning", "machine-learning"},
		{"accents", "Café Société", "cafe-societe"},
		{"mixed", "日照 News 2022", "rizhao-news-2022"},
		{"punctuation only", "!!!", ""},
		{"path traversal", "../../etc/passwd", "etc-passwd"},
		{"windows reserved", "CON", "con-"},
		{"nul byte", "a\x00b", "a-b"},
		{"already a slug", "rizhaoribao", "rizhaoribao"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Make(tt.in); got != tt.want {
				t.Errorf("Make(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("long names are cut", func(t *testing.T) {
		long := Make("日照日报日照日报日照日报日照日报日照日报日照日报日照日报日照日报")
		if len(long) > MaxLen || !slugPattern.MatchString(long) {
			t.Errorf("Slug of a long name = %q (%d bytes)", long, len(long))
		}
	})
}

func TestPinyin(t *testing.T) {
	for in, want := range map[string]string{"日照日报": "rizhaoribao", "日照晚报": "rizhaowanbao", "ABC日报2": "abcribao2", "": ""} {
		if got := Pinyin(in); got != want {
			t.Errorf("Pinyin(%q) = %q, want %q", in, got, want)
		}
	}
}
