package sources

import (
	"cmp"
	"fmt"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/normalize"
)

// keepItems returns how many of a document's n items a source takes: the
// first ones, up to the source's max_items (the default when it has
// none). The rest are skipped before anything is done with them, no
// detail fetched, and reported as one skip that counts them.
func keepItems(cfg config.Source, n int, b *Batch) int {
	limit := cmp.Or(cfg.MaxItems, config.DefaultMaxItems)
	if n <= limit {
		return n
	}
	b.Skipped = append(b.Skipped, &OverMaxItems{Skipped: n - limit, Kept: limit})
	return limit
}

// OverMaxItems is the one skip that stands for the items of a document
// over max_items.
type OverMaxItems struct{ Skipped, Kept int }

func (e *OverMaxItems) Error() string {
	return fmt.Sprintf("%d items over max_items skipped (the first %d kept)", e.Skipped, e.Kept)
}

// SkippedItems counts the items that skipped stands for: one each,
// except an OverMaxItems, which counts the items it skipped.
func SkippedItems(skipped []error) int {
	n := 0
	for _, err := range skipped {
		if o, ok := err.(*OverMaxItems); ok {
			n += o.Skipped
		} else {
			n++
		}
	}
	return n
}

// capContent cuts fetched content to the source's max_content (the
// default when it has none) as soon as it arrives, so that the details
// of a whole document held until they are normalized cost at most
// max_items × max_content, not max_items × max_body.
func capContent(cfg config.Source, content string) string {
	return normalize.CutHTML(content, maxContent(cfg))
}

// maxContent is the source's max_content, or the default.
func maxContent(cfg config.Source) int {
	return int(cmp.Or(cfg.MaxContent, config.DefaultMaxContent))
}
