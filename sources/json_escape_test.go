package sources

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/feedsmith/feedsmith/config"
)

// TestJSONDetailURLEscaped is the finding of issue 10: with detail.url
// "http://host/api/detail/{{.id}}", an id of "x&admin=1#" was sent as
// /api/detail/x&admin=1 and "../../_stats?" as it is. Each value is now
// one path segment or one query value, whatever it holds.
func TestJSONDetailURLEscaped(t *testing.T) {
	ids := []string{"x&admin=1#", "../../_stats?", "..", ".", "a/b", "a b+c", "NW202202141234567890"}
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/list" {
			var recs []map[string]string
			for _, id := range ids {
				recs = append(recs, map[string]string{"id": id, "title": "t " + id})
			}
			json.NewEncoder(w).Encode(map[string]any{"records": recs})
			return
		}
		mu.Lock()
		asked = append(asked, r.RequestURI)
		mu.Unlock()
		json.NewEncoder(w).Encode(map[string]string{"text": "<p>" + r.RequestURI + "</p>"})
	}))
	defer srv.Close()
	tests := []struct {
		name, detailURL string
		want            []string // the request URIs, in the order of ids
		links           []string // the published links
	}{
		{"path", "/api/detail/{{.id}}/text", []string{
			"/api/detail/x%26admin%3D1%23/text", "/api/detail/..%2F..%2F_stats%3F/text", "/api/detail/%2E%2E/text",
			"/api/detail/%2E/text", "/api/detail/a%2Fb/text", "/api/detail/a%20b%2Bc/text", "/api/detail/NW202202141234567890/text",
		}, nil},
		{"query", "/api/detail?id={{.id}}&v=2", []string{
			"/api/detail?id=x%26admin%3D1%23&v=2", "/api/detail?id=..%2F..%2F_stats%3F&v=2", "/api/detail?id=..&v=2",
			"/api/detail?id=.&v=2", "/api/detail?id=a%2Fb&v=2", "/api/detail?id=a%20b%2Bc&v=2", "/api/detail?id=NW202202141234567890&v=2",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			asked = nil
			mu.Unlock()
			cfg := config.Source{ID: "api", Type: "json", URL: srv.URL + "/api/list", Items: "records",
				Fields: config.Fields{ID: "id", Title: "title", Link: srv.URL + "/news/{{.id}}.html?id={{.id}}#{{.id}}"},
				Detail: &config.Detail{URL: srv.URL + tt.detailURL, Content: "text"}}
			b, logs, err := runSource(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			got := slices.Clone(asked)
			mu.Unlock()
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("requests:\n%s\nwant:\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), logs)
			}
			for i, a := range b.Articles {
				if !a.FullText {
					t.Errorf("%q: no full text", ids[i])
				}
			}
			if l := b.Articles[0].Link; l != srv.URL+"/news/x%26admin%3D1%23.html?id=x%26admin%3D1%23#x%26admin%3D1%23" {
				t.Errorf("link = %q", l)
			}
			if l := b.Articles[1].Link; l != srv.URL+"/news/..%2F..%2F_stats%3F.html?id=..%2F..%2F_stats%3F#..%2F..%2F_stats%3F" {
				t.Errorf("link = %q", l)
			}
		})
	}
}
