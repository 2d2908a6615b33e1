package publish

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strconv"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/feeds"
	"github.com/feedsmith/feedsmith/store"
)

// indexPage is the data of index.html.
type indexPage struct {
	Title, Description, Language string
	// Notices are problems an operator must see first, e.g. an output
	// folder that could not be written.
	Notices    []string
	Categories []indexCategory
	Sources    []indexSource
	// RunTimes shows the times of each source's runs (the served page).
	RunTimes bool
}

type indexCategory struct {
	feeds.Channel
	Articles string
	Newest   string
}

type indexSource struct {
	store.SourceStatus
	Type string
	// State is "ok", "failing" or "not run yet": what the page on disk
	// says of a source, which changes only when the source's state does.
	State                             string
	LastAttempt, LastSuccess, NextRun string
}

var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="{{.Language}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
{{- range .Categories}}
<link rel="alternate" type="application/atom+xml" title="{{.Title}} (Atom)" href="{{.AtomURL}}">
<link rel="alternate" type="application/rss+xml" title="{{.Title}} (RSS)" href="{{.RSSURL}}">
<link rel="alternate" type="application/feed+json" title="{{.Title}} (JSON Feed)" href="{{.JSONURL}}">
{{- end}}
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
.err{color:#a00}small{color:#666}
.notice{border:2px solid #a00;background:#fee;color:#600;padding:.5rem 1rem}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{- range .Notices}}
<p class="notice" role="alert">{{.}}</p>
{{- end}}
{{with .Description}}<p>{{.}}</p>{{end}}
<h2>Feeds</h2>
<table>
<tr><th>Category</th><th>Articles</th><th>Last update</th><th>Feeds</th></tr>
{{- range .Categories}}
<tr><td{{if ne .Language $.Language}} lang="{{.Language}}"{{end}}><strong>{{.Title}}</strong>{{if ne .Description .Title}}<br><small>{{.Description}}</small>{{end}}</td><td>{{.Articles}}</td><td>{{.Newest}}</td>
<td><a href="{{.AtomURL}}">Atom</a> · <a href="{{.RSSURL}}">RSS</a> · <a href="{{.JSONURL}}">JSON</a></td></tr>
{{- end}}
</table>
<p><a href="feeds.opml">All feeds as OPML</a></p>
<h2>Sources</h2>
<table>
<tr><th>Source</th><th>State</th>{{if .RunTimes}}<th class="time">Last run</th><th class="time">Last success</th>{{end}}<th>Articles</th>{{if .RunTimes}}<th class="time">Next run</th>{{end}}<th>Last error</th></tr>
{{- range .Sources}}
<tr><td>{{.SourceID}} <small>{{.Type}}</small></td><td>{{.State}}</td>{{if $.RunTimes}}<td class="time">{{.LastAttempt}}</td><td class="time">{{.LastSuccess}}</td>{{end}}<td>{{.Articles}}</td>{{if $.RunTimes}}<td class="time">{{.NextRun}}</td>{{end}}<td class="err">{{.LastError}}</td></tr>
{{- end}}
</table>
</body>
</html>
`))

// index renders index.html: served is the page to serve and, when it
// differs (RunTimes), disk the page for the output folder, without the
// run times.
func (p *Publisher) index(ctx context.Context, chans []feeds.Channel, infos []store.CategoryInfo) (served, disk []byte, err error) {
	counts := map[string]store.CategoryInfo{}
	for _, c := range infos {
		counts[c.ID] = c
	}
	statuses, err := p.store.SourceStatuses(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("list source statuses: %w", err)
	}
	byID := map[string]store.SourceStatus{}
	for _, s := range statuses {
		byID[s.SourceID] = s
	}
	loc := p.cfg.Location(config.Source{}) // the site's zone
	page := indexPage{Title: p.cfg.Site.Title, Description: p.cfg.Site.Description, Language: p.cfg.Site.Language}
	if p.Notices != nil {
		page.Notices = p.Notices()
	}
	for _, ch := range chans {
		info := counts[ch.ID]
		n := strconv.Itoa(info.Articles)
		if p.isAll(ch.ID) {
			n, info.Newest = "all", ch.Updated
		}
		page.Categories = append(page.Categories, indexCategory{Channel: ch, Articles: n, Newest: when(info.Newest, loc)})
	}
	for _, s := range p.cfg.Sources {
		st := byID[s.ID]
		st.SourceID = s.ID
		next := time.Time{}
		if p.NextRun != nil {
			next = p.NextRun(s.ID)
		}
		page.Sources = append(page.Sources, indexSource{SourceStatus: st, Type: s.Type, State: state(st),
			LastAttempt: when(st.LastAttempt, loc), LastSuccess: when(st.LastSuccess, loc), NextRun: when(next, loc)})
	}
	if disk, err = renderIndex(page); err != nil || !p.RunTimes {
		return disk, nil, err
	}
	page.RunTimes = true
	served, err = renderIndex(page)
	return served, disk, err
}

func renderIndex(page indexPage) ([]byte, error) {
	var b bytes.Buffer
	if err := indexTemplate.Execute(&b, page); err != nil {
		return nil, fmt.Errorf("render index.html: %w", err)
	}
	return b.Bytes(), nil
}

// state says how a source is doing, in a word.
func state(st store.SourceStatus) string {
	switch {
	case st.LastAttempt.IsZero():
		return "not run yet"
	case st.LastError != "":
		return "failing"
	}
	return "ok"
}

// when formats a time for people, in loc; "—" for never.
func when(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02 15:04 -07:00")
}

func (p *Publisher) opml(chans []feeds.Channel) ([]byte, error) {
	// type="rss" is what OPML 2.0 and the readers that import it expect
	// of any feed subscription, Atom included.
	outlines := make([]feeds.Outline, len(chans))
	for i, ch := range chans {
		outlines[i] = feeds.Outline{Title: ch.Title, Text: ch.Title, Type: "rss", XMLURL: ch.AtomURL, HTMLURL: ch.SiteURL, Language: ch.Language}
	}
	return feeds.OPML(p.cfg.Site.Title, p.cfg.Site.Author.Name, outlines)
}
