package sources

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/tidwall/gjson"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/datetime"
	"github.com/feedsmith/feedsmith/slug"
	"github.com/feedsmith/feedsmith/urltemplate"
)

// recordField reads one value of a record: a gjson path ("data.title"),
// or a text/template over the record when the text holds "{{".
type recordField struct {
	path string
	tmpl *template.Template
}

// parseRecordField compiles text as a template when it holds "{{", else
// as a gjson path; an empty text reads nothing. key ("fields.link")
// names the value in errors.
func parseRecordField(key, text string) (recordField, error) {
	if !strings.Contains(text, "{{") {
		return recordField{path: strings.TrimSpace(text)}, nil
	}
	return parseRecordTemplate(key, text)
}

// parseRecordTemplate compiles text as a template, so that text without
// actions is a literal: tags and category titles are never paths.
func parseRecordTemplate(key, text string) (recordField, error) {
	t, err := template.New(key).Funcs(recordFuncs()).Option("missingkey=zero").Parse(text)
	if err != nil {
		return recordField{}, fmt.Errorf("%s: invalid template: %w", key, err)
	}
	return recordField{tmpl: t}, nil
}

// parseURLField is parseRecordField for a value that is a URL: a
// template's values are escaped for where they stand (see package
// urltemplate), and its Shape tells whether its origin is literal.
func parseURLField(key, text string) (recordField, urltemplate.Shape, error) {
	if !strings.Contains(text, "{{") {
		return recordField{path: strings.TrimSpace(text)}, urltemplate.Shape{}, nil
	}
	f, err := parseRecordTemplate(key, text)
	if err != nil {
		return recordField{}, urltemplate.Shape{}, err
	}
	shape, err := urltemplate.Escape(f.tmpl)
	if err != nil {
		return recordField{}, urltemplate.Shape{}, fmt.Errorf("%s: invalid template: %w", key, err)
	}
	return f, shape, nil
}

// recordFuncs are slug.Funcs with arguments of any type (a record's
// values are numbers and nulls as often as strings, and a template should
// not fail on {{pinyin .code}} because code is 42), and urltemplate's.
func recordFuncs() template.FuncMap {
	fm := urltemplate.Funcs()
	for name, f := range slug.Funcs() {
		if g, ok := f.(func(string) string); ok {
			fm[name] = func(v any) string { return g(recordText(v)) }
		} else {
			fm[name] = f
		}
	}
	return fm
}

// recordText prints a decoded JSON value as a template would, with null
// as "".
func recordText(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// value returns the field's text in r, trimmed; "" when the path is
// missing or null.
func (f recordField) value(r *record) (string, error) {
	if f.tmpl == nil {
		if f.path == "" {
			return "", nil
		}
		return jsonText(r.raw.Get(f.path)), nil
	}
	data, err := r.decoded()
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := f.tmpl.Execute(&b, data); err != nil {
		return "", err
	}
	// text/template prints a missing key or a null of a map[string]any
	// as "<no value>" even with missingkey=zero; no feed wants that text.
	out := strings.ReplaceAll(b.String(), "<no value>", "")
	return strings.ToValidUTF8(strings.TrimSpace(out), "\uFFFD"), nil
}

// jsonText is a gjson result as text: a string unescaped, a number as
// written, an object or array as its JSON, null or missing as "".
func jsonText(v gjson.Result) string {
	var s string
	switch v.Type {
	case gjson.Null:
		return ""
	case gjson.Number:
		s = v.Raw
	default:
		s = v.String()
	}
	return strings.ToValidUTF8(strings.TrimSpace(s), "\uFFFD")
}

// record is one element of the items array.
type record struct {
	raw  gjson.Result
	data any
	err  error
	done bool
}

// decoded returns the record as templates see it: objects as
// map[string]any, numbers as json.Number so they print as written.
func (r *record) decoded() (any, error) {
	if !r.done {
		r.done = true
		dec := json.NewDecoder(strings.NewReader(r.raw.Raw))
		dec.UseNumber()
		if r.err = dec.Decode(&r.data); r.err != nil {
			r.err = fmt.Errorf("decode record: %w", r.err)
		}
	}
	return r.data, r.err
}

// recordMapper turns records into articles by a source's fields, tags
// and templated category.
type recordMapper struct {
	id, title, link, published, updated, author, summary, content, image recordField
	derive                                                               itemTemplates
	loc                                                                  *time.Location
}

// itemTemplates derive an item's tags and its category from its fields;
// the json and html sources share them.
type itemTemplates struct {
	tags []recordField
	// category and categoryTitle are set only for a templated category;
	// a declared one is filed by the collect stage.
	category, categoryTitle *recordField
}

// parseItemTemplates compiles cfg's tags and templated category; errors
// name the configuration key.
func parseItemTemplates(cfg config.Source) (itemTemplates, error) {
	var t itemTemplates
	var errs []error
	parse := func(key, text string) recordField {
		rf, err := parseRecordTemplate(key, text)
		errs = append(errs, err)
		return rf
	}
	for i, tag := range cfg.Tags {
		t.tags = append(t.tags, parse(fmt.Sprintf("tags[%d]", i), tag))
	}
	if cfg.Category.Templated() {
		id, title := parse("category.id", cfg.Category.ID), parse("category.title", cfg.Category.Title)
		t.category, t.categoryTitle = &id, &title
	}
	return t, errors.Join(errs...)
}

// none says there are no templates to apply.
func (t itemTemplates) none() bool { return len(t.tags) == 0 && t.category == nil }

// apply adds r's rendered tags to a and files it in r's templated
// category, returning that category's title ("" without one). The id is
// passed through slug.Make so it is always a safe path segment; one that
// renders to nothing usable is an error: the item would be in no feed.
func (t itemTemplates) apply(r *record, a *article.Article) (string, error) {
	for _, f := range t.tags {
		tag, err := f.value(r)
		if err != nil {
			return "", err
		}
		if tag != "" && !slices.Contains(a.Tags, tag) {
			a.Tags = append(a.Tags, tag)
		}
	}
	if t.category == nil {
		return "", nil
	}
	name, err := t.category.value(r)
	if err != nil {
		return "", err
	}
	title, err := t.categoryTitle.value(r)
	if err != nil {
		return "", err
	}
	id := slug.Make(name)
	if id == "" {
		return "", fmt.Errorf("category.id gives no usable id (from %q)", name)
	}
	a.Categories = []string{id}
	if title == "" {
		title = name
	}
	return title, nil
}

// newRecordMapper compiles cfg's fields, tags and category; errors name
// the configuration key.
func newRecordMapper(cfg config.Source, loc *time.Location) (*recordMapper, error) {
	m := &recordMapper{loc: loc}
	f := cfg.Fields
	var errs []error
	parse := func(dst *recordField, key, text string) {
		var rf recordField
		var err error
		if key == "fields.link" || key == "fields.image" {
			rf, _, err = parseURLField(key, text)
		} else {
			rf, err = parseRecordField(key, text)
		}
		errs = append(errs, err)
		*dst = rf
	}
	for _, x := range []struct {
		dst       *recordField
		key, text string
	}{
		{&m.id, "fields.id", f.ID}, {&m.title, "fields.title", f.Title}, {&m.link, "fields.link", f.Link},
		{&m.published, "fields.published", f.Published}, {&m.updated, "fields.updated", f.Updated},
		{&m.author, "fields.author", f.Author}, {&m.summary, "fields.summary", f.Summary},
		{&m.content, "fields.content", f.Content}, {&m.image, "fields.image", f.Image},
	} {
		parse(x.dst, x.key, x.text)
	}
	var err error
	m.derive, err = parseItemTemplates(cfg)
	errs = append(errs, err)
	return m, errors.Join(errs...)
}

// article maps r; it also returns r's category title ("" without a
// templated category). A record without a title is an error.
func (m *recordMapper) article(r *record) (article.Article, string, error) {
	a, err := m.fields(r)
	if err != nil {
		return article.Article{}, "", err
	}
	title, err := m.derive.apply(r, &a)
	if err != nil {
		return article.Article{}, "", err
	}
	return a, title, nil
}

// fields reads the article's fields from r.
func (m *recordMapper) fields(r *record) (article.Article, error) {
	var a article.Article
	var err error
	// The title first: a record without one is skipped for that, not for
	// whatever else it lacks.
	if a.Title, err = m.title.value(r); err != nil {
		return article.Article{}, err
	}
	if a.Title == "" {
		return article.Article{}, errors.New("no title")
	}
	var id, pub, upd string
	for _, x := range []struct {
		f   recordField
		dst *string
	}{
		{m.id, &id}, {m.link, &a.Link}, {m.published, &pub}, {m.updated, &upd},
		{m.author, &a.Author}, {m.summary, &a.Summary}, {m.content, &a.Content}, {m.image, &a.Image},
	} {
		if *x.dst, err = x.f.value(r); err != nil {
			return article.Article{}, err
		}
	}
	a.ID = article.StableID(id, a.Link, a.Title, a.Content)
	a.Published, a.Updated = recordDate(pub, m.loc), recordDate(upd, m.loc)
	return a, nil
}

// recordDate reads s as datetime.Parse does, and any other positive
// number as Unix seconds, or milliseconds when it is too large for
// seconds. An unreadable date is zero: the store then uses the time it
// first saw the article.
func recordDate(s string, loc *time.Location) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := datetime.Parse(s, loc); err == nil {
		return t
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 || n >= 1e15 || math.IsNaN(n) {
		return time.Time{}
	}
	if n >= 1e11 { // year 5138 in seconds: this is milliseconds
		return time.UnixMilli(int64(n)).In(loc)
	}
	sec, frac := math.Modf(n)
	return time.Unix(int64(sec), int64(frac*1e9)).In(loc)
}
