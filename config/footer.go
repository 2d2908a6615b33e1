package config

import (
	"fmt"
	"regexp"
)

// CompileFooter compiles a posts source's footer pattern, anchored at
// the end of the body (white space after it allowed). Its only named
// group, if any, is "link".
func CompileFooter(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(`(?:` + pattern + `)\s*\z`)
	if err != nil {
		if _, e := regexp.Compile(pattern); e != nil {
			err = e // the message about the pattern as written
		}
		return nil, fmt.Errorf("invalid regular expression: %w", err)
	}
	if re.MatchString("") {
		return nil, fmt.Errorf("%q matches the empty string: a footer is some text", pattern)
	}
	for _, name := range re.SubexpNames() {
		if name != "" && name != "link" {
			return nil, fmt.Errorf("group %q: the only named group is link (the source link)", name)
		}
	}
	return re, nil
}
