package config

import (
	"fmt"
	"strings"
)

// gjsonPaths returns a json source's values that are gjson paths, by
// key: items, the fields that are not templates, and detail.content.
func (s *Source) gjsonPaths() map[string]string {
	if s.Type != "json" {
		return nil
	}
	paths := map[string]string{"items": s.Items}
	f := s.Fields
	for k, v := range map[string]string{"id": f.ID, "title": f.Title, "link": f.Link, "published": f.Published, "updated": f.Updated,
		"author": f.Author, "summary": f.Summary, "content": f.Content, "image": f.Image} {
		if !strings.Contains(v, "{{") {
			paths["fields."+k] = v
		}
	}
	if s.Detail != nil {
		paths["detail.content"] = s.Detail.Content
	}
	for k, v := range paths {
		if paths[k] = strings.TrimSpace(v); paths[k] == "" {
			delete(paths, k)
		}
	}
	return paths
}

// extractorProblems checks what a source extracts its items with: the
// gjson paths of a json source, the CSS selectors of an html source and
// of a detail step on pages (html and feed sources), compiled as the
// sources compile them.
func (s *Source) extractorProblems() []pending {
	var ps []pending
	paths := s.gjsonPaths()
	for _, key := range sortedKeys(paths) {
		if err := CheckPath(paths[key]); err != nil {
			ps = append(ps, pending{key, fmt.Sprintf("invalid gjson path %q: %v", paths[key], err)})
		}
	}
	if s.Type == "html" {
		if strings.TrimSpace(s.Select.Item) != "" {
			if _, err := CompileSelector(s.Select.Item); err != nil {
				ps = append(ps, pending{"select.item", err.Error()})
			}
		}
		sel := s.Select
		for _, f := range []struct{ key, spec string }{
			{"title", sel.Title}, {"link", sel.Link}, {"date", sel.Date}, {"summary", sel.Summary}, {"image", sel.Image},
		} {
			if _, _, err := ParseFieldSelector(f.spec); err != nil {
				ps = append(ps, pending{"select." + f.key, err.Error()})
			}
		}
	}
	if d := s.Detail; d != nil && (s.Type == "html" || s.Type == "feed") {
		if spec := strings.TrimSpace(d.Content); spec != "" && spec != "readability" {
			if _, err := CompileSelector(spec); err != nil {
				ps = append(ps, pending{"detail.content", err.Error()})
			}
		}
	}
	return ps
}
