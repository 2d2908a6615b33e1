package config

import (
	"fmt"
	"strings"

	"github.com/andybalholm/cascadia"
)

// CompileSelector compiles a CSS selector as goquery does (with
// cascadia), naming the selector in its error. The html source and the
// detail step compile theirs with it, so that a selector the
// configuration accepts is one they can use.
func CompileSelector(css string) (cascadia.Selector, error) {
	sel, err := cascadia.Compile(css)
	if err != nil {
		return nil, fmt.Errorf("invalid CSS selector %q: %w", css, err)
	}
	return sel, nil
}

// attrSuffixRE splits "a @href" and "@href" into a selector and an
// attribute name. CSS never ends a selector with "@name", so the suffix
// cannot be mistaken for part of one.
var attrSuffixRE = lazyRegexp(`^(.*?)\s*@([A-Za-z_:][-A-Za-z0-9_:.]*)$`)

// ParseFieldSelector reads a field selector of a listing: a CSS selector
// for the element whose text is taken ("span.date"), optionally followed
// by " @attr" to take an attribute instead ("a @href"), or "@attr" alone
// for the item's own attribute. sel is nil when the spec names no
// element; an empty spec gives nil and "".
func ParseFieldSelector(spec string) (sel cascadia.Selector, attr string, err error) {
	css := strings.TrimSpace(spec)
	if m := attrSuffixRE().FindStringSubmatch(css); m != nil {
		css, attr = m[1], strings.ToLower(m[2])
	}
	if css == "" {
		return nil, attr, nil
	}
	sel, err = CompileSelector(css)
	return sel, attr, err
}
