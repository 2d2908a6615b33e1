package codec

import (
	"strings"

	"github.com/feedsmith/feedsmith/article"
)

// DeferredPrefix returns what every article.Deferred marker starts
// with, for a store to find the stored markers in SQL without reading
// the texts: the marker of no file, less the separator before its empty
// path. (TestDeferredPrefix checks that it is exactly the prefix
// article.IsDeferred looks for.)
func DeferredPrefix() string {
	return strings.TrimSuffix(article.Deferred{}.String(), "\x00")
}
