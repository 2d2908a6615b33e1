// Package corpus generates the bench's corpus of Jekyll posts (see
// bench/corpus): news-mirror-like Markdown, Chinese and English, in many
// categories, each post's bytes fixed by the seed and its number.
package corpus

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Zone is the offset every post is dated in, as a Chinese blog's would be.
var Zone = time.FixedZone("CST", 8*3600)

// DefaultEnd is a fixed day, not today, so that a seed gives the same
// bytes whenever it is run.
var DefaultEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, Zone)

// bodyTarget is the size a post body grows to, give or take a tenth.
const bodyTarget = 3000

var (
	syllables = []string{"xin", "wen", "ke", "ji", "sheng", "huo", "jing", "ji", "ti", "yu",
		"lv", "you", "mei", "shi", "jiao", "yu", "jian", "kang", "wen", "hua", "she", "hui", "zheng", "ce"}
	tagPool = []string{"go", "linux", "rss", "atom", "feeds", "性能", "随笔", "读书", "旅行", "摄影",
		"编程", "notes", "web", "数据库", "yaml", "markdown"}
	zhSentences = []string{
		"今天我们讨论一下如何用最少的资源生成订阅源。",
		"这个问题看起来简单，其实牵涉到缓存、压缩和时区。",
		"日照市的春天来得比较晚，海边的风依然很冷。",
		"读完这本书以后，我重新整理了自己的笔记系统。",
		"服务器只有两个核心，所以每一次分配内存都要算清楚。",
		"我们在周末去了一趟山里，拍了很多照片。",
		"静态网站生成器的好处是部署简单，坏处是构建慢。",
		"如果文章没有变化，就不应该重新渲染整个分类。",
	}
	enSentences = []string{
		"Feeds are plain XML, yet every reader parses them a little differently.",
		"The build reads ten thousand posts and writes one feed per category.",
		"A conditional GET saves the upstream a full response.",
		"We measured the handler against nginx on loopback with wrk.",
		"Front matter is YAML, and YAML has more corners than it appears.",
		"Time zones are where most feed bugs hide.",
		"Caching the rendered bytes makes serving almost free.",
		"The seed fixes every byte, so two runs compare like for like.",
	}
	titleWords = []string{"订阅源", "性能", "Go", "Jekyll", "笔记", "旅行", "Hugo", "缓存", "YAML", "周报"}
)

// Generator makes posts; post i depends only on the seed and i, so a
// corpus can grow by one post without changing the others.
type Generator struct {
	seed       uint64
	categories []string
	end        time.Time
	// NewestFrom, when above 0, is the first post dated at the end, a
	// second apart, after every other: posts added to a corpus are new.
	NewestFrom int
}

func New(seed uint64, cats int, end time.Time) (*Generator, error) {
	if cats < 1 {
		return nil, errors.New("-categories must be at least 1")
	}
	return &Generator{seed: seed, categories: categoryNames(seed, cats), end: end}, nil
}

// categoryNames returns n distinct names: pinyin-like words for some,
// "catNN" for the rest.
func categoryNames(seed uint64, n int) []string {
	r := rand.New(rand.NewPCG(seed, ^uint64(0)))
	names := make([]string, n)
	for i := range names {
		if i%2 == 0 {
			names[i] = fmt.Sprintf("cat%02d", i)
			continue
		}
		names[i] = syllables[r.IntN(len(syllables))] + syllables[r.IntN(len(syllables))] + strconv.Itoa(i)
	}
	return names
}

// WriteRange writes posts first..first+count-1 into dir and returns the
// bytes written.
func (g *Generator) WriteRange(dir string, first, count int) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("create %s: %w", dir, err)
	}
	var total int64
	for i := first; i < first+count; i++ {
		name, data := g.Post(i)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return total, fmt.Errorf("write post %d: %w", i, err)
		}
		total += int64(len(data))
	}
	return total, nil
}

// Post returns the file name and content of post i.
func (g *Generator) Post(i int) (string, []byte) {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	date := g.end.Add(-time.Duration(1+r.Int64N(365*24*3600)) * time.Second)
	if g.NewestFrom > 0 && i >= g.NewestFrom {
		date = g.end.Add(time.Duration(i-g.NewestFrom) * time.Second)
	}
	slug := fmt.Sprintf("post-%05d-%s", i, syllables[r.IntN(len(syllables))])
	var b strings.Builder
	b.WriteString("---\nlayout: post\n")
	fmt.Fprintf(&b, "title: %s\n", title(r, i))
	fmt.Fprintf(&b, "date: %s\n", date.Format("2006-01-02 15:04:05 -0700"))
	fmt.Fprintf(&b, "categories: [%s]\n", g.categories[r.IntN(len(g.categories))])
	b.WriteString("tags:\n")
	for _, t := range pick(r, tagPool, 1+r.IntN(4)) {
		fmt.Fprintf(&b, "  - %s\n", t)
	}
	b.WriteString("---\n")
	body(&b, r, i)
	return date.Format(time.DateOnly) + "-" + slug + ".md", []byte(b.String())
}

// title is plain for most posts; some carry a colon and quotes, so they
// are written as a quoted YAML string.
func title(r *rand.Rand, i int) string {
	w := titleWords[r.IntN(len(titleWords))]
	switch r.IntN(4) {
	case 0:
		return strconv.Quote(fmt.Sprintf("第 %d 篇：%s: the \"%s\" notes", i, w, titleWords[r.IntN(len(titleWords))]))
	case 1:
		return strconv.Quote(fmt.Sprintf("Notes on %s: part %d", w, i))
	default:
		return fmt.Sprintf("关于%s的第 %d 篇文章", w, i)
	}
}

// body writes a Markdown body of about bodyTarget bytes: a heading,
// paragraphs alternating Chinese and English, a list, a link, and in
// some posts a <strong> that spans two paragraphs.
func body(b *strings.Builder, r *rand.Rand, i int) {
	start := b.Len()
	target := bodyTarget*9/10 + r.IntN(bodyTarget/5)
	fmt.Fprintf(b, "## %s %d\n\n", titleWords[r.IntN(len(titleWords))], i)
	paragraph(b, r, zhSentences, 3)
	b.WriteString("- " + enSentences[r.IntN(len(enSentences))] + "\n- " +
		zhSentences[r.IntN(len(zhSentences))] + "\n- see [the notes](https://example.org/notes/" +
		strconv.Itoa(i) + ")\n\n")
	if r.IntN(5) == 0 {
		b.WriteString("<strong>" + zhSentences[r.IntN(len(zhSentences))] + "\n\n" +
			enSentences[r.IntN(len(enSentences))] + "</strong>\n\n")
	}
	for p := 0; b.Len()-start < target; p++ {
		if p%2 == 0 {
			paragraph(b, r, enSentences, 4)
		} else {
			paragraph(b, r, zhSentences, 4)
		}
	}
}

func paragraph(b *strings.Builder, r *rand.Rand, pool []string, n int) {
	for k := range n {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(pool[r.IntN(len(pool))])
	}
	b.WriteString("\n\n")
}

// pick returns n distinct words of pool.
func pick(r *rand.Rand, pool []string, n int) []string {
	idx := r.Perm(len(pool))[:n]
	out := make([]string, n)
	for k, j := range idx {
		out[k] = pool[j]
	}
	return out
}
