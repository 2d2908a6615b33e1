package metrics

import "net/http"

// FeedRequest counts a request answered for a file of the published tree.
// path is the file's tree path ("feeds/news.atom"): callers pass only
// paths that exist in the tree, which bounds the label's values.
func (m *Metrics) FeedRequest(path string, status int) {
	m.requests.WithLabelValues(path).Inc()
	if status == http.StatusNotModified {
		m.notModified.WithLabelValues(path).Inc()
	}
}

// ForgetFeed drops the series of a file no longer in the tree.
func (m *Metrics) ForgetFeed(path string) {
	m.requests.DeleteLabelValues(path)
	m.notModified.DeleteLabelValues(path)
}
