package sources

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/internal/corpus"
	"github.com/feedsmith/feedsmith/normalize"
)

// newMarkdown is goldmark as newPosts configures it.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
}

func renderMarkdown(tb testing.TB, md goldmark.Markdown, s string) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := md.Convert([]byte(s), &buf); err != nil {
		tb.Fatalf("render %q: %v", s, err)
	}
	return buf.String()
}

// checkPrefix fails unless markdownPrefix's answer for body keeps its
// contract: a whole answer is body itself; a cut one is a proper prefix
// of body holding minRunes letters or digits, whose rendering is the
// start of body's, the rest rendering as the rest.
func checkPrefix(tb testing.TB, md goldmark.Markdown, body string, minRunes int, prefix string, whole bool) {
	tb.Helper()
	if whole {
		if prefix != body {
			tb.Fatalf("markdownPrefix(%q, %d): whole, but prefix %q is not the body", body, minRunes, prefix)
		}
		return
	}
	if !strings.HasPrefix(body, prefix) || len(prefix) == len(body) {
		tb.Fatalf("markdownPrefix(%q, %d) = %q: not a proper prefix", body, minRunes, prefix)
	}
	if n := countWordRunes(prefix); n < max(minRunes, 1) {
		tb.Fatalf("markdownPrefix(%q, %d) = %q: %d letters or digits", body, minRunes, prefix, n)
	}
	all, head := renderMarkdown(tb, md, body), renderMarkdown(tb, md, prefix)
	if !strings.HasPrefix(all, head) {
		tb.Fatalf("markdownPrefix(%q, %d) = %q renders\n%q\nnot a prefix of\n%q", body, minRunes, prefix, head, all)
	}
	if tail := renderMarkdown(tb, md, body[len(prefix):]); head+tail != all {
		tb.Fatalf("markdownPrefix(%q, %d) = %q: not at a block boundary: the rest renders\n%q\nnot\n%q",
			body, minRunes, prefix, tail, all[len(head):])
	}
}

func TestMarkdownPrefix(t *testing.T) {
	md := newMarkdown()
	const whole = "(whole)"
	for _, tc := range []struct {
		name     string
		body     string
		minRunes int
		want     string // the prefix, or whole
	}{
		{"paragraphs", "Hello world.\n\nSecond para.\n", 5, "Hello world.\n\n"},
		{"more runes than the first block", "Hello world.\n\nSecond para.\n\nThird.\n", 12, "Hello world.\n\nSecond para.\n\n"},
		{"runes only in the last block", "Hello.\n\nworld\n", 6, whole},
		{"below one is one", "\n\nab\n\ncd\n", 0, "\n\nab\n\n"},
		{"cjk counts", "中文字\n\n后面\n", 3, "中文字\n\n"},
		{"punctuation does not count", "中，文。\n\n后面\n", 3, whole},
		{"several blank lines", "abc\n\n \n\t\nnext\n", 1, "abc\n\n \n\t\n"},
		{"no blank line", "abc\ndef\nghi\n", 1, whole},
		{"crlf", "abc\r\n\r\nnext\r\n", 1, "abc\r\n\r\n"},
		{"stray carriage return", "a\rb\n\nnext\n", 1, whole},
		{"stray carriage return after the cut", "ab\n\nnext\rx\n", 1, "ab\n\n"},
		{"heading", "## Title\n\ntext\n", 1, "## Title\n\n"},

		{"reference definition", "[a]\n\ntext\n\n[a]: /u\n", 1, whole},
		{"colon after a bracket", "see [x]: y\n\ntext\n", 1, whole},
		{"footer", "正文。\n\n后来。\n\n[返回首页](//news.example.org/)\n", 1, whole},

		{"raw html first", "a <b>x</b>\n\nnext\n", 1, whole},
		{"autolink first", "see <http://a.example/>\n\nnext\n", 1, whole},
		{"less-than first", "a < b\n\nnext\n", 1, whole},
		{"html after the cut", "abc\n\n<div>x</div>\n", 1, "abc\n\n"},
		{"html after enough", "abc\n\ndef\n\n<p>x\n\n</p>\n", 1, "abc\n\n"},
		{"html before enough", "abc\n\n<div>x\n\ny</div>\n\nz\n", 5, whole},

		{"indented code next", "abc\n\n    code\n", 1, whole},
		{"after indented code", "abc\n\n    code\n\n    more\n\nnext\n", 1, "abc\n\n    code\n\n    more\n\n"},
		{"tab next", "abc\n\n\tcode\n\nnext\n", 1, "abc\n\n\tcode\n\n"},
		{"bullet next", "- a\n\n- b\n\nafter\n", 1, "- a\n\n- b\n\n"},
		{"plus and star next", "+ a\n\n+ b\n\n* c\n\n* d\n\nafter\n", 1, "+ a\n\n+ b\n\n* c\n\n* d\n\n"},
		{"ordered next", "1. a\n\n2. b\n\nc\n", 1, "1. a\n\n2. b\n\n"},
		{"ordered paren next", "1) a\n\n2)\n\nc\n", 1, "1) a\n\n2)\n\n"},
		{"list continuation", "- a\n\n  more of a\n\nafter\n", 1, "- a\n\n  more of a\n\n"},
		{"digits are no marker", "x\n\n3.14 is pi\n", 1, "x\n\n"},
		{"year is no marker", "x\n\n2024年\n", 1, "x\n\n"},
		{"blockquote next", "> a\n\n> b\n\nc\n", 1, "> a\n\n> b\n\n"},
		{"setext underline next", "a\n\n===\n\nb\n", 1, "a\n\n===\n\n"},
		{"dash line next", "a\n\n---\n\nb\n", 1, "a\n\n---\n\n"},
		{"table rows next", "a | b\n--|--\n1 | 2\n\n| c |\n\n:-\n\nd\n", 1, "a | b\n--|--\n1 | 2\n\n| c |\n\n:-\n\n"},
		{"table", "x\n\na | b\n--|--\n1 | 2\n", 1, "x\n\n"},

		{"fence", "```\ncode\n\nmore\n```\n\nafter\n", 1, whole},
		{"tilde fence", "~~~\ncode\n\nmore\n~~~\n\nafter\n", 1, whole},
		{"indented fence", "   ```\ncode\n\nmore\n```\n\nafter\n", 1, whole},
		{"fence in a list", "- ```\n  a\n\n  b\n\nafter\n", 1, whole},
		{"fence after the cut", "abc\n\n```\nx\n\ny\n```\n", 1, "abc\n\n"},
		{"strikethrough", "~~a~~ b\n\nc\n", 1, "~~a~~ b\n\n"},

		{"task list", "- [ ] a\n- [x] b\n\nc\n", 1, "- [ ] a\n- [x] b\n\n"},
		{"linkify", "see www.example.com\n\nand https://example.org/x\n", 1, "see www.example.com\n\n"},
		{"linkify at the ends", "https://example.org/a.\n\nfoo@example.com\n\nwww.example.com\n\nb\n", 1, "https://example.org/a.\n\n"},
		{"linkify email at the end", "x foo@example.com\n\nb\n", 3, "x foo@example.com\n\n"},
		{"hard break at the end", "a  \n\nb\\\n\nc\n", 1, "a  \n\n"},
		{"entity and escape", "&amp; \\* a\n\nb\n", 1, "&amp; \\* a\n\n"},
		{"emphasis over a blank line", "*a\n\nb*\n", 1, "*a\n\n"},
		{"code span over a blank line", "`a\n\nb`\n", 1, "`a\n\n"},
		{"link over a blank line", "[a\n\nb](/u)\n", 1, "[a\n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix, isWhole := markdownPrefix(tc.body, tc.minRunes)
			got := prefix
			if isWhole {
				got = whole
			}
			if got != tc.want {
				t.Errorf("markdownPrefix(%q, %d) = %q, want %q", tc.body, tc.minRunes, got, tc.want)
			}
			checkPrefix(t, md, tc.body, tc.minRunes, prefix, isWhole)
		})
	}
}

// Sentence pools as bench/corpus writes them (a main package, so not
// importable here).
// corpusBody is the body of post i of the bench corpus (bench/corpus):
// a heading, Chinese and English paragraphs, a list with a link, and in
// some posts a <strong> spanning two paragraphs; about 3,000 bytes.
func corpusBody(i int) string {
	_, data := benchCorpus.Post(i)
	_, body, ok := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
	if !ok {
		panic("corpus post without front matter")
	}
	return body
}

// benchCorpus generates the bench's posts.
var benchCorpus = func() *corpus.Generator {
	g, err := corpus.New(1, 50, corpus.DefaultEnd)
	if err != nil {
		panic(err)
	}
	return g
}()

// markdownSeeds are varied Markdown bodies: the table's shapes at
// length, news-mirror posts, and the Markdown posts of testdata.
func markdownSeeds(tb testing.TB) []string {
	tb.Helper()
	zh := strings.Repeat("日照市的春天来得比较晚，海边的风依然很冷。", 3)
	en := strings.Repeat("Feeds are plain XML, yet every reader parses them a little differently."+" ", 3)
	seeds := []string{
		corpusBody(0), corpusBody(3), corpusBody(7),
		"# " + zh + "\n\n" + en + "\n\n" + zh + "\n",
		"- " + en + "\n- " + zh + "\n\n" + zh + "\n\n- b\n",
		"- " + en + "\n\n- " + zh + "\n\n" + zh + "\n",
		"1. " + en + "\n2. " + zh + "\n\n3. c\n\n" + zh + "\n",
		"- a\n\n  " + en + "\n\n      code\n\n" + zh + "\n",
		"```go\n" + en + "\n\n" + zh + "\n```\n\n" + zh + "\n",
		"~~~\n" + en + "\n\n~~~\n\n" + zh + "\n",
		"| a | b |\n|---|:-:|\n| " + en + " | " + zh + " |\n\n" + zh + "\n\nx | y\n--|--\n",
		"> " + en + "\n>\n> " + zh + "\n\n" + zh + "\n\n> quote\n",
		en + "\n===\n\n" + zh + "\n---\n\n" + en + "\n\n***\n",
		"    " + en + "\n\n    " + zh + "\n\n" + zh + "\n",
		"[ref]\n\n" + en + "\n\n[ref]: https://example.org/ \"t\"\n",
		"*" + en + "\n\n" + zh + "*\n\n**" + zh + "**\n",
		"~~" + en + "~~\n\n- [ ] " + zh + "\n- [x] done\n\n" + en + "\n",
		en + "  \n" + zh + "\\\n\n&copy; &#20013; \\# " + en + "\n\n" + zh + "\n",
		"see www.example.com and https://example.org/a?b=c.\n\n" + zh + "\n\nfoo@example.com\n",
		"东港区今年计划新建便民市场3处。" + zh + "\n\n" + zh + "\n\nhttp://news.example.com/html_News/NewsShare.html?infoCode=NW2&x=1\n\n" +
			"[返回日照日报新闻](//news.example.org/category/rizhaoribao.html)｜[返回首页](//news.example.org/)\n",
		"<p>车站提醒旅客错峰出行。</p>\n\n" + zh + "\n\n<http://news.example.com/a>\n",
		zh + "\r\n\r\n" + en + "\r\n\r\n- a\r\n",
		zh + "\n\n<div>\n\n" + en + "\n\n</div>\n\n" + zh + "\n",
	}
	err := filepath.WalkDir("testdata/posts", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		data, err := os.ReadFile(path)
		seeds = append(seeds, string(data))
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return seeds
}

func FuzzMarkdownPrefix(f *testing.F) {
	for _, s := range markdownSeeds(f) {
		for _, m := range []int{1, 20, 400} {
			f.Add(s, m)
		}
	}
	md := newMarkdown()
	f.Fuzz(func(t *testing.T, body string, minRunes int) {
		if len(body) > 64<<10 {
			return // goldmark's time, not markdownPrefix's question
		}
		prefix, whole := markdownPrefix(body, minRunes)
		checkPrefix(t, md, body, minRunes, prefix, whole)
	})
}

// TestMarkdownPrefixSummary checks what the prefix is for: normalize
// takes the same summary from its rendering as from the whole body's,
// when its text is long enough for one.
func TestMarkdownPrefixSummary(t *testing.T) {
	md := newMarkdown()
	n := normalize.New(nil)
	summaryOf := func(html string) (summary string, textRunes int) {
		a := article.Article{Link: "https://example.org/post/", Content: html}
		n.Article(&a, "")
		return a.Summary, utf8.RuneCountInString(normalize.Text(a.Content))
	}
	check := func(body string, minRunes int) (cut, short bool, ratio float64) {
		prefix, whole := markdownPrefix(body, minRunes)
		if whole {
			return false, false, 1
		}
		want, _ := summaryOf(renderMarkdown(t, md, body))
		got, runes := summaryOf(renderMarkdown(t, md, prefix))
		if runes <= n.SummaryLen {
			return true, true, float64(len(prefix)) / float64(len(body))
		}
		if got != want {
			t.Errorf("body %q cut to %q (minRunes %d): summary\n%q\nwant\n%q", body, prefix, minRunes, got, want)
		}
		return true, false, float64(len(prefix)) / float64(len(body))
	}

	const bodies, minRunes = 300, 2 * 200
	cuts, shorts := 0, 0
	var ratios float64
	for i := range bodies {
		cut, short, ratio := check(corpusBody(i), minRunes)
		if cut {
			cuts++
			ratios += ratio
		}
		if short {
			shorts++
		}
	}
	t.Logf("corpus, minRunes %d: %d of %d bodies cut, prefixes %.1f%% of their bodies' bytes on average, %d too short for a summary",
		minRunes, cuts, bodies, 100*ratios/float64(max(cuts, 1)), shorts)
	// About a fifth of the corpus has raw HTML before the cut.
	if cuts < bodies/2 {
		t.Errorf("only %d of %d corpus bodies cut", cuts, bodies)
	}
	if shorts > 0 {
		t.Errorf("%d of %d corpus prefixes too short for a summary", shorts, cuts)
	}
	for _, s := range markdownSeeds(t) {
		for _, m := range []int{1, 20, 200, 400} {
			check(s, m)
		}
	}
}

func BenchmarkMarkdownPrefix(b *testing.B) {
	md := newMarkdown()
	// The first corpus body that is cut: one with raw HTML early is
	// rendered whole either way.
	body := corpusBody(0)
	for i := 1; ; i++ {
		if _, whole := markdownPrefix(body, 2*200); !whole {
			break
		}
		body = corpusBody(i)
	}
	b.Run("prefix", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			prefix, _ := markdownPrefix(body, 2*200)
			if err := md.Convert([]byte(prefix), &buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			markdownPrefix(body, 2*200)
		}
	})
	b.Run("whole", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := md.Convert([]byte(body), &buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestMarkdownPrefixLines checks the contract on bodies made of lines
// that start, continue or end blocks, which byte-level fuzzing reaches
// only slowly: markers, indentation, underlines, table rows, lazy lines.
func TestMarkdownPrefixLines(t *testing.T) {
	lines := []string{
		"", "", "", " ", "\t", "text *em", "more_ text**", "中文字。", "## head", "#no",
		"- a", "-", "* b", "+ c", "1. d", "2) e", "10. f", "3.14", "  - nested", "   lazy",
		"    code", "\tcode", "> quote", ">", "===", "---", "***", "___", "a | b", "--|--",
		"|x|", ":-", "- [ ] task", "~~s~~", "`code", "code`", "[link", "](/u)", "[a](/b)",
		"www.example.com", "http://x.example/a_b", "x@example.com", "a  ", "b\\", "&amp;",
		"\\*", "*", "_", "[ ]", "=", "2024年", "1.", "  1. x", "      deep", "- - -",
	}
	md := newMarkdown()
	r := rand.New(rand.NewPCG(1, 2))
	cuts := 0
	for range 20000 {
		var b strings.Builder
		for range 2 + r.IntN(14) {
			b.WriteString(lines[r.IntN(len(lines))])
			b.WriteByte('\n')
		}
		body, minRunes := b.String(), r.IntN(8)
		prefix, whole := markdownPrefix(body, minRunes)
		if !whole {
			cuts++
		}
		checkPrefix(t, md, body, minRunes, prefix, whole)
	}
	t.Logf("%d cut", cuts)
	if cuts < 1000 {
		t.Errorf("only %d of 20000 bodies cut", cuts)
	}
}
