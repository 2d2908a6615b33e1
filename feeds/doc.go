// Package feeds renders one category's articles as Atom 1.0 (RFC 4287),
// RSS 2.0, JSON Feed 1.1 and OPML 2.0 subscription lists.
//
// github.com/gorilla/feeds builds the documents; this package wraps its
// exported structs to fix what falls short of the specifications and of the
// W3C Feed Validation Service: stable ids, dates that keep their UTC offset,
// self/alternate/hub links, namespaces, categories, enclosures of unknown
// length, and JSON Feed 1.1 key names. Articles that lack what a valid item
// needs (a title, text, a link, an updated time of their own) are repaired
// from what they have (repair.go).
//
// Output is deterministic: the same channel and articles give the same bytes,
// whatever their order, because nothing reads the clock or iterates a map.
package feeds
