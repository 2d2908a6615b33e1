package jekyll

import (
	"context"
	"fmt"

	"github.com/feedsmith/feedsmith/article"
)

// Store is what WriteStored reads the articles from.
type Store interface {
	Articles(ctx context.Context, category string, limit int) ([]article.Article, error)
}

// WriteStored writes every stored article (Write skips the ones older
// than Keep and the ones whose post is unchanged).
func (w *Writer) WriteStored(ctx context.Context, st Store) (Stats, error) {
	arts, err := st.Articles(ctx, "", 0)
	if err != nil {
		return Stats{}, fmt.Errorf("jekyll: read articles: %w", err)
	}
	return w.Write(ctx, arts)
}
