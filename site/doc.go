// Package site renders the site's HTML pages from plain data: the home
// page, the pages of each category, the page of an article and the status
// page, with html/template from an embedded default theme that a folder
// can override (see README.md in this folder for the templates and the
// fields each receives).
//
// Every function is pure: the same data gives the same bytes, so a
// publisher can compare them with what it wrote and skip unchanged files.
// Links between pages are relative, so the tree works from disk and under
// any base URL path; only the feed URLs (absolute, from the caller) leave
// it. Text is escaped by html/template; only an article's Content, of
// type SafeHTML (sanitizer output), is inserted as it is.
package site
