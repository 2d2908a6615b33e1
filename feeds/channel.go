package feeds

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Channel describes one feed (one category).
type Channel struct {
	ID          string // category id, e.g. "rizhaoribao"
	Title       string
	Description string
	Language    string // e.g. "zh-CN"
	SiteURL     string // absolute home page URL (alternate link)
	// AtomURL, RSSURL and JSONURL are the absolute self URLs of the three
	// documents. AtomURL is also the Atom feed's <id>.
	AtomURL, RSSURL, JSONURL string
	Author                   Person // feed-level author; used when an entry has none
	Generator                string // e.g. "feedsmith 0.1.0"
	GeneratorURI             string
	// TTL is how often the feed is refreshed; RSS <ttl> in minutes when > 0.
	TTL time.Duration
	// Hub is the WebSub hub URL, optional.
	Hub string
	// Updated is the feed's date when there are no items (or an item has
	// no date at all). It is never replaced by the clock.
	Updated time.Time
	// CategoryTitles maps category ids to their titles, for the labels of
	// Atom categories. Optional: the channel's own ID is labelled with its
	// Title.
	CategoryTitles map[string]string
	// SourceLinks maps source ids to the page that lists their articles:
	// the link of an article that has none (nor an enclosure). Optional:
	// SiteURL stands in.
	SourceLinks map[string]string
}

// Person is a feed or entry author.
type Person struct{ Name, Email, URL string }

// langPattern is the shape of a language tag (BCP 47, loosely) that the
// W3C validator accepts in <language> and xml:lang.
var langPattern = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// normalize returns ch with its text cleaned and its URLs in normal form,
// or every problem found.
func (ch Channel) normalize() (Channel, error) {
	var errs []error
	ch.ID = clean(ch.ID)
	ch.Title = strings.TrimSpace(clean(ch.Title))
	ch.Description = strings.TrimSpace(clean(ch.Description))
	ch.Language = strings.TrimSpace(ch.Language)
	ch.Generator = strings.TrimSpace(clean(ch.Generator))
	ch.Author.Name = strings.TrimSpace(clean(ch.Author.Name))
	ch.Author.Email = strings.TrimSpace(clean(ch.Author.Email))
	if ch.Title == "" {
		errs = append(errs, errors.New("empty Title"))
	}
	if ch.Language != "" && !langPattern.MatchString(ch.Language) {
		errs = append(errs, fmt.Errorf("field Language: %q is not a language tag", ch.Language))
	}
	for _, u := range []struct {
		name string
		v    *string
	}{
		{"SiteURL", &ch.SiteURL}, {"AtomURL", &ch.AtomURL}, {"RSSURL", &ch.RSSURL},
		{"JSONURL", &ch.JSONURL}, {"Hub", &ch.Hub}, {"GeneratorURI", &ch.GeneratorURI},
		{"Author.URL", &ch.Author.URL},
	} {
		if strings.TrimSpace(*u.v) == "" {
			*u.v = ""
			continue
		}
		c, ok := canonicalURI(*u.v, "http", "https")
		if !ok {
			errs = append(errs, fmt.Errorf("%s %q is not an absolute http(s) URL", u.name, *u.v))
		}
		*u.v = c
	}
	if len(errs) > 0 {
		return ch, fmt.Errorf("feeds: channel %q: %w", ch.ID, errors.Join(errs...))
	}
	return ch, nil
}

// requireURL reports an error when the self URL a format needs is missing.
func (ch Channel) requireURL(name, v string) error {
	if v == "" {
		return fmt.Errorf("feeds: channel %q: %s is required", ch.ID, name)
	}
	return nil
}

// label returns the human-readable label of a category id or tag.
func (ch Channel) label(term string) string {
	if t := ch.CategoryTitles[term]; t != "" {
		return clean(t)
	}
	if term == ch.ID {
		return ch.Title
	}
	return term
}

// ttlMinutes rounds TTL up to whole minutes, as RSS <ttl> counts them.
func (ch Channel) ttlMinutes() int {
	if ch.TTL <= 0 {
		return 0
	}
	return int((ch.TTL + time.Minute - 1) / time.Minute)
}

// generator splits Generator into a name and a version ("feedsmith
// 0.1.0" → "feedsmith", "0.1.0"), as Atom's <generator version> wants.
func (ch Channel) generator() (name, version string) {
	i := strings.LastIndexByte(ch.Generator, ' ')
	if i <= 0 {
		return ch.Generator, ""
	}
	v := strings.TrimPrefix(ch.Generator[i+1:], "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		return ch.Generator, ""
	}
	return strings.TrimSpace(ch.Generator[:i]), ch.Generator[i+1:]
}
