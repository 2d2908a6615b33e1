package site

import "strings"

// Labels are the words of the pages' chrome, in the page's language.
type Labels struct {
	Home, Status, Categories, Latest, Subscribe, SubscribeHint, OPML  string
	Articles, LastUpdate, Feeds, Source, Original, Published, Updated string
	Newest, Newer, Older, Page, NoArticles                            string
	State, LastRun, LastSuccess, NextRun, LastError                   string
	OK, Failing, NotRun                                               string
	// Image, Video and Audio name the links that stand for media from
	// another host (see LinkOffsite).
	Image, Video, Audio string
	// RunningOn introduces the instance of a cluster collecting a source.
	RunningOn string
	// Page is a format (fmt: the page number). SourcesFailing, AllOK and
	// SourcesNotRun are the banner's formats
	// (fmt: count, total).
	SourcesFailing, AllOK, SourcesNotRun string
}

var english = Labels{
	Home: "Home", Status: "Status", Categories: "Categories", Latest: "Latest articles",
	Subscribe: "Subscribe", SubscribeHint: "Copy a feed's address into your feed reader.", OPML: "All feeds (OPML)",
	Articles: "Articles", LastUpdate: "Last update", Feeds: "Feeds", Source: "Source", Original: "Original",
	Published: "Published", Updated: "Updated",
	Newest: "Newest", Newer: "Newer", Older: "Older", Page: "Page %d", NoArticles: "No articles yet.",
	State: "State", LastRun: "Last run", LastSuccess: "Last success", NextRun: "Next run", LastError: "Last error",
	OK: "ok", Failing: "failing", NotRun: "not run yet", Image: "Image", Video: "Video", Audio: "Audio", RunningOn: "running on",
	SourcesFailing: "%d of %d sources failing", AllOK: "All %[2]d sources ok", SourcesNotRun: "%d of %d sources not run yet",
}

var chinese = Labels{
	Home: "首页", Status: "状态", Categories: "栏目", Latest: "最新文章",
	Subscribe: "订阅", SubscribeHint: "把订阅地址复制到阅读器中。", OPML: "全部订阅（OPML）",
	Articles: "文章", LastUpdate: "最近更新", Feeds: "订阅", Source: "来源", Original: "原文",
	Published: "发布", Updated: "更新",
	Newest: "最新", Newer: "较新", Older: "较早", Page: "第 %d 页", NoArticles: "暂无文章。",
	State: "状态", LastRun: "上次运行", LastSuccess: "上次成功", NextRun: "下次运行", LastError: "最近错误",
	OK: "正常", Failing: "失败", NotRun: "尚未运行", Image: "图片", Video: "视频", Audio: "音频", RunningOn: "运行于",
	SourcesFailing: "%d / %d 个来源失败", AllOK: "全部 %[2]d 个来源正常", SourcesNotRun: "%d / %d 个来源尚未运行",
}

// labelsFor returns the labels of language tag lang: Chinese for zh-*,
// else English.
func labelsFor(lang string) Labels {
	l := strings.ToLower(lang)
	if l == "zh" || strings.HasPrefix(l, "zh-") {
		return chinese
	}
	return english
}
