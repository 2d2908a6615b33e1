package sources

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/feedsmith/feedsmith/config"
)

// Check runs what the sources of cfg would do with their templates, without
// the network: every template of a json or html source (fields, tags, a
// derived category, a detail URL) is compiled as the source compiles it
// and executed on an empty record. A template that fails there fails on
// every record: a function given the wrong number of arguments, an
// undefined template. Failures that only a missing field causes
// ({{.data.id}} on a record without data) are left for the records to
// show, one skipped item at a time.
func Check(cfg *config.Config) config.Problems {
	var ps config.Problems
	for i, s := range cfg.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		for _, f := range recordTemplates(s) {
			if err := f.field.execEmpty(); err != nil {
				msg := execPrefix.ReplaceAllString(err.Error(), "")
				ps = append(ps, cfg.Problem(key+"."+f.key, "template fails on every record: "+msg))
			}
		}
	}
	return ps
}

// execPrefix is what text/template puts before where and why an
// execution failed; the key names the template already.
var execPrefix = regexp.MustCompile(`^template: .*?: executing ".*?" `)

// keyedField is a compiled template and the configuration key it is at.
type keyedField struct {
	key   string
	field recordField
}

// recordTemplates compiles the templates of s as its source does; those
// that do not compile are left out (the configuration refuses them).
func recordTemplates(s config.Source) []keyedField {
	var out []keyedField
	add := func(key string, f recordField, err error) {
		if err == nil && f.tmpl != nil {
			out = append(out, keyedField{key, f})
		}
	}
	parse := func(key, text string) {
		f, err := parseRecordTemplate(key, text)
		add(key, f, err)
	}
	switch s.Type {
	case "json":
		fs := s.Fields
		for _, x := range []struct{ key, text string }{
			{"fields.id", fs.ID}, {"fields.title", fs.Title}, {"fields.published", fs.Published}, {"fields.updated", fs.Updated},
			{"fields.author", fs.Author}, {"fields.summary", fs.Summary}, {"fields.content", fs.Content},
		} {
			f, err := parseRecordField(x.key, x.text)
			add(x.key, f, err)
		}
		for _, x := range []struct{ key, text string }{{"fields.link", fs.Link}, {"fields.image", fs.Image}} {
			f, _, err := parseURLField(x.key, x.text)
			add(x.key, f, err)
		}
		if s.Detail != nil && strings.TrimSpace(s.Detail.URL) != "" {
			f, _, err := parseURLField("detail.url", s.Detail.URL)
			add("detail.url", f, err)
		}
	case "html", "feed":
	default:
		return nil
	}
	for i, tag := range s.Tags {
		parse(fmt.Sprintf("tags[%d]", i), tag)
	}
	if s.Category.Templated() {
		parse("category.id", s.Category.ID)
		parse("category.title", s.Category.Title)
	}
	return out
}

// execEmpty executes the template on an empty record, as the json, html
// and feed sources would on a record with none of the fields it names. An
// error that comes only from a missing value is not reported.
func (f recordField) execEmpty() error {
	_, err := f.value(&record{data: map[string]any{}, done: true})
	if err == nil || missingValue(err) {
		return nil
	}
	return err
}

// missingValueErrors are text/template's words for an action that
// failed on a missing (nil) value: a field of a missing object, an index
// or a slice of one, a comparison with one.
var missingValueErrors = []string{
	"nil pointer evaluating", "of untyped nil", "of nil pointer", "nil is not a command",
	"incompatible types for comparison", "invalid type for comparison", "can't compare", "on zero Value",
}

func missingValue(err error) bool {
	msg := err.Error()
	for _, s := range missingValueErrors {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// CheckPaths checks the local files and folders the sources of cfg read:
// a posts source's folder, and the file of a feed, html or json source
// whose url is a path or a file:// URL, found as the fetcher finds it.
// Each must exist and be of the right kind.
func CheckPaths(cfg *config.Config) config.Problems {
	var ps config.Problems
	for i, s := range cfg.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		switch s.Type {
		case "posts":
			if s.Path != "" {
				if msg := pathProblem(s.Path, true); msg != "" {
					ps = append(ps, cfg.Problem(key+".path", msg))
				}
			}
		case "feed", "html", "json":
			if path, ok := localPath(s.URL); ok && s.URL != "" {
				if msg := pathProblem(path, false); msg != "" {
					ps = append(ps, cfg.Problem(key+".url", msg))
				}
			}
		}
	}
	return ps
}

// pathProblem says what is wrong with path as a folder (dir) or a file
// to read; "" when nothing is.
func pathProblem(path string, dir bool) string {
	what := "file"
	if dir {
		what = "folder"
	}
	fi, err := os.Stat(path)
	switch {
	case os.IsNotExist(err):
		return fmt.Sprintf("%s %s does not exist", what, path)
	case err != nil:
		return fmt.Sprintf("%s %s: %v", what, path, withoutPath(err))
	case dir && !fi.IsDir():
		return fmt.Sprintf("%s is a file, not a folder of posts", path)
	case !dir && fi.IsDir():
		return fmt.Sprintf("%s is a folder, not a file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("%s %s cannot be read: %v", what, path, withoutPath(err))
	}
	f.Close()
	return ""
}
