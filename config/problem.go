package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a configuration file, with the YAML line
// and key it concerns.
type Problem struct {
	File string
	Line int    // 0 when unknown
	Key  string // e.g. "sources[2] (blog).url"; "" for the whole file
	Msg  string
	// Warning marks a problem that does not stop the configuration from
	// working: check prints it and still succeeds.
	Warning bool
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Warning {
		b.WriteString("warning: ")
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	// One problem, one line: a value quoted in the message may hold
	// line breaks.
	b.WriteString(strings.ReplaceAll(p.Msg, "\n", `\n`))
	return b.String()
}

// Problems is the error Load returns: every problem found, in file order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Errors returns the problems that are not warnings.
func (ps Problems) Errors() Problems {
	var errs Problems
	for _, p := range ps {
		if !p.Warning {
			errs = append(errs, p)
		}
	}
	return errs
}

// Sort puts the problems in file order, keeping the order of those on
// one line.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}

// origin is where a loaded configuration came from: its file, the line
// of each key, and the ids that name its sources and categories in
// problems.
type origin struct {
	file  string
	lines map[string]int    // key path → line
	ids   map[string]string // "sources[5]" → "releases"
}

// Problem returns a problem with key of c ("sources[2].url"), on the
// key's line in c's file, or the line of the nearest enclosing key that
// the file has. A source or category is named by its id as well as its
// index: "sources[2] (blog).url".
func (c *Config) Problem(key, msg string) Problem {
	o := c.origin
	if o == nil {
		o = &origin{}
	}
	return Problem{File: o.file, Line: o.lineOf(key), Key: o.label(key), Msg: msg}
}

// Warning is Problem for a warning.
func (c *Config) Warning(key, msg string) Problem {
	p := c.Problem(key, msg)
	p.Warning = true
	return p
}

func (o *origin) lineOf(key string) int {
	for k := key; k != ""; {
		if n, ok := o.lines[k]; ok {
			return n
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

var indexedKey = lazyRegexp(`^(sources|categories)\[\d+\]`)

// label adds the id of the source or category that key is under.
func (o *origin) label(key string) string {
	head := indexedKey().FindString(key)
	id := o.ids[head]
	if id == "" {
		return key
	}
	if !SlugPattern.MatchString(id) {
		if r := []rune(id); len(r) > 40 {
			id = string(r[:39]) + "…"
		}
		id = strconv.Quote(id)
	}
	return fmt.Sprintf("%s (%s)%s", head, id, key[len(head):])
}

// setIDs records the ids of c's sources and categories, as decoded.
func (o *origin) setIDs(c *Config) {
	o.ids = map[string]string{}
	for i, s := range c.Sources {
		o.ids[fmt.Sprintf("sources[%d]", i)] = s.ID
	}
	for i, cat := range c.Categories {
		o.ids[fmt.Sprintf("categories[%d]", i)] = cat.ID
	}
}
