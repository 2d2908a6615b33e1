package site

import (
	"fmt"
	"time"
)

var (
	cst = time.FixedZone("CST", 8*3600)
	est = time.FixedZone("", -5*3600)
)

func feedsOf(base, id, title string) Feeds {
	return Feeds{Title: title, Atom: base + "feeds/" + id + ".atom", RSS: base + "feeds/" + id + ".rss", JSON: base + "feeds/" + id + ".json"}
}

// fixture is a news-mirror site: two Chinese categories and an English
// one, as the seed site has them, published under base.
func fixture(base string) Site {
	all := feedsOf(base, "all", "全部文章")
	return Site{
		Title: "FI 新闻镜像", Description: "日照、临沂两地报纸的新闻，以及一个英文博客。", Language: "zh-CN",
		All: &all, PerPage: 2,
		Categories: []Category{
			{ID: "rizhaoribao", Title: "日照日报新闻", Description: "日照日报的新闻", Language: "zh-CN",
				Feeds: feedsOf(base, "rizhaoribao", "日照日报新闻"), Count: 5, Updated: time.Date(2026, 11, 30, 9, 15, 0, 0, cst)},
			{ID: "linyiribao", Title: "临沂日报新闻", Language: "zh-CN",
				Feeds: feedsOf(base, "linyiribao", "临沂日报新闻"), Count: 1, Updated: time.Date(2026, 11, 29, 18, 0, 0, 0, cst)},
			{ID: "engineering", Title: "Engineering notes", Description: "Posts from the team blog.", Language: "en",
				Feeds: feedsOf(base, "engineering", "Engineering notes"), Count: 1, Updated: time.Date(2026, 11, 28, 7, 30, 0, 0, est)},
		},
	}
}

var rizhao = []string{
	"日照港集团前11个月货物吞吐量突破5亿吨",
	"市区新增三条公交线路 方便市民出行",
	"第十届日照国际马拉松圆满落幕",
	"我市启动冬季供暖 确保群众温暖过冬",
	"日照绿茶春季采摘技术培训会举行",
}

// rizhaoArticles are the articles of rizhaoribao, newest first.
func rizhaoArticles() []Article {
	var as []Article
	for i, title := range rizhao {
		t := time.Date(2026, 11, 30, 9, 15, 0, 0, cst).Add(-time.Duration(i) * 7 * time.Hour)
		as = append(as, Article{
			Key: fmt.Sprintf("rizhao-api/%d", 1000-i), Title: title,
			Link:      fmt.Sprintf("https://www.rizhao.example.cn/news/%d.html", 1000-i),
			Published: t, Updated: t,
			Summary: title + "。记者从有关部门获悉，相关工作正在有序推进。",
			Content: SafeHTML("<p>" + title + "。</p><p>记者从有关部门获悉，相关工作正在有序推进，预计年底前全部完成。</p>"),
			Source:  "日照日报", Category: "rizhaoribao", HasPage: true,
		})
	}
	return as
}

func engineeringArticle() Article {
	t := time.Date(2026, 11, 28, 7, 30, 0, 0, est)
	return Article{
		Key: "blog/https://blog.example.com/2026/11/caching", Title: "How we cut feed rendering time in half",
		Link:      "https://blog.example.com/2026/11/caching",
		Published: t, Updated: t, Author: "Dana Smith",
		Summary: "A look at the cache in front of the renderer, and the numbers before and after.",
		Content: `<p>We render every feed from the store.</p><pre><code>go test -bench .</code></pre><p><img src="https://blog.example.com/img/chart.png" alt="Render time before and after"></p>`,
		Source:  "Team blog", Category: "engineering", HasPage: true,
	}
}

func linyiArticle() Article {
	t := time.Date(2026, 11, 29, 18, 0, 0, 0, cst)
	return Article{
		Key: "linyi/77", Title: "临沂高铁站改造工程进入收尾阶段", Link: "https://www.linyi.example.cn/a/77",
		Published: t, Updated: t, Summary: "改造后的车站将增加候车面积。", Source: "临沂日报", Category: "linyiribao",
	}
}

func fixtureStatus(runTimes bool) Status {
	run := time.Date(2026, 12, 1, 8, 0, 0, 0, cst)
	return Status{
		Live:    runTimes,
		Notices: []string{"The output folder /var/www/feedsmith could not be written since 2026-12-01 07:00 +08:00: write feeds/rizhaoribao.atom: no space left on device"},
		Sources: []Source{
			{ID: "rizhao-api", Type: "json", State: OK, LastRun: run, LastSuccess: run, NextRun: run.Add(30 * time.Minute), Articles: 5},
			{ID: "linyi", Type: "html", State: Failing, LastRun: run, LastSuccess: run.Add(-26 * time.Hour), NextRun: run.Add(time.Hour), Articles: 1,
				LastError: "fetch https://www.linyi.example.cn/list: 503 Service Unavailable"},
			{ID: "blog", Type: "feed", State: OK, LastRun: run, LastSuccess: run, NextRun: run.Add(6 * time.Hour), Articles: 1},
			{ID: "weather", Type: "json", State: Failing, LastRun: run, Articles: 0,
				LastError: "parse https://api.weather.example.com/v1/forecast?city=rizhao&lang=zh&units=metric&format=json: invalid character '<' looking for beginning of value"},
			{ID: "archive", Type: "posts", State: NotRun},
			{ID: "podcast", Type: "feed", State: OK, LastRun: run, LastSuccess: run, Articles: 0},
		},
	}
}
