package sources

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/feedsmith/feedsmith/config"
)

func TestRecordField(t *testing.T) {
	const doc = `{"infoCode": "NW1", "n": 1.50, "big": 12345678901234567890, "nul": null, "code": 42,
		"data": {"title": " 标题 "}, "medianame": "日照日报", "quote": "a \"b\": c"}`
	tests := []struct {
		name, text, want string
		template         bool // parsed as a template even without "{{" (tags, category title)
	}{
		{"path", "infoCode", "NW1", false},
		{"nested path, trimmed", "data.title", "标题", false},
		{"number as written", "n", "1.50", false},
		{"null", "nul", "", false},
		{"missing", "missing", "", false},
		{"object", "data", `{"title": " 标题 "}`, false},
		{"escaped quote", "quote", `a "b": c`, false},
		{"empty", "", "", false},
		{"template number as written", "{{.big}}/{{.n}}", "12345678901234567890/1.50", false},
		{"template missing and null", "[{{.missing}}|{{.nul}}]", "[|]", false},
		{"template nested", "{{.data.title}}", "标题", false},
		{"pinyin", "{{pinyin .medianame}}", "rizhaoribao", false},
		{"pinyin of a number", "{{pinyin .code}}", "42", false},
		{"slug of null", "{{slug .nul}}", "", false},
		{"literal", "新闻", "新闻", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse := parseRecordField
			if tt.template {
				parse = parseRecordTemplate
			}
			f, err := parse("fields.x", tt.text)
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.value(&record{raw: gjson.Parse(doc)})
			if err != nil || got != tt.want {
				t.Errorf("value = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestRecordDate(t *testing.T) {
	loc := shanghai(t)
	tests := []struct{ in, want string }{
		{"2022-02-14 08:47:41", "2022-02-14T08:47:41+08:00"},
		{"2022-02-14T08:47:41Z", "2022-02-14T08:47:41Z"},
		{"1644799661", "2022-02-14T08:47:41+08:00"},
		{"1644799661000", "2022-02-14T08:47:41+08:00"},
		{"1644799661.5", "2022-02-14T08:47:41+08:00"},
		{"999999999", "2001-09-09T09:46:39+08:00"},
		{"昨天", ""},
		{"-5", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got := ""
		if d := recordDate(tt.in, loc); !d.IsZero() {
			got = d.Format(time.RFC3339)
		}
		if got != tt.want {
			t.Errorf("recordDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewJSONErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(cfg *config.Source)
		want   string
	}{
		{"no items", func(c *config.Source) { c.Items = "" },
			"source market-news: items: required for type json (the gjson path to the array of records)"},
		{"no title", func(c *config.Source) { c.Fields.Title = " " }, "source market-news: fields.title: required for type json"},
		{"bad field template", func(c *config.Source) { c.Fields.Link = "{{.infoCode" },
			"source market-news: fields.link: invalid template: template: fields.link:1: unclosed action"},
		{"unknown function", func(c *config.Source) { c.Tags = []string{"ok", "{{upper .x}}"} },
			`source market-news: tags[1]: invalid template: template: tags[1]:1: function "upper" not defined`},
		{"detail without content", func(c *config.Source) { c.Detail.Content = "" },
			"source market-news: detail: a json detail needs url (a template) and content (a gjson path)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := jsonIssueConfig("http://127.0.0.1:8099")
			tt.mutate(&cfg)
			_, err := New(cfg, Env{Fetcher: NewFetcher("", 0, 0)})
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v\nwant %s", err, tt.want)
			}
		})
	}
}
func TestJSONErrors(t *testing.T) {
	tests := []struct {
		name, file, items, want string
	}{
		{"malformed", "malformed.json", "record", "parse URL: not valid JSON"},
		{"not an array", "not-array.json", "record", `items path "record" is not an array in URL`},
		{"no such path", "list.json", "data.list", `items path "data.list" is not an array in URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newJSONAPI(t, tt.file)
			cfg := jsonIssueConfig(srv.URL)
			cfg.Items = tt.items
			_, _, err := jsonRun(t, t.Context(), cfg, Env{})
			if want := strings.ReplaceAll(tt.want, "URL", cfg.URL); err == nil || err.Error() != want {
				t.Errorf("error = %v, want %s", err, want)
			}
		})
	}
}

func TestJSONCharset(t *testing.T) {
	tests := []struct{ name, contentType, charset string }{
		{"Content-Type", "application/json; charset=gbk", ""},
		{"override", "application/json", "gb18030"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api, srv := newJSONAPI(t, "list.json")
			gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(api.list)
			if err != nil {
				t.Fatal(err)
			}
			api.list, api.contentType = gbk, tt.contentType
			cfg := jsonIssueConfig(srv.URL)
			cfg.Charset = tt.charset
			b, _, err := jsonRun(t, t.Context(), cfg, Env{})
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, a := range b.Articles {
				titles = append(titles, a.Title+" "+strings.Join(a.Categories, ","))
			}
			want := []string{"我市举行春季重点项目集中开工仪式 rizhaoribao", `市长答记者问: "项目要快" rizhaoribao`, "港口吞吐量创新高 rizhaowanbao"}
			if !reflect.DeepEqual(titles, want) {
				t.Errorf("titles = %q, want %q", titles, want)
			}
		})
	}
}

func TestJSONSkipsBadRecords(t *testing.T) {
	tests := []struct {
		name, file string
		mutate     func(cfg *config.Source)
		ids        []string
		skipped    []string // prefixes
	}{
		{"bad records", "bad-records.json", func(*config.Source) {},
			[]string{"NW202202141234567890", "NW202202141234567895"},
			[]string{"record 1: no title", `record 2: category.id gives no usable id (from "")`, "record 3: no title"}},
		{"template error", "list.json", func(c *config.Source) { c.Fields.Link = "{{.infoCode.x}}" }, nil,
			[]string{"record 0: template: fields.link:1:", "record 1: template: fields.link:1:", "record 2: template: fields.link:1:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newJSONAPI(t, tt.file)
			cfg := jsonIssueConfig(srv.URL)
			cfg.Detail = nil
			tt.mutate(&cfg)
			b, _, err := jsonRun(t, t.Context(), cfg, Env{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, a := range b.Articles {
				ids = append(ids, a.ID)
			}
			if !reflect.DeepEqual(ids, tt.ids) {
				t.Errorf("kept %v, want %v", ids, tt.ids)
			}
			if len(b.Skipped) != len(tt.skipped) {
				t.Fatalf("skipped %v, want %d", b.Skipped, len(tt.skipped))
			}
			for i, e := range b.Skipped {
				if !strings.HasPrefix(e.Error(), tt.skipped[i]) {
					t.Errorf("skipped[%d] = %v, want %s...", i, e, tt.skipped[i])
				}
			}
		})
	}
}

// jsonStub answers every request with its bytes as a JSON document.
type jsonStub []byte

func (b jsonStub) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Request: r,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(b))}, nil
}

func FuzzJSONRecords(f *testing.F) {
	seeds, err := filepath.Glob("testdata/json/*.json")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"record": [{"title": "\ud800", "medianame": "\udfff", "datetime": 1e400}, null, [], {"title": {"a": 1}}]}`))
	cfg := jsonIssueConfig("http://feedsmith.test")
	cfg.Detail = nil
	loc := shanghai(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		fetcher := &Fetcher{Client: &http.Client{Transport: jsonStub(doc)}, UserAgent: "feedsmith-test", MaxBody: 1 << 20}
		s, err := New(cfg, Env{Fetcher: fetcher, Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Collect(t.Context())
		if err != nil {
			return
		}
		for _, a := range b.Articles {
			if a.ID == "" || a.Title == "" || !utf8.ValidString(a.Title) || !utf8.ValidString(strings.Join(a.Tags, "")) {
				t.Errorf("article %q: title %q, tags %q", a.ID, a.Title, a.Tags)
			}
			if len(a.Categories) != 1 || a.Categories[0] == "" || !utf8.ValidString(b.CategoryTitles[a.Categories[0]]) {
				t.Errorf("article %q: categories %q, titles %q", a.ID, a.Categories, b.CategoryTitles)
			}
		}
	})
}
