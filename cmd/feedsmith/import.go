package main

import (
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
	var cats, srcs []*yaml.Node
	for _, f := range feeds {
		category := ""
		if len(f.Folders) > 0 {
			path := strings.Join(f.Folders, " / ")
			if category = folderID[path]; category == "" {
				category = catIDs.make(slug.Make(strings.Join(f.Folders, " ")), "category")
				folderID[path] = category
				cats = append(cats, mapping("id", category, "title", inert(path)))
			}
		}
		id := srcIDs.make(slug.Make(f.Title), hostSlug(f.URL))
		src := mapping("id", id, "type", "feed", "url", f.URL, "site_url", f.SiteURL, "category", category)
		if f.Title != "" {
			src.Content[1].LineComment = f.Title
		}
		srcs = append(srcs, src)
	}
	what := fmt.Sprintf("%d feeds", len(srcs))
	if len(cats) > 0 {
		what += fmt.Sprintf(" in %d categories", len(cats))
	}
	from := name
	if title != "" {
		from += fmt.Sprintf(" (%s)", opml.Clean(title))
	}
	root := &yaml.Node{Kind: yaml.MappingNode,
		HeadComment: fmt.Sprintf("%s from %s, by feedsmith import.\nPaste into config.yaml, beside its own categories and sources.", what, from)}
	if len(cats) > 0 {
		root.Content = append(root.Content, scalar("categories"), &yaml.Node{Kind: yaml.SequenceNode, Content: cats})
	}
	root.Content = append(root.Content, scalar("sources"), &yaml.Node{Kind: yaml.SequenceNode, Content: srcs})
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("write YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write YAML: %w", err)
	}
	return []byte(b.String()), nil
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
