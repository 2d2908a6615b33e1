package feeds

import (
	"encoding/xml"
	"strings"
	"testing"
)

// The structs below read back what RSS and Atom readers rely on, with
// encoding/xml and the namespaces resolved, independently of gofeed.

type rssBack struct {
	Channel struct {
		// Before Link: a field without a namespace takes elements of any.
		AtomLinks []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Link          string `xml:"link"`
		LastBuildDate string `xml:"lastBuildDate"`
		TTL           string `xml:"ttl"`
		Items         []struct {
			GUID struct {
				Value     string `xml:",chardata"`
				PermaLink string `xml:"isPermaLink,attr"`
			} `xml:"guid"`
			Author     string   `xml:"author"`
			Creator    string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
			Categories []string `xml:"category"`
			Content    string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			Enclosure  *struct {
				Length string `xml:"length,attr"`
			} `xml:"enclosure"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestRSSElements(t *testing.T) {
	out, err := RSS(testChannel(), loadArticles(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc rssBack
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Channel
	if c.Link != testChannel().SiteURL || c.LastBuildDate != "Mon, 14 Feb 2022 09:15:00 +0800" || c.TTL != "30" {
		t.Errorf("link %q lastBuildDate %q ttl %q", c.Link, c.LastBuildDate, c.TTL)
	}
	if len(c.AtomLinks) != 2 || c.AtomLinks[0].Rel != "self" || c.AtomLinks[0].Type != "application/rss+xml" ||
		c.AtomLinks[0].Href != testChannel().RSSURL || c.AtomLinks[1].Rel != "hub" {
		t.Errorf("atom:link = %+v", c.AtomLinks)
	}
	tests := []struct {
		perma, author, creator, categories, length string
	}{
		{"false", "", "日照日报", "rizhaoribao 要闻 国资国企", ""},
		{"true", "jane@example.com (Jane Doe)", "", "rizhaoribao government budget", ""},
		{"false", "", "", "rizhaoribao podcast", "0"},
		{"false", "bob@example.net (Bob Smith)", "", "rizhaoribao photos", "24576"},
	}
	if len(c.Items) != len(tests) {
		t.Fatalf("%d items", len(c.Items))
	}
	for i, want := range tests {
		it := c.Items[i]
		length := ""
		if it.Enclosure != nil {
			length = it.Enclosure.Length
		}
		got := []string{it.GUID.PermaLink, it.Author, it.Creator, strings.Join(it.Categories, " "), length}
		if strings.Join(got, "|") != strings.Join([]string{want.perma, want.author, want.creator, want.categories, want.length}, "|") {
			t.Errorf("item %d: isPermaLink|author|dc:creator|categories|length = %q, want %+v", i, got, want)
		}
		if it.Content == "" {
			t.Errorf("item %d: no content:encoded", i)
		}
	}
}

type atomBack struct {
	Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string `xml:"id"`
	Updated string `xml:"updated"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
	} `xml:"link"`
	Generator struct {
		URI     string `xml:"uri,attr"`
		Version string `xml:"version,attr"`
		Name    string `xml:",chardata"`
	} `xml:"generator"`
	Entries []struct {
		Published string `xml:"published"`
		Links     []struct {
			Rel    string `xml:"rel,attr"`
			Type   string `xml:"type,attr"`
			Length string `xml:"length,attr"`
		} `xml:"link"`
		Categories []struct {
			Term  string `xml:"term,attr"`
			Label string `xml:"label,attr"`
		} `xml:"category"`
		Summary struct {
			Type string `xml:"type,attr"`
		} `xml:"summary"`
		Content struct {
			Type string `xml:"type,attr"`
		} `xml:"content"`
	} `xml:"entry"`
}

func TestAtomElements(t *testing.T) {
	ch := testChannel()
	out, err := Atom(ch, loadArticles(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc atomBack
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != ch.AtomURL || doc.Lang != "zh-CN" || doc.Updated != "2022-02-14T09:15:00+08:00" {
		t.Errorf("id %q xml:lang %q updated %q", doc.ID, doc.Lang, doc.Updated)
	}
	rels := []string{}
	for _, l := range doc.Links {
		rels = append(rels, l.Rel+" "+l.Type+" "+l.Href)
	}
	want := []string{"alternate text/html " + ch.SiteURL, "self application/atom+xml " + ch.AtomURL, "hub  " + ch.Hub}
	if strings.Join(rels, "\n") != strings.Join(want, "\n") {
		t.Errorf("feed links:\n%s\nwant:\n%s", strings.Join(rels, "\n"), strings.Join(want, "\n"))
	}
	if g := doc.Generator; g.Name != "feedsmith" || g.Version != "0.1.0" || g.URI != ch.GeneratorURI {
		t.Errorf("generator %+v", g)
	}
	e := doc.Entries[0]
	if e.Published != "2022-02-14T08:47:41+08:00" || e.Content.Type != "html" || e.Summary.Type != "" {
		t.Errorf("entry 0: published %q content type %q summary type %q", e.Published, e.Content.Type, e.Summary.Type)
	}
	if len(e.Links) != 1 || e.Links[0].Rel != "alternate" || e.Links[0].Type != "text/html" {
		t.Errorf("entry 0 links %+v", e.Links)
	}
	if c := e.Categories[0]; c.Term != "rizhaoribao" || c.Label != "日照日报新闻" {
		t.Errorf("entry 0 category %+v", c)
	}
	// Unknown length: no length attribute; known: written.
	if l := doc.Entries[2].Links[1]; l.Rel != "enclosure" || l.Type != "audio/mpeg" || l.Length != "" {
		t.Errorf("entry 2 enclosure %+v", l)
	}
	if l := doc.Entries[3].Links[1]; l.Rel != "enclosure" || l.Length != "24576" {
		t.Errorf("entry 3 enclosure %+v", l)
	}
}

func TestOPML(t *testing.T) {
	outlines := []Outline{
		{Title: "日照日报新闻", Text: "日照日报新闻", Type: "atom",
			XMLURL: "https://feeds.example.com/feeds/rizhaoribao.atom", HTMLURL: "https://feeds.example.com/", Language: "zh-CN"},
		{Title: "日照日报新闻", Type: "rss", XMLURL: "https://feeds.example.com/feeds/rizhaoribao.rss"},
		{Text: "All news & notes", XMLURL: "https://feeds.example.com/feeds/all.rss"},
	}
	out, err := OPML("feedsmith", "Feed Owner", outlines)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "golden.opml", out)
	if err := wellFormed(out); err != nil {
		t.Fatal(err)
	}
	var doc opmlDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.0" || len(doc.Body) != 3 || doc.Body[1].Text != "日照日报新闻" || doc.Body[2].Type != "rss" ||
		doc.Body[2].Title != "All news & notes" || doc.Body[0].Language != "zh-CN" || doc.Body[1].Language != "" {
		t.Errorf("read back %+v", doc)
	}
	if strings.Contains(string(out), "dateCreated") {
		t.Error("dateCreated makes the bytes change on every build")
	}

	for name, bad := range map[string][]Outline{
		"empty":        nil,
		"relative url": {{Text: "x", XMLURL: "/feeds/x.rss"}},
		"bad type":     {{Text: "x", Type: "podcast", XMLURL: "https://example.com/x.rss"}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := OPML("t", "", bad); err == nil {
				t.Error("no error")
			}
		})
	}
}
