package main

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"
)

// zone is the offset every item is dated in, as a Chinese site's would be.
var zone = time.FixedZone("CST", 8*3600)

// defaultEnd is a fixed moment, not now, so that a seed gives the same
// bytes whenever it is run; it is also every document's Last-Modified.
var defaultEnd = time.Date(2026, 11, 1, 9, 30, 0, 0, zone)

const (
	// itemsPerFeed is how many items each document carries.
	itemsPerFeed = 50
	// atomEvery makes every atomEvery-th document Atom; the rest are RSS 2.0.
	atomEvery = 5
)

var (
	sites = []string{"日照日报", "海滨晚报", "Tech Notes", "岚山新闻网", "Go Weekly", "读书笔记",
		"The Harbour Post", "数据库周刊", "旅行日志", "Linux Digest"}
	zhSentences = []string{
		"市政府今天召开新闻发布会，介绍了今年上半年的经济运行情况。",
		"记者从交通部门了解到，沿海公路的改造工程将在月底完工。",
		"这次更新修复了缓存失效的问题，并改进了订阅源的解析速度。",
		"专家提醒，近期气温变化较大，市民出行要注意防寒保暖。",
		"我们把数据库从单机迁移到了主从架构，写入延迟下降了一半。",
		"周末的读书会讨论了一本关于城市历史的新书。",
		"海边的渔港在清晨最热闹，渔船陆续靠岸卸货。",
		"新版本支持条件请求，未变化的内容不再重复下载。",
		"学校将在下周一恢复线下教学，家长可以在网站上查看安排。",
		"这篇文章整理了我们在性能测试中遇到的几个常见误区。",
	}
	enSentences = []string{
		"The council approved the new harbour plan after a long debate.",
		"Release 2.4 brings conditional requests and a faster parser.",
		"Most feed readers poll every thirty minutes, whether anything changed or not.",
		"We moved the build to a two-core machine and measured every step.",
		"The museum reopens on Saturday with an exhibition of local photography.",
		"An ETag lets the server answer 304 without sending the body again.",
		"Time zones are where most date bugs in feeds come from.",
		"The coastal road will be closed to traffic until the end of the month.",
		"Profiling showed that half of the time went into parsing dates.",
		"Readers in Asia see the update eight hours before those in Europe.",
	}
	titleWords = []string{"新闻", "发布会", "Go", "性能", "交通", "天气", "数据库", "Release", "读书", "港口",
		"RSS", "教育", "城市", "Linux", "摄影"}
	tagWords = []string{"本地", "news", "科技", "go", "社会", "database", "文化", "travel", "教育", "linux"}
	authors  = []string{"编辑部", "李明", "王芳", "Alex Chen", "张伟", "Maria Lopez", "陈静"}
)

// generator makes the upstream documents; document i depends only on the
// seed and i.
type generator struct {
	seed uint64
	end  time.Time
}

// name is the file name (and URL path) of document i.
func name(i int) string {
	if i%atomEvery == atomEvery-1 {
		return fmt.Sprintf("feed-%04d.atom", i)
	}
	return fmt.Sprintf("feed-%04d.rss", i)
}

// doc returns document i: Atom for every atomEvery-th, RSS 2.0 otherwise.
func (g *generator) doc(i int) []byte {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	site := fmt.Sprintf("https://site%04d.example.org", i)
	title := fmt.Sprintf("%s · %d", sites[r.IntN(len(sites))], i)
	items := make([]item, itemsPerFeed)
	t := g.end.Add(-time.Duration(r.IntN(30*24*3600)) * time.Second)
	for k := range items {
		items[k] = newItem(r, site, i, k, t)
		t = t.Add(-time.Duration(600+r.IntN(24*3600)) * time.Second)
	}
	if i%atomEvery == atomEvery-1 {
		return atomDoc(site, title, items)
	}
	return rssDoc(r, site, title, items, i%3 == 0)
}

// item is one generated entry, before it is written as RSS or Atom.
type item struct {
	title, link, guid, author string
	date                      time.Time
	tags                      []string
	html                      string
}

func newItem(r *rand.Rand, site string, feed, k int, date time.Time) item {
	w1, w2 := titleWords[r.IntN(len(titleWords))], titleWords[r.IntN(len(titleWords))]
	var title string
	switch r.IntN(3) {
	case 0:
		title = fmt.Sprintf("%s：%s的第 %d 条消息", w1, w2, k)
	case 1:
		title = fmt.Sprintf("Notes on %s & %s, part %d", w1, w2, k)
	default:
		title = fmt.Sprintf("关于“%s”的 %d 个问题 (%s)", w1, k+feed%7, w2)
	}
	link := fmt.Sprintf("%s/%s/%s-%d-%d.html", site, date.Format("2006/01"), strings.ToLower(w1), feed, k)
	guid := link
	if r.IntN(2) == 0 {
		guid = fmt.Sprintf("tag:site%04d.example.org,%s:%d", feed, date.Format(time.DateOnly), k)
	}
	it := item{title: title, link: link, guid: guid, date: date, author: authors[r.IntN(len(authors))]}
	for _, j := range r.Perm(len(tagWords))[:r.IntN(4)] {
		it.tags = append(it.tags, tagWords[j])
	}
	it.html = body(r, site, k, 1000+r.IntN(2000))
	return it
}

// body is an HTML fragment of about size bytes: paragraphs alternating
// Chinese and English, a link, and in some items a relative image, a
// list or bold text.
func body(r *rand.Rand, site string, k, size int) string {
	var b strings.Builder
	for p := 0; b.Len() < size; p++ {
		pool := zhSentences
		if p%2 == 1 {
			pool = enSentences
		}
		b.WriteString("<p>")
		for s := range 2 + r.IntN(3) {
			if s > 0 && p%2 == 1 {
				b.WriteByte(' ')
			}
			b.WriteString(pool[r.IntN(len(pool))])
		}
		b.WriteString("</p>\n")
		switch r.IntN(6) {
		case 0:
			fmt.Fprintf(&b, `<p><img src="/images/%d-%d.jpg" alt="%s" width="640"></p>`+"\n", k, p, titleWords[r.IntN(len(titleWords))])
		case 1:
			fmt.Fprintf(&b, `<p>See <a href="%s/archive/%d.html">the archive</a> or <a href="https://example.com/?q=%d&amp;lang=zh">搜索</a>.</p>`+"\n", site, p, k)
		case 2:
			fmt.Fprintf(&b, "<ul><li>%s</li><li><strong>%s</strong></li></ul>\n", enSentences[r.IntN(len(enSentences))], zhSentences[r.IntN(len(zhSentences))])
		}
	}
	return b.String()
}

func rssDoc(r *rand.Rand, site, title string, items []item, cdata bool) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">` + "\n<channel>\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<link>%s/</link>\n<description>%s 的最新文章 / latest posts</description>\n",
		esc(title), site, esc(title))
	fmt.Fprintf(&b, "<language>zh-CN</language>\n<lastBuildDate>%s</lastBuildDate>\n<ttl>%d</ttl>\n",
		items[0].date.Format(time.RFC1123Z), 30+r.IntN(30))
	fmt.Fprintf(&b, `<atom:link href="%s/feed.xml" rel="self" type="application/rss+xml"/>`+"\n", site)
	for _, it := range items {
		b.WriteString("<item>\n")
		fmt.Fprintf(&b, "<title>%s</title>\n<link>%s</link>\n", esc(it.title), esc(it.link))
		if it.guid == it.link {
			fmt.Fprintf(&b, "<guid>%s</guid>\n", esc(it.guid))
		} else {
			fmt.Fprintf(&b, `<guid isPermaLink="false">%s</guid>`+"\n", esc(it.guid))
		}
		fmt.Fprintf(&b, "<pubDate>%s</pubDate>\n<dc:creator>%s</dc:creator>\n", it.date.Format(time.RFC1123Z), esc(it.author))
		for _, t := range it.tags {
			fmt.Fprintf(&b, "<category>%s</category>\n", esc(t))
		}
		if cdata {
			fmt.Fprintf(&b, "<description><![CDATA[%s]]></description>\n", it.html)
		} else {
			fmt.Fprintf(&b, "<description>%s</description>\n", esc(it.html))
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	return []byte(b.String())
}

func atomDoc(site, title string, items []item) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">` + "\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<id>%s/</id>\n<updated>%s</updated>\n", esc(title), site, items[0].date.Format(time.RFC3339))
	fmt.Fprintf(&b, `<link rel="alternate" href="%s/"/>`+"\n"+`<link rel="self" href="%s/atom.xml"/>`+"\n", site, site)
	for _, it := range items {
		b.WriteString("<entry>\n")
		fmt.Fprintf(&b, "<title type=\"html\">%s</title>\n<id>%s</id>\n<link rel=\"alternate\" href=\"%s\"/>\n",
			esc(it.title), esc(it.guid), esc(it.link))
		d := it.date.Format(time.RFC3339)
		fmt.Fprintf(&b, "<published>%s</published>\n<updated>%s</updated>\n<author><name>%s</name></author>\n", d, d, esc(it.author))
		for _, t := range it.tags {
			fmt.Fprintf(&b, "<category term=\"%s\"/>\n", esc(t))
		}
		fmt.Fprintf(&b, "<content type=\"html\">%s</content>\n", esc(it.html))
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return []byte(b.String())
}

func esc(s string) string { return html.EscapeString(s) }
