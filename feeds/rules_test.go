package feeds

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// checkRules asserts on a rendered document the rules of the W3C Feed
// Validation Service (at its default level) and of the checkers in
// ../shared/feedcheck that an input can break: it is run over the golden
// outputs and over every fixture's, so that no input accepted upstream
// makes an invalid feed.
func checkRules(t *testing.T, name string, data []byte) {
	t.Helper()
	switch {
	case strings.HasSuffix(name, ".atom"):
		checkAtomRules(t, name, data)
	case strings.HasSuffix(name, ".rss"):
		checkRSSRules(t, name, data)
	case strings.HasSuffix(name, ".json"):
		checkJSONRules(t, name, data)
	default:
		t.Fatalf("%s: no rules for this format", name)
	}
}

type atomRules struct {
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Links     []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Summary *struct {
			Text string `xml:",chardata"`
		} `xml:"summary"`
		Content *struct {
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func checkAtomRules(t *testing.T, name string, data []byte) {
	t.Helper()
	var doc atomRules
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	ids, updated := map[string]bool{}, map[string]bool{}
	for i, e := range doc.Entries {
		where := func(rule string) string { return name + " entry " + itoa(i) + " (" + e.ID + "): " + rule }
		alternate := false
		for _, l := range e.Links {
			if l.Rel == "" || l.Rel == "alternate" {
				alternate = true
			}
			if !plainURI(l.Href) {
				t.Error(where(fmt.Sprintf("InvalidURLAttribute: link href %q", l.Href)))
			}
		}
		hasContent := e.Content != nil && strings.TrimSpace(e.Content.Text) != ""
		hasSummary := e.Summary != nil && strings.TrimSpace(e.Summary.Text) != ""
		// RFC 4287 §4.1.1, W3C MissingContentOrAlternate.
		if !hasContent && !alternate {
			t.Error(where("MissingContentOrAlternate"))
		}
		// W3C MissingTextualContent.
		if !hasContent && !hasSummary {
			t.Error(where("MissingTextualContent"))
		}
		// newsboat reads an empty title back as its own (feedcheck
		// TitleMismatch); feedparser warns about a missing one.
		if strings.TrimSpace(e.Title) == "" {
			t.Error(where("empty title"))
		}
		// feedparser-check EntryMissing_link, newsboat ItemLinkNotAbsolute.
		if !alternate {
			t.Error(where("no alternate link"))
		}
		if ids[e.ID] {
			t.Error(where("DuplicateEntries"))
		}
		ids[e.ID] = true
		// W3C DuplicateUpdated compares the text.
		if updated[e.Updated] {
			t.Error(where("DuplicateUpdated " + e.Updated))
		}
		updated[e.Updated] = true
		for _, d := range []string{e.Updated, e.Published} {
			checkDate(t, where("date"), time.RFC3339Nano, d)
		}
	}
}

type rssRules struct {
	Channel struct {
		Items []struct {
			Title       *string `xml:"title"`
			Description *string `xml:"description"`
			Link        string  `xml:"link"`
			PubDate     string  `xml:"pubDate"`
			GUID        struct {
				Value     string `xml:",chardata"`
				PermaLink string `xml:"isPermaLink,attr"`
			} `xml:"guid"`
			Enclosure *struct {
				URL string `xml:"url,attr"`
			} `xml:"enclosure"`
		} `xml:"item"`
	} `xml:"channel"`
}

func checkRSSRules(t *testing.T, name string, data []byte) {
	t.Helper()
	var doc rssRules
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	guids := map[string]bool{}
	for i, it := range doc.Channel.Items {
		where := func(rule string) string {
			return name + " item " + itoa(i) + " (" + it.GUID.Value + "): " + rule
		}
		nonEmpty := func(s *string) bool { return s != nil && strings.TrimSpace(*s) != "" }
		// W3C ItemMustContainTitleOrDescription; newsboat needs the title.
		if !nonEmpty(it.Title) {
			t.Error(where("empty title"))
		}
		if !nonEmpty(it.Title) && !nonEmpty(it.Description) {
			t.Error(where("ItemMustContainTitleOrDescription"))
		}
		link := it.Link
		if link == "" && it.GUID.PermaLink == "true" {
			link = it.GUID.Value
		}
		if link == "" {
			t.Error(where("no link (feedparser EntryMissing_link, newsboat ItemLinkNotAbsolute)"))
		}
		for _, u := range []string{it.Link, link} {
			if u != "" && !plainURI(u) {
				t.Error(where(fmt.Sprintf("InvalidURL %q", u)))
			}
		}
		if it.Enclosure != nil && !plainURI(it.Enclosure.URL) {
			t.Error(where(fmt.Sprintf("InvalidURLAttribute: enclosure url %q", it.Enclosure.URL)))
		}
		if guids[it.GUID.Value] {
			t.Error(where("duplicate guid"))
		}
		guids[it.GUID.Value] = true
		checkDate(t, where("pubDate"), time.RFC1123Z, it.PubDate)
	}
}

func checkJSONRules(t *testing.T, name string, data []byte) {
	t.Helper()
	var doc struct {
		Items []struct {
			ID          string `json:"id"`
			URL         string `json:"url"`
			Title       string `json:"title"`
			ContentHTML string `json:"content_html"`
			Published   string `json:"date_published"`
			Modified    string `json:"date_modified"`
			Attachments []struct {
				URL string `json:"url"`
			} `json:"attachments"`
		} `json:"items"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	ids := map[string]bool{}
	for i, it := range doc.Items {
		where := func(rule string) string { return name + " item " + itoa(i) + " (" + it.ID + "): " + rule }
		if it.ID == "" || ids[it.ID] {
			t.Error(where("empty or duplicate id"))
		}
		ids[it.ID] = true
		if strings.TrimSpace(it.ContentHTML) == "" {
			t.Error(where("MissingContent"))
		}
		// The same title in the three formats.
		if strings.TrimSpace(it.Title) == "" {
			t.Error(where("empty title"))
		}
		if it.URL == "" || !plainURI(it.URL) {
			t.Error(where(fmt.Sprintf("url %q", it.URL)))
		}
		for _, a := range it.Attachments {
			if !plainURI(a.URL) {
				t.Error(where(fmt.Sprintf("attachment url %q", a.URL)))
			}
		}
		for _, d := range []string{it.Published, it.Modified} {
			checkDate(t, where("date"), time.RFC3339Nano, d)
		}
	}
}

// checkDate checks that s is a date in layout, and not one the W3C
// validator calls implausible (before 1990).
func checkDate(t *testing.T, where, layout, s string) {
	t.Helper()
	d, err := time.Parse(layout, s)
	if err != nil {
		t.Errorf("%s: %v", where, err)
	} else if d.Year() < 1990 {
		t.Errorf("%s: ImplausibleDate %s", where, s)
	}
}

// plainURI reports whether s is an absolute http(s) URI in ASCII, its
// host a valid one (no percent-encoding: W3C InvalidURLAttribute).
func plainURI(s string) bool {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r >= 0x7F }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	auth := strings.TrimPrefix(s[len(u.Scheme)+1:], "//")
	if i := strings.IndexAny(auth, "/?#"); i >= 0 {
		auth = auth[:i]
	}
	return !strings.Contains(auth, "%")
}

func itoa(i int) string { return strconv.Itoa(i) }
