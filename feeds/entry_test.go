package feeds

import (
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
)

func TestParsePerson(t *testing.T) {
	tests := []struct {
		in        string
		want      Person
		rssAuthor string
	}{
		{"Jane Doe", Person{Name: "Jane Doe"}, ""},
		{"日照日报", Person{Name: "日照日报"}, ""},
		{"jane@example.com", Person{Email: "jane@example.com"}, ""},
		{"jane@example.com (Jane Doe)", Person{Name: "Jane Doe", Email: "jane@example.com"}, "jane@example.com (Jane Doe)"},
		{"Jane Doe <jane@example.com>", Person{Name: "Jane Doe", Email: "jane@example.com"}, "jane@example.com (Jane Doe)"},
		{"张三 <zhangsan@example.cn>", Person{Name: "张三", Email: "zhangsan@example.cn"}, "zhangsan@example.cn (张三)"},
		{"jane@example.com (Jane (JD) Doe)", Person{Name: "Jane (JD) Doe", Email: "jane@example.com"}, ""},
		{"not@an address (X)", Person{Name: "not@an address (X)"}, ""},
		{"  ", Person{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := parsePerson(tt.in)
			if got != tt.want {
				t.Errorf("parsePerson = %+v, want %+v", got, tt.want)
			}
			if a := got.rssAuthor(); a != tt.rssAuthor {
				t.Errorf("rssAuthor = %q, want %q", a, tt.rssAuthor)
			}
		})
	}
}

func TestDateFormats(t *testing.T) {
	zone := func(sec int) *time.Location { return time.FixedZone("", sec) }
	tests := []struct {
		name          string
		t             time.Time
		rfc822, r3339 string
	}{
		{"China", time.Date(2022, 2, 14, 8, 47, 41, 0, zone(8*3600)), "Mon, 14 Feb 2022 08:47:41 +0800", "2022-02-14T08:47:41+08:00"},
		{"New York", time.Date(2022, 2, 11, 10, 0, 0, 0, zone(-5*3600)), "Fri, 11 Feb 2022 10:00:00 -0500", "2022-02-11T10:00:00-05:00"},
		{"UTC", time.Date(2022, 2, 1, 9, 5, 0, 500, time.UTC), "Tue, 01 Feb 2022 09:05:00 +0000", "2022-02-01T09:05:00Z"},
		{"India half hour", time.Date(2022, 2, 1, 9, 0, 0, 0, zone(5*3600+1800)), "Tue, 01 Feb 2022 09:00:00 +0530", "2022-02-01T09:00:00+05:30"},
		{"Nepal quarter hour", time.Date(2022, 2, 1, 9, 0, 0, 0, zone(5*3600+2700)), "Tue, 01 Feb 2022 03:15:00 +0000", "2022-02-01T09:00:00+05:45"},
		{"local mean time", time.Date(1900, 1, 1, 12, 0, 0, 0, zone(8*3600+343)), "Mon, 01 Jan 1900 03:54:17 +0000", "1900-01-01T03:54:17Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rfc822(tt.t); got != tt.rfc822 {
				t.Errorf("rfc822 = %q, want %q", got, tt.rfc822)
			}
			if got := rfc3339(tt.t); got != tt.r3339 {
				t.Errorf("rfc3339 = %q, want %q", got, tt.r3339)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := map[string]string{
		"他说：\"你好\"：测试":                   "他说：\"你好\"：测试",
		"a\x00b\x0bc\u0085d\uFFFEe\xff!": "abcde!",
		"tab\tline\nreturn\r":            "tab\tline\nreturn\r",
		"emoji 🎉 and \U0010FFFD":         "emoji 🎉 and \U0010FFFD",
		"del\x7f":                        "del",
	}
	for in, want := range tests {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEntryDatesAndOrder(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2022, 2, d, h, 0, 0, 0, time.UTC) }
	ch := testChannel()
	tests := []struct {
		name     string
		items    []article.Article
		wantIDs  []string
		wantPub  []time.Time
		wantUpd  []time.Time
		wantFeed time.Time
	}{
		{
			name: "same date ordered by id",
			items: []article.Article{
				{ID: "b", Published: at(3, 1)}, {ID: "a", Published: at(3, 1)}, {ID: "c", Published: at(4, 1)},
			},
			wantIDs: []string{"c", "a", "b"},
			wantPub: []time.Time{at(4, 1), at(3, 1), at(3, 1)},
			// W3C DuplicateUpdated: a millisecond tells them apart; the
			// last in the feed keeps the second.
			wantUpd:  []time.Time{at(4, 1), at(3, 1).Add(time.Millisecond), at(3, 1)},
			wantFeed: at(4, 1),
		},
		{
			name: "fallbacks",
			items: []article.Article{
				{ID: "only-updated", Updated: at(5, 1)},
				{ID: "no-date"},
				{ID: "updated-before-published", Published: at(6, 1), Updated: at(2, 1)},
				{ID: "edited-old", Published: at(1, 1), Updated: at(9, 1)},
			},
			// ch.Updated, 1 February at 00:00 in China, is 31 January in UTC.
			wantIDs:  []string{"updated-before-published", "only-updated", "edited-old", "no-date"},
			wantPub:  []time.Time{at(6, 1), at(5, 1), at(1, 1), ch.Updated},
			wantUpd:  []time.Time{at(6, 1), at(5, 1), at(9, 1), ch.Updated},
			wantFeed: at(9, 1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := newDocument(ch, tt.items)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range d.entries {
				if e.src.ID != tt.wantIDs[i] || !e.published.Equal(tt.wantPub[i]) || !e.updated.Equal(tt.wantUpd[i]) {
					t.Errorf("entry %d = %s %v %v, want %s %v %v", i, e.src.ID, e.published, e.updated,
						tt.wantIDs[i], tt.wantPub[i], tt.wantUpd[i])
				}
			}
			if !d.updated.Equal(tt.wantFeed) {
				t.Errorf("feed updated %v, want %v", d.updated, tt.wantFeed)
			}
		})
	}
	t.Run("no date anywhere", func(t *testing.T) {
		ch := testChannel()
		ch.Updated = time.Time{}
		if _, err := newDocument(ch, []article.Article{{ID: "x"}}); err == nil {
			t.Error("an article without any date rendered; want an error")
		}
	})
}

func TestChannelErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Channel)
		render func(Channel, []article.Article) ([]byte, error)
		want   string
	}{
		{"no Atom URL", func(c *Channel) { c.AtomURL = "" }, Atom, "AtomURL is required"},
		{"no RSS URL", func(c *Channel) { c.RSSURL = "" }, RSS, "RSSURL is required"},
		{"no JSON URL", func(c *Channel) { c.JSONURL = "" }, JSON, "JSONURL is required"},
		{"relative site", func(c *Channel) { c.SiteURL = "/index.html" }, RSS, `SiteURL "/index.html" is not an absolute`},
		{"bad hub", func(c *Channel) { c.Hub = "hub.example.com" }, JSON, `Hub "hub.example.com"`},
		{"bad language", func(c *Channel) { c.Language = "Chinese (China)" }, Atom, "not a language tag"},
		{"no title", func(c *Channel) { c.Title = " " }, Atom, "empty Title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := testChannel()
			tt.change(&ch)
			_, err := tt.render(ch, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestChannelHelpers(t *testing.T) {
	for gen, want := range map[string][2]string{
		"feedsmith 0.1.0":  {"feedsmith", "0.1.0"},
		"feedsmith v1.2":   {"feedsmith", "v1.2"},
		"feedsmith":        {"feedsmith", ""},
		"my feed renderer": {"my feed renderer", ""},
	} {
		n, v := Channel{Generator: gen}.generator()
		if n != want[0] || v != want[1] {
			t.Errorf("generator(%q) = %q, %q; want %q, %q", gen, n, v, want[0], want[1])
		}
	}
	for ttl, want := range map[time.Duration]int{0: 0, -time.Hour: 0, 30 * time.Minute: 30, 90 * time.Second: 2, time.Hour: 60} {
		if got := (Channel{TTL: ttl}).ttlMinutes(); got != want {
			t.Errorf("ttlMinutes(%v) = %d, want %d", ttl, got, want)
		}
	}
}
