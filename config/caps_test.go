package config

import (
	"os"
	"testing"
)

// TestCaps checks that caps take their defaults, that defaults can set
// them for every source, and that a source's own cap wins.
func TestCaps(t *testing.T) {
	cfg, err := Parse("caps.yml", []byte(`site: {base_url: "https://feeds.example.org/"}
defaults:
  max_items: 200
  max_content: 64KiB
sources:
  - {id: a, type: feed, url: "https://example.org/a.xml"}
  - {id: b, type: feed, url: "https://example.org/b.xml", max_items: 20000, max_title: 4KiB, max_author: 100}
`), os.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultCaps()
	want.MaxItems, want.MaxContent = 200, 64<<10
	if got := cfg.Sources[0].Caps; got != want {
		t.Errorf("source a: caps %+v, want %+v", got, want)
	}
	want.MaxItems, want.MaxTitle, want.MaxAuthor = 20000, 4<<10, 100
	if got := cfg.Sources[1].Caps; got != want {
		t.Errorf("source b: caps %+v, want %+v", got, want)
	}
	shipped, err := Load("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range shipped.Sources {
		if s.Caps != DefaultCaps() {
			t.Errorf("shipped source %s: caps %+v, want the defaults %+v", s.ID, s.Caps, DefaultCaps())
		}
	}
}
