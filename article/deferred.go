package article

import "strings"

// Deferred marks an article whose full text was not rendered when it
// was read: a posts source renders and keeps the text only of what is
// published (an article inside some feed's window, or with a page), and
// the rest are stored with String's marker in place of the content. The
// text is rendered from the file when the article is published (see
// collect's Materialize); until then the marker stands for it, and
// ContentHash hashes the marker, so that the article's hash does not
// depend on whether its text was rendered.
type Deferred struct {
	// Path is the file the text is rendered from.
	Path string
	// Digest identifies the bytes the article was read from: a changed
	// body is a changed article.
	Digest string
	// Partial is set while Content holds only the first part of the
	// text, enough for the summary (see normalize): the part before a
	// point where rendering the rest cannot change it.
	Partial bool
	// Short is set by normalize when a Partial text gave fewer
	// characters than the summary takes: the summary must then be taken
	// from the whole text.
	Short bool
}

// DeferredMarker starts every marker. No stored content can hold it:
// normalize removes U+FFFF, which XML does not allow, from every text.
// (Not NUL, which PostgreSQL's text cannot hold.) A store may look for
// it to find the markers without reading the texts.
const DeferredMarker = "\uFFFFdeferred\uFFFF"

// String is the marker stored in place of the content: the digest, then
// the path (a file name may hold anything but NUL and '/', so the path
// comes last).
func (d Deferred) String() string { return DeferredMarker + d.Digest + "\uFFFF" + d.Path }

// IsDeferred reports whether content is a marker (see Deferred).
func IsDeferred(content string) bool { return strings.HasPrefix(content, DeferredMarker) }

// ParseDeferred returns what the marker content names; false when
// content is no marker.
func ParseDeferred(content string) (Deferred, bool) {
	rest, ok := strings.CutPrefix(content, DeferredMarker)
	if !ok {
		return Deferred{}, false
	}
	digest, path, ok := strings.Cut(rest, "\uFFFF")
	if !ok || path == "" {
		return Deferred{}, false
	}
	return Deferred{Path: path, Digest: digest}, true
}
