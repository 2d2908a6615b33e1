package jekyll

import (
	"context"
	"fmt"
	"slices"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

// Store is what WriteStored reads the articles from.
type Store interface {
	Articles(ctx context.Context, category string, limit int) ([]article.Article, error)
	InactiveArticles(ctx context.Context) ([]store.ArticleKey, error)
}

// WriteStored writes every stored article (Write skips the ones older
// than Keep and the ones whose post is unchanged), and moves out of the
// folder the posts of the articles no configured source delivers any
// more, as it does old posts: to the archive, else deleted. When such a
// source is configured again, its posts come back: written again, or
// moved back from the archive.
func (w *Writer) WriteStored(ctx context.Context, st Store) (Stats, error) {
	arts, err := st.Articles(ctx, "", 0)
	if err != nil {
		return Stats{}, fmt.Errorf("jekyll: read articles: %w", err)
	}
	// A text stored deferred (a posts source's, read while nothing
	// published every text) is no post to write: once outputs.jekyll is
	// configured, its source reads every file again, whole, and the
	// next write has it.
	arts = slices.DeleteFunc(arts, func(a article.Article) bool { return article.IsDeferred(a.Content) })
	gone, err := st.InactiveArticles(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("jekyll: %w", err)
	}
	return w.write(ctx, arts, gone)
}
