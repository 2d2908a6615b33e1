package config

import (
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/feedsmith/feedsmith/site"
	"github.com/feedsmith/feedsmith/slug"
	"github.com/feedsmith/feedsmith/urltemplate"
)

// pending is a problem before its line is known.
type pending struct{ key, msg string }

// SlugPattern is what category and source ids must look like: safe as a
// URL path segment and as a file name on every system.
var SlugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,79}$`)

// sourceFields lists, per source type, the keys it requires.
var sourceFields = map[string]func(s *Source) []pending{
	"feed": urlProblems,
	"json": func(s *Source) []pending {
		ps := urlProblems(s)
		if s.Items == "" {
			ps = append(ps, pending{"items", "required for type json (the gjson path to the array of records)"})
		}
		if s.Fields.Title == "" {
			ps = append(ps, pending{"fields.title", "required for type json"})
		}
		if s.Detail != nil && (s.Detail.URL == "" || s.Detail.Content == "") {
			ps = append(ps, pending{"detail", "a json detail needs url (a template) and content (a gjson path)"})
		}
		return ps
	},
	"html": func(s *Source) []pending {
		ps := urlProblems(s)
		for _, f := range []struct{ key, v string }{{"select.item", s.Select.Item}, {"select.title", s.Select.Title}, {"select.link", s.Select.Link}} {
			if f.v == "" {
				ps = append(ps, pending{f.key, "required for type html"})
			}
		}
		return ps
	},
	"posts": func(s *Source) []pending {
		if s.Path == "" {
			return []pending{{"path", "required for type posts (a folder of posts)"}}
		}
		return nil
	},
}

// urlProblems checks a source's url: an http(s) URL or a file path.
func urlProblems(s *Source) []pending {
	if s.URL == "" {
		return []pending{{"url", fmt.Sprintf("required for type %s (an http(s) URL or a file path)", s.Type)}}
	}
	if strings.Contains(s.URL, "://") {
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file") || (u.Scheme != "file" && u.Host == "") {
			return []pending{{"url", fmt.Sprintf("%q is not an http(s) URL or a file path", s.URL)}}
		}
		if u.User != nil {
			return []pending{{"url", fmt.Sprintf("%q holds credentials (user:password@), which are never sent: remove them", u.Redacted())}}
		}
	}
	return nil
}

// SourceTypes lists the source types the configuration accepts.
func SourceTypes() []string { return sortedKeys(sourceFields) }

// normalize fills in values derived from others, before validation.
func (c *Config) normalize() {
	if c.Site.BaseURL != "" && !strings.HasSuffix(c.Site.BaseURL, "/") {
		c.Site.BaseURL += "/"
	}
	for i := range c.Categories {
		if c.Categories[i].Title == "" {
			c.Categories[i].Title = c.Categories[i].ID
		}
	}
	if a := c.Output.All; a != nil {
		if a.ID == "" {
			a.ID = "all"
		}
		if a.Title == "" {
			a.Title = c.Site.Title
		}
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		if s.Schedule == "" {
			s.Schedule = c.Defaults.Schedule
		}
		if s.Timeout == 0 {
			s.Timeout = c.Defaults.Timeout
		}
		if s.MaxBody == 0 {
			s.MaxBody = c.Defaults.MaxBody
		}
		if s.AllowPrivate == nil {
			v := c.Defaults.AllowPrivate
			s.AllowPrivate = &v
		}
		if s.Allow == nil {
			s.Allow = slices.Clone(c.Defaults.Allow)
		}
		s.Caps = s.Caps.Or(c.Defaults.Caps)
	}
}

func (c *Config) validate() []pending {
	var ps []pending
	add := func(key, format string, args ...any) { ps = append(ps, pending{key, fmt.Sprintf(format, args...)}) }
	if u, err := url.Parse(c.Site.BaseURL); c.Site.BaseURL == "" {
		add("site.base_url", "required: the absolute URL the output is published under")
	} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add("site.base_url", "%q is not an absolute http(s) URL", c.Site.BaseURL)
	}
	if _, err := time.LoadLocation(c.Site.Timezone); err != nil {
		add("site.timezone", "unknown time zone %q", c.Site.Timezone)
	}
	switch {
	case c.Store.URL != "":
		if msg := checkStoreURL(c.Store.URL); msg != "" {
			add("store.url", "%s", msg)
		}
	case c.Store.Path == "":
		add("store.path", "required (or store.url for PostgreSQL)")
	}
	if c.Store.MaxItems < 0 {
		add("store.max_items", "must not be negative")
	}
	if l := time.Duration(c.Store.Lease); l < time.Second || l > time.Hour {
		add("store.lease", "must be between 1s and 1h")
	}
	if j := c.Outputs.Jekyll; j != nil && j.Dir == "" {
		add("outputs.jekyll.dir", "required: the _posts folder to write")
	}
	if j := c.Outputs.Jekyll; j != nil && j.Footer != "" {
		if _, err := template.New("footer").Parse(j.Footer); err != nil {
			add("outputs.jekyll.footer", "invalid template: %v", err)
		}
	}
	if s := c.Outputs.S3; s != nil {
		ps = append(ps, s.problems()...)
	}
	if c.Defaults.PerHost < 1 {
		add("defaults.per_host", "must be at least 1")
	}
	ps = append(ps, c.Defaults.Caps.problems("defaults.", false)...)
	if c.Output.Items < 1 {
		add("output.items", "must be at least 1")
	}
	if c.Output.PerPage < 1 || c.Output.PerPage > 1000 {
		add("output.per_page", "must be between 1 and 1000")
	}
	if theme := c.Output.Theme; theme != "" {
		// Not resolved yet: relative to the file, as it will be.
		if !filepath.IsAbs(theme) && c.origin != nil && c.origin.file != "" {
			theme = filepath.Join(filepath.Dir(c.origin.file), theme)
		}
		if fi, err := os.Stat(theme); err != nil || !fi.IsDir() {
			add("output.theme", "%s is not a folder of templates", theme)
		} else if _, err := site.LoadTheme(os.DirFS(theme)); err != nil {
			add("output.theme", "%v", err)
		}
	}
	if _, port, err := net.SplitHostPort(c.Server.Listen); err != nil || port == "" {
		add("server.listen", "%q is not a host:port address", c.Server.Listen)
	}
	if h := c.WebSub.Hub; h != "" {
		if u, err := url.Parse(h); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("websub.hub", "%q is not an absolute http(s) URL", h)
		}
	}
	if err := CheckSchedule(c.Defaults.Schedule); err != nil {
		add("defaults.schedule", "%v", err)
	}
	ps = append(ps, allowProblems("defaults.allow", c.Defaults.Allow)...)
	ids := map[string]string{}
	for i, cat := range c.Categories {
		key := fmt.Sprintf("categories[%d]", i)
		ps = append(ps, idProblems(key, cat.ID, ids)...)
		for j, r := range cat.Rules {
			ps = append(ps, r.problems(fmt.Sprintf("%s.rules[%d]", key, j))...)
		}
	}
	if a := c.Output.All; a != nil {
		ps = append(ps, idProblems("output.all", a.ID, ids)...)
	}
	srcIDs := map[string]string{}
	for i := range c.Sources {
		ps = append(ps, c.sourceProblems(i, srcIDs)...)
	}
	return append(ps, c.operationProblems()...)
}

// idProblems checks that id is a safe slug not used before in seen.
func idProblems(key, id string, seen map[string]string) []pending {
	switch {
	case id == "":
		return []pending{{key + ".id", "required"}}
	case !SlugPattern.MatchString(id):
		return []pending{{key + ".id", fmt.Sprintf("%q must be lower-case letters, digits, - or _ (at most 80)", id)}}
	case seen[id] != "":
		return []pending{{key + ".id", fmt.Sprintf("%q is already used by %s", id, seen[id])}}
	}
	seen[id] = key
	return nil
}

func (c *Config) sourceProblems(i int, seen map[string]string) []pending {
	s := &c.Sources[i]
	key := fmt.Sprintf("sources[%d]", i)
	ps := idProblems(key, s.ID, seen)
	add := func(k, format string, args ...any) {
		ps = append(ps, pending{key + "." + k, fmt.Sprintf(format, args...)})
	}
	check, ok := sourceFields[s.Type]
	switch {
	case s.Type == "":
		add("type", "required (one of %s)", strings.Join(SourceTypes(), ", "))
	case !ok:
		add("type", "unknown type %q (one of %s)", s.Type, strings.Join(SourceTypes(), ", "))
	default:
		for _, p := range check(s) {
			add(p.key, "%s", p.msg)
		}
	}
	switch {
	case s.Category.Templated():
		if s.Type == "posts" {
			add("category.id", "templates are for feed, json and html sources; posts name their categories in front matter")
		}
	case s.Category.ID != "" && !c.declares(s.Category.ID):
		add("category", "%q is not declared under categories", s.Category.ID)
	case s.Category.Title != "":
		add("category.title", "only a templated category id takes a title; a declared category has its own")
	}
	if err := CheckSchedule(s.Schedule); err != nil {
		add("schedule", "%v", err)
	}
	if s.Timezone != "" {
		if _, err := time.LoadLocation(s.Timezone); err != nil {
			add("timezone", "unknown time zone %q", s.Timezone)
		}
	}
	tmpls := s.templates()
	for _, key := range sortedKeys(tmpls) {
		text := tmpls[key]
		t, err := template.New(key).Funcs(slug.Funcs()).Funcs(urltemplate.Funcs()).Option("missingkey=zero").Parse(text)
		if err == nil && urlKeys[key] {
			_, err = urltemplate.Escape(t)
		}
		if err != nil {
			add(key, "invalid template: %v", err)
		}
	}
	if !slices.Equal(s.Allow, c.Defaults.Allow) { // the defaults' are checked once, above
		for _, p := range allowProblems("allow", s.Allow) {
			add(p.key, "%s", p.msg)
		}
	}
	for _, p := range s.Caps.problems("", true) {
		add(p.key, "%s", p.msg)
	}
	if s.Detail != nil && s.Detail.Content == "" {
		add("detail.content", "required: a gjson path (json), a CSS selector or readability")
	}
	for _, p := range s.extractorProblems() {
		add(p.key, "%s", p.msg)
	}
	if s.Footer != "" {
		if s.Type != "posts" {
			add("footer", "only for type posts")
		} else if _, err := CompileFooter(s.Footer); err != nil {
			add("footer", "%v", err)
		}
	}
	if s.SiteURL != "" {
		if u, err := url.Parse(s.SiteURL); err != nil || u.Host == "" {
			add("site_url", "%q is not an absolute URL", s.SiteURL)
		}
	}
	return ps
}

// allowProblems checks the entries of an allow list.
func allowProblems(key string, entries []string) []pending {
	var ps []pending
	for i, e := range entries {
		if _, _, err := ParseAllowEntry(e); err != nil {
			ps = append(ps, pending{fmt.Sprintf("%s[%d]", key, i), err.Error()})
		}
	}
	return ps
}

// urlKeys are the templates that build URLs: their values are escaped
// for where they stand (see package urltemplate).
var urlKeys = map[string]bool{"detail.url": true, "fields.link": true, "fields.image": true}

// templates returns the source's values that may hold templates, by key.
func (s *Source) templates() map[string]string {
	t := map[string]string{"category.id": s.Category.ID, "category.title": s.Category.Title}
	for i, tag := range s.Tags {
		t[fmt.Sprintf("tags[%d]", i)] = tag
	}
	f := s.Fields
	for k, v := range map[string]string{"id": f.ID, "title": f.Title, "link": f.Link, "published": f.Published, "updated": f.Updated,
		"author": f.Author, "summary": f.Summary, "content": f.Content, "image": f.Image} {
		t["fields."+k] = v
	}
	if s.Detail != nil {
		t["detail.url"] = s.Detail.URL
	}
	for k, v := range t {
		if !strings.Contains(v, "{{") {
			delete(t, k)
		}
	}
	return t
}

// Pages reports whether the articles of s get pages of their own on the
// site: the source's pages key when set; else yes for the sources whose
// articles have no other page to read them on (posts, json), no for
// feed and html sources, whose readers want the original.
func (c *Config) Pages(s Source) bool {
	if s.Pages != nil {
		return *s.Pages
	}
	return s.Type == "posts" || s.Type == "json"
}

// SourceIDs lists the ids of the configured sources, in configuration
// order.
func (c *Config) SourceIDs() []string {
	ids := make([]string, len(c.Sources))
	for i, s := range c.Sources {
		ids[i] = s.ID
	}
	return ids
}

// Source returns the source with the given id.
func (c *Config) Source(id string) (Source, bool) {
	for _, s := range c.Sources {
		if s.ID == id {
			return s, true
		}
	}
	return Source{}, false
}

func (c *Config) declares(id string) bool {
	for _, cat := range c.Categories {
		if cat.ID == id {
			return true
		}
	}
	return false
}

var ruleFields = map[string]bool{"title": true, "summary": true, "content": true, "tags": true}

func (r Rule) problems(key string) []pending {
	var ps []pending
	if len(r.Keywords) == 0 && r.Match == "" {
		ps = append(ps, pending{key, "a rule needs keywords or match"})
	}
	if r.Match != "" {
		if _, err := regexp.Compile(r.Match); err != nil {
			ps = append(ps, pending{key + ".match", fmt.Sprintf("invalid regular expression: %v", err)})
		}
	}
	for i, f := range r.In {
		if !ruleFields[f] {
			ps = append(ps, pending{fmt.Sprintf("%s.in[%d]", key, i), fmt.Sprintf("unknown field %q (one of content, summary, tags, title)", f)})
		}
	}
	return ps
}

// Location returns the time zone for a source's dates without an offset:
// its own timezone, else the site's.
func (c *Config) Location(s Source) *time.Location {
	name := s.Timezone
	if name == "" {
		name = c.Site.Timezone
	}
	loc, err := time.LoadLocation(name)
	if err != nil { // validated at load; only reachable for a hand-built Config
		return time.UTC
	}
	return loc
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
