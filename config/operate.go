package config

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// DefaultJitter is defaults.jitter when the file sets none: the most a
// source's runs are shifted from the times its schedule names.
const DefaultJitter = 5 * time.Minute

// AccessLogStderr is the server.access_log value that logs requests
// through the daemon's logger rather than to a file.
const AccessLogStderr = "stderr"

// Jitter returns the most source s's runs are shifted by: its own
// jitter, else defaults.jitter.
func (c *Config) Jitter(s Source) time.Duration {
	if s.Jitter != nil {
		return time.Duration(*s.Jitter)
	}
	return time.Duration(c.Defaults.Jitter)
}

// operationProblems checks the keys of running and publishing that the
// rest of validation does not: the language tags.
func (c *Config) operationProblems() []pending {
	var ps []pending
	check := func(key, tag string) {
		if msg := languageProblem(tag); msg != "" {
			ps = append(ps, pending{key, msg})
		}
	}
	check("site.language", c.Site.Language)
	for i, cat := range c.Categories {
		if cat.Language != "" {
			check(fmt.Sprintf("categories[%d].language", i), cat.Language)
		}
	}
	for i, s := range c.Sources {
		if s.Language != "" {
			check(fmt.Sprintf("sources[%d].language", i), s.Language)
		}
	}
	return ps
}

// languageProblem says what is wrong with a language tag as the feeds
// carry it (RSS <language>, Atom xml:lang, JSON Feed language, the
// pages' lang): it must be a BCP 47 tag, written with hyphens;
// "" when it is one.
func languageProblem(tag string) string {
	if tag == "" {
		return "required: a BCP 47 language tag such as en, zh-CN or pt-BR"
	}
	t, err := language.Raw.Parse(tag)
	var unknown interface{ Subtag() string }
	switch {
	case errors.As(err, &unknown):
		return fmt.Sprintf("%q is not a known language tag: no language, script or region %q (such as en, zh-CN, zh-Hant or pt-BR)", tag, unknown.Subtag())
	case err != nil:
		return fmt.Sprintf("%q is not a BCP 47 language tag: a language, then optionally a script or region, joined by hyphens (such as en, zh-CN, zh-Hant or pt-BR)", tag)
	}
	if want := t.String(); !strings.EqualFold(want, tag) {
		return fmt.Sprintf("%q is not written as a BCP 47 language tag: write %q", tag, want)
	}
	return ""
}
