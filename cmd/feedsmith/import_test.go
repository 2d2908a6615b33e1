package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// importedConfig is a configuration made of what import printed, pasted
// after the keys a configuration needs besides.
func importedConfig(t *testing.T, dir, imported string) string {
	t.Helper()
	return putFile(t, dir, "imported.yaml", "site: {title: Imported, base_url: https://feeds.example.org/}\n"+
		"store: {path: data/db.sqlite}\noutput: {dir: public, all: {title: Everything}}\n"+imported)
}

// TestImportReaderExport imports a feed reader's export with the odd
// cases of the wild on the real binary: the YAML is the golden one, what
// was left out is on stderr naming the file, line and outline, and the
// YAML pasted into a configuration passes check.
func TestImportReaderExport(t *testing.T) {
	src := filepath.Join("testdata", "import", "reader-export.opml")
	code, out, errs := runBinary(t, "", nil, nil, "import", src)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	for _, g := range []struct{ name, got string }{{"reader-export.yaml", out}, {"reader-export.stderr", errs}} {
		golden := filepath.Join("testdata", "import", g.name)
		if *update {
			if err := os.WriteFile(golden, []byte(g.got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if g.got != string(want) {
			t.Errorf("%s differs (go test -update to accept):\n%s", g.name, g.got)
		}
	}
	var doc struct {
		Categories []struct{ ID, Title string }
		Sources    []struct{ ID, Type, URL, Category string }
	}
	if err := yaml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Sources) != 7 || len(doc.Categories) != 4 {
		t.Errorf("%d sources and %d categories, want 7 and 4:\n%s", len(doc.Sources), len(doc.Categories), out)
	}
	for _, want := range []string{`:24: outline "Private"`, `:25: outline "Local file"`, `:18: outline "Go blog again"`} {
		if !strings.Contains(errs, src+want) {
			t.Errorf("stderr lacks %q:\n%s", src+want, errs)
		}
	}
	dir := t.TempDir()
	cfg := importedConfig(t, dir, out)
	if code, out, errs := runBinary(t, dir, nil, []string{"HOME=/should/not/appear"}, "check", cfg); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("check of the imported configuration: exit %d\n%s%s", code, out, errs)
	}
}

// TestImportOwnOPML: the feeds.opml a build of the shipped examples
// writes, imported from standard input, gives a source for each of its
// category feeds, and pasted into a configuration passes check.
func TestImportOwnOPML(t *testing.T) {
	dir, cfg := shippedConfig(t)
	if code, out, errs := runBinary(t, dir, nil, nil, "build", cfg); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, out, errs)
	}
	opml, err := os.Open(filepath.Join(dir, "public", "feeds.opml"))
	if err != nil {
		t.Fatal(err)
	}
	defer opml.Close()
	code, out, errs := runBinary(t, dir, opml, nil, "import", "-")
	if code != 0 || errs != "" {
		t.Fatalf("import -: exit %d\n%s%s", code, out, errs)
	}
	for _, cat := range []string{"rizhaoribao", "haibin", "engineering", "releases", "lanshan", "databases", "juxianrongmei", "rizhaowanbao", "all"} {
		if !strings.Contains(out, "url: http://127.0.0.1:8080/feeds/"+cat+".atom\n") {
			t.Errorf("no source for the %s feed:\n%s", cat, out)
		}
	}
	for _, want := range []string{"- id: rizhaoribaoxinwen # 日照日报新闻\n", "from standard input (feedsmith 示例站 / example site)"} {
		if !strings.Contains(out, want) {
			t.Errorf("import lacks %q:\n%s", want, out)
		}
	}
	if code, out, errs := runBinary(t, dir, nil, nil, "check", importedConfig(t, dir, out)); code != 0 {
		t.Errorf("check of the imported configuration: exit %d\n%s%s", code, out, errs)
	}
}

// TestImportRefuses: what is not an OPML list of feeds fails, exit 1,
// naming the file and why.
func TestImportRefuses(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, body, want string }{
		{"a feed", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, "feed.opml: line 1: not an OPML document: the root element is <rss>, not <opml>"},
		{"no feeds", `<opml version="2.0"><body><outline text="Empty folder"/></body></opml>`, "feed.opml lists no feed"},
		{"too large", "<opml><body>" + strings.Repeat(" ", 8<<20) + "</body></opml>", "larger than 8 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			putFile(t, dir, "feed.opml", tt.body)
			code, out, errs := runBinary(t, dir, nil, nil, "import", "feed.opml")
			if code != 1 || out != "" || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, out, errs, tt.want)
			}
		})
	}
	if code, _, errs := runBinary(t, dir, nil, nil, "import", "missing.opml"); code != 1 || !strings.Contains(errs, "missing.opml: no such file") {
		t.Errorf("a missing file: exit %d %q", code, errs)
	}
}
