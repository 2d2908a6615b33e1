package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/opml"
	"github.com/feedsmith/feedsmith/slug"
)

const importAbout = `
Read a feed reader's or aggregator's OPML export (OPML 1.0 or 2.0; "-"
reads standard input) and print its feeds as YAML to paste into
config.yaml: a source of type feed for each feed (url from xmlUrl,
site_url from htmlUrl, the title as a comment), and a category for each
folder that holds feeds, in which its feeds are filed. A folder inside
folders is one category named by the path ("Tech / Go", id tech-go).
Ids are slugs of the titles (pinyin for Chinese), made unique with -2,
-3. Outlines left out (not http or https, a user name or password in the
URL, a feed listed twice) are listed on standard error.

Exit status: 0 when feeds were printed, 1 when FILE cannot be read, is
not OPML or lists no feed, 2 for a usage error.`

func runImport(_ context.Context, args []string, stdout, stderr io.Writer) int {
	cl := newCommandLine("import", importAbout)
	file := cl.arg("FILE", `the OPML file, or "-" for standard input`, true)
	if code, ok := cl.parse(args, stdout, stderr); !ok {
		return code
	}
	name, in := *file, io.Reader(os.Stdin)
	if name == "-" {
		name = "standard input"
	} else {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "feedsmith import: %v\n", err)
			return 1
		}
		defer f.Close()
		in = f
	}
	doc, err := opml.Parse(in)
	if err != nil {
		fmt.Fprintf(stderr, "feedsmith import: %s: %v\n", name, err)
		return 1
	}
	feeds, problems := doc.Feeds()
	for _, p := range problems {
		fmt.Fprintf(stderr, "%s:%d: outline %q: %s\n", name, p.Line, p.Outline, p.Msg)
	}
	if len(feeds) == 0 {
		fmt.Fprintf(stderr, "feedsmith import: %s lists no feed\n", name)
		return 1
	}
	out, err := importYAML(name, doc.Title, feeds)
	if err == nil {
		_, err = stdout.Write(out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "feedsmith import: %v\n", err)
		return 1
	}
	return 0
}

// importYAML renders feeds as the categories and sources of a
// configuration, with a comment saying where they came from.
func importYAML(name, title string, feeds []opml.Feed) ([]byte, error) {
	catIDs := newIDs("all") // the usual id of the "all" feed
	srcIDs := newIDs()
	folderID := map[string]string{}
	var cats [][]string // id, title
	categories := make([]string, len(feeds))
	ids := make([]string, len(feeds))
	for i, f := range feeds {
		if len(f.Folders) > 0 {
			path := strings.Join(f.Folders, " / ")
			if categories[i] = folderID[path]; categories[i] == "" {
				categories[i] = catIDs.make(slug.Make(strings.Join(f.Folders, " ")), "category")
				folderID[path] = categories[i]
				cats = append(cats, []string{"id", categories[i], "title", inert(path)})
			}
		}
		ids[i] = srcIDs.make(slug.Make(f.Title), hostSlug(f.URL))
	}
	what := plural(len(feeds), "feed")
	if len(cats) > 0 {
		what += " in " + strings.Replace(plural(len(cats), "category"), "categorys", "categories", 1)
	}
	from := name
	if title != "" {
		from += fmt.Sprintf(" (%s)", opml.Clean(title))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s from %s, by feedsmith import.\n# Paste into config.yaml, beside its own categories and sources.\n", what, from)
	err := writeList(&b, "categories", len(cats), func(i int) *yaml.Node { return mapping(cats[i]...) })
	if err != nil {
		return nil, err
	}
	err = writeList(&b, "sources", len(feeds), func(i int) *yaml.Node {
		f := feeds[i]
		src := mapping("id", ids[i], "type", "feed", "url", f.URL, "site_url", f.SiteURL, "category", categories[i])
		src.Content[1].LineComment = f.Title // sources have no title key
		return src
	})
	return b.Bytes(), err
}

// writeList writes key and its list of n mappings, item(i) the i-th, as
// a configuration has them ("  - id: …"). Each is encoded on its own:
// all of them as one YAML document would take memory a hundred times
// the size of a large export.
func writeList(b *bytes.Buffer, key string, n int, item func(i int) *yaml.Node) error {
	if n == 0 {
		return nil
	}
	b.WriteString(key + ":\n")
	var one bytes.Buffer
	for i := range n {
		one.Reset()
		enc := yaml.NewEncoder(&one)
		enc.SetIndent(2)
		if err := enc.Encode(item(i)); err != nil {
			return fmt.Errorf("write YAML: %w", err)
		}
		if err := enc.Close(); err != nil {
			return fmt.Errorf("write YAML: %w", err)
		}
		for j, line := range strings.Split(strings.TrimSuffix(one.String(), "\n"), "\n") {
			if j == 0 {
				b.WriteString("  - ")
			} else {
				b.WriteString("    ")
			}
			b.WriteString(line + "\n")
		}
	}
	return nil
}

// ids hands out unique ids: a taken one gets -2, -3, ...
type ids map[string]bool

func newIDs(reserved ...string) ids {
	taken := ids{}
	for _, id := range reserved {
		taken[id] = true
	}
	return taken
}

// make returns base, else fallback, made unique and valid as an id.
func (taken ids) make(base, fallback string) string {
	if !config.SlugPattern.MatchString(base) {
		base = fallback
	}
	id := base
	for n := 2; taken[id]; n++ {
		suffix := "-" + strconv.Itoa(n)
		id = strings.TrimRight(base[:min(len(base), slug.MaxLen-len(suffix))], "-") + suffix
	}
	taken[id] = true
	return id
}

// hostSlug is the id of a feed without a usable title: its host's.
func hostSlug(feedURL string) string {
	u, err := url.Parse(feedURL)
	if err != nil {
		return "feed"
	}
	if s := slug.Make(strings.TrimPrefix(u.Hostname(), "www.")); config.SlugPattern.MatchString(s) {
		return s
	}
	return "feed"
}

// envRef is how a configuration names an environment variable, which
// loading it replaces in every value (config.Load).
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// inert keeps a name from an OPML file from naming an environment
// variable in the configuration: "${HOME}" would be replaced by its value
// on the published pages, or refuse the configuration when unset.
func inert(s string) string {
	return envRef.ReplaceAllString(s, "$$ {$1}")
}

// scalar is a string, quoted where YAML would read it as something else
// ("null", "yes", "1.0").
func scalar(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}

// mapping builds a YAML mapping of key, value pairs, leaving out the
// empty values.
func mapping(kv ...string) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			m.Content = append(m.Content, scalar(kv[i]), scalar(kv[i+1]))
		}
	}
	return m
}
