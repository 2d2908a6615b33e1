package config

import "cmp"

// Caps bound what one upstream document may bring in, whatever it says:
// how many of its items are taken and how large each article's fields
// may be. They are set in defaults and per source (a source's zero cap
// takes the default). Sizes are in bytes of UTF-8.
type Caps struct {
	// MaxItems is how many items are taken from one document: the first
	// ones, in document order; the rest are skipped with a count. Not
	// applied to posts sources, whose folders the operator owns.
	MaxItems int `yaml:"max_items"`
	// MaxTitle, MaxAuthor and MaxSummary bound those plain-text fields
	// (also each tag and category name, under MaxTitle): a longer value
	// is cut on a character boundary and ends in "…".
	MaxTitle   ByteSize `yaml:"max_title"`
	MaxAuthor  ByteSize `yaml:"max_author"`
	MaxSummary ByteSize `yaml:"max_summary"`
	// MaxContent bounds an article's content HTML, as fetched and as
	// stored: a longer one is cut, never inside a tag or an entity, and
	// what is kept stays well-formed.
	MaxContent ByteSize `yaml:"max_content"`
}

// The default caps: far above what a real news site sends, low enough
// that one hostile document costs tens of MB at most (see README,
// "Caps").
const (
	DefaultMaxItems   = 500
	DefaultMaxTitle   = ByteSize(2 << 10)
	DefaultMaxAuthor  = ByteSize(512)
	DefaultMaxSummary = ByteSize(16 << 10)
	DefaultMaxContent = ByteSize(256 << 10)
)

// DefaultCaps returns the default caps.
func DefaultCaps() Caps {
	return Caps{
		MaxItems: DefaultMaxItems, MaxTitle: DefaultMaxTitle, MaxAuthor: DefaultMaxAuthor,
		MaxSummary: DefaultMaxSummary, MaxContent: DefaultMaxContent,
	}
}

// Or returns c with each of its zero caps taken from d.
func (c Caps) Or(d Caps) Caps {
	return Caps{
		MaxItems:   cmp.Or(c.MaxItems, d.MaxItems),
		MaxTitle:   cmp.Or(c.MaxTitle, d.MaxTitle),
		MaxAuthor:  cmp.Or(c.MaxAuthor, d.MaxAuthor),
		MaxSummary: cmp.Or(c.MaxSummary, d.MaxSummary),
		MaxContent: cmp.Or(c.MaxContent, d.MaxContent),
	}
}

// problems checks the caps, naming each key with prefix ("defaults.",
// or "" for a source's, which its caller qualifies). In
// defaults every cap must be at least 1 (a cap cannot be switched off,
// only raised); a source's may also be 0, which takes the default.
func (c Caps) problems(prefix string, zeroOK bool) []pending {
	var ps []pending
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"max_items", int64(c.MaxItems)}, {"max_title", int64(c.MaxTitle)}, {"max_author", int64(c.MaxAuthor)},
		{"max_summary", int64(c.MaxSummary)}, {"max_content", int64(c.MaxContent)},
	} {
		switch {
		case zeroOK && f.v < 0:
			ps = append(ps, pending{prefix + f.name, "must not be negative (0 takes defaults." + f.name + ")"})
		case !zeroOK && f.v < 1:
			ps = append(ps, pending{prefix + f.name, "must be at least 1 (a cap cannot be switched off; raise it instead)"})
		}
	}
	return ps
}
