package config

import (
	"net/netip"
	"slices"
	"testing"
)

func TestParseAllowEntry(t *testing.T) {
	tests := []struct {
		entry, host, prefix string // prefix "" and host "": an error
	}{
		{"intranet.example", "intranet.example", ""},
		{"Intranet.Example.", "intranet.example", ""},
		{"*.corp.example", "*.corp.example", ""},
		{"localhost", "localhost", ""},
		{"xn--fiqs8s.example", "xn--fiqs8s.example", ""},
		{"10.0.0.0/8", "", "10.0.0.0/8"},
		{"10.1.2.3/8", "", "10.0.0.0/8"},
		{"10.1.2.3", "", "10.1.2.3/32"},
		{"fd00::/8", "", "fd00::/8"},
		{"::ffff:10.0.0.0/104", "", "10.0.0.0/8"},
		{"::ffff:10.1.2.3", "", "10.1.2.3/32"},
		{" 192.168.1.7 ", "", "192.168.1.7/32"},
		{"10.0.0.0/33", "", ""},
		{"10.0.0.300", "", ""},
		{"not a host!", "", ""},
		{"http://intranet.example/", "", ""},
		{"intranet.example:8080", "", ""},
		{"*", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			host, prefix, err := ParseAllowEntry(tt.entry)
			if tt.host == "" && tt.prefix == "" {
				if err == nil {
					t.Errorf("ParseAllowEntry(%q) = %q, %v, want an error", tt.entry, host, prefix)
				}
				return
			}
			want := netip.Prefix{}
			if tt.prefix != "" {
				want = netip.MustParsePrefix(tt.prefix)
			}
			if err != nil || host != tt.host || prefix != want {
				t.Errorf("ParseAllowEntry(%q) = %q, %v, %v, want %q, %v", tt.entry, host, prefix, err, tt.host, want)
			}
		})
	}
}

func TestAllowDefaults(t *testing.T) {
	cfg, err := Load("testdata/valid-allow.yml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id           string
		allowPrivate bool
		allow        []string
	}{
		{"inherits", false, []string{"intranet.example", "10.0.0.0/8"}},
		{"own", true, []string{"*.corp.example", "fd00::/8", "::ffff:192.168.0.0/112", "192.168.1.7"}},
		{"none", false, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			s, _ := cfg.Source(tt.id)
			if s.AllowPrivate == nil || *s.AllowPrivate != tt.allowPrivate || !slices.Equal(s.Allow, tt.allow) {
				t.Errorf("allow_private %v, allow %q; want %v, %q", s.AllowPrivate, s.Allow, tt.allowPrivate, tt.allow)
			}
		})
	}
	// A source's own setting wins over the default, both ways.
	cfg, err = Parse("x.yml", []byte("site: {base_url: https://x.org/}\ndefaults: {allow_private: true}\nsources:\n"+
		"  - {id: a, type: feed, url: https://x.org/a}\n  - {id: b, type: feed, url: https://x.org/b, allow_private: false}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := cfg.Sources[0].AllowPrivate, cfg.Sources[1].AllowPrivate; !*a || *b {
		t.Errorf("allow_private: a %v (want the default, true), b %v (want its own, false)", *a, *b)
	}
}
