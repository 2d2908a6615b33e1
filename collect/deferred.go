package collect

import (
	"context"
	"fmt"
	"slices"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/sources"
)

// defers reports whether src's texts are rendered only when published
// (sources.Env.DeferText): a posts source without article pages, when
// nothing else publishes every text, that is, no outputs.jekyll (it
// writes every article whole) and no category rule that reads the
// content. Its other articles are published with their summaries only,
// on the category pages, and the summary needs only the text's start.
func (c *Collector) defers(src config.Source) bool {
	if src.Type != "posts" || c.cfg.Pages(src) || c.cfg.Outputs.Jekyll != nil || c.store == nil {
		return false
	}
	for _, cat := range c.cfg.Categories {
		for _, r := range cat.Rules {
			if slices.Contains(r.In, "content") {
				return false
			}
		}
	}
	return true
}

// redoShort reads again, whole, the articles of arts whose rendered
// start gave less than their summary takes (article.Deferred.Short),
// and normalizes them again: their summaries are then the whole text's.
// One whose file is gone or changed since it was read a moment ago
// keeps the summary of its start.
func (c *Collector) redoShort(ctx context.Context, src config.Source, r sources.FileReader, arts []article.Article) {
	for i, a := range arts {
		d := a.Defer
		if d == nil || !d.Short {
			continue
		}
		if whole, ok := c.readWhole(ctx, src, r, d.Path); ok && whole.ID == a.ID {
			arts[i] = whole
		}
	}
}

// readWhole reads the one post at path of src with its text rendered
// whole, and normalizes it as a collection of src does.
func (c *Collector) readWhole(ctx context.Context, src config.Source, r sources.FileReader, path string) (article.Article, bool) {
	if r == nil {
		return article.Article{}, false
	}
	b, err := r.ReadFile(ctx, path)
	if err != nil || len(b.Articles) != 1 {
		return article.Article{}, false
	}
	a := b.Articles[0]
	a.SourceID = src.ID
	c.norm.ArticleWithin(&a, b.BaseURL, limits(src.Caps))
	return a, true
}

// Materialize renders, from their files, the texts of the articles of
// arts that were stored deferred (article.IsDeferred), and sets them in
// arts. It is what a publish calls for the articles whose texts it
// shows: the newest of each feed, those with a page. The text is the
// one a full read of the file gives now, and it is not stored: a
// category is published again only when it changed, and a publish reads
// again the few files of its feed that it shows (storing them cost a
// cold build of 10,000 posts more than rendering them saved). An
// article whose file is gone, or no longer holds it, is given no text
// (its feed entry carries its summary), and so is one of a source no
// longer configured.
func (c *Collector) Materialize(ctx context.Context, arts []article.Article) error {
	readers := map[string]sources.FileReader{}
	for i := range arts {
		if err := ctx.Err(); err != nil {
			return err
		}
		a := &arts[i]
		d, ok := article.ParseDeferred(a.Content)
		if !ok {
			continue
		}
		a.Content = ""
		src, r, err := c.readerOf(a.SourceID, readers)
		if err != nil {
			c.logger.Warn("cannot render a deferred text", "source", a.SourceID, "article", a.ID, "error", err)
			continue
		}
		// readerOf's source renders every text: full has no Defer.
		full, ok := c.readWhole(ctx, src, r, d.Path)
		if !ok {
			c.logger.Warn("cannot render a deferred text: the post is gone", "source", a.SourceID, "article", a.ID, "file", d.Path)
			continue
		}
		if full.ID != a.ID {
			c.logger.Warn("cannot render a deferred text: the post holds another article now", "source", a.SourceID, "article", a.ID, "file", d.Path)
			continue
		}
		a.Content = full.Content
	}
	return nil
}

// readerOf returns the configured source of that id and a reader of
// its files, made once per call of Materialize (kept in readers).
func (c *Collector) readerOf(id string, readers map[string]sources.FileReader) (config.Source, sources.FileReader, error) {
	i := slices.IndexFunc(c.cfg.Sources, func(s config.Source) bool { return s.ID == id })
	if i < 0 {
		return config.Source{}, nil, fmt.Errorf("source %s is not configured", id)
	}
	src := c.cfg.Sources[i]
	src.Caps = c.caps(src)
	if r, ok := readers[id]; ok {
		return src, r, nil
	}
	s, err := sources.New(src, sources.Env{
		Site:     c.cfg.Site,
		Location: c.cfg.Location(src),
		Logger:   c.logger.With("source", src.ID),
		Now:      c.now,
	})
	if err != nil {
		return src, nil, err
	}
	r, ok := s.(sources.FileReader)
	if !ok {
		return src, nil, fmt.Errorf("source %s (%s) has no files to render texts from", id, src.Type)
	}
	readers[id] = r
	return src, r, nil
}

// fileReader is s as a sources.FileReader, nil for a source that is none.
func fileReader(s any) sources.FileReader {
	r, _ := s.(sources.FileReader)
	return r
}
