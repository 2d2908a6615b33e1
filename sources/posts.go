package sources

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/store"
)

const (
	// maxPostSize caps one post file; a bigger one is skipped.
	maxPostSize = 4 << 20
	// postWorkers bounds how many posts are read at once: reading is
	// mostly I/O and YAML, and a few workers keep a large folder fast
	// without opening thousands of files.
	postWorkers = 4
	// statWorkers bounds the stat calls of a listing at once.
	statWorkers = 4
)

// errFuture is article's answer for a post dated in the future.
var errFuture = errors.New("dated in the future")

// postsSource reads a folder of Jekyll-style posts.
type postsSource struct {
	id        string
	dir       string
	siteURL   string
	permalink string // template, style names resolved
	loc       *time.Location
	now       func() time.Time
	md        goldmark.Markdown
	unchanged func(store.FileStamp) bool
	// footer is the source's own footer pattern; nil for the default.
	footer *regexp.Regexp
	// deferText renders only the start of each text (Env.DeferText),
	// at least prefixRunes letters of it when there is a safe cut.
	deferText   bool
	prefixRunes int
}

// postFile is one file whose name is a post's.
type postFile struct {
	path, name, date, slug string
	markdown               bool
	stamp                  store.FileStamp
}

// postResult is what reading one post gave: an article, an error, or
// neither when the post is not to be published. stamp is set when the
// file need not be read again while it stays the same.
type postResult struct {
	article article.Article
	ok      bool
	err     error
	stamp   bool
}

// newPosts returns the source for a folder of Jekyll-style posts.
func newPosts(cfg config.Source, env Env) (Source, error) {
	if cfg.Path == "" {
		return nil, fmt.Errorf("source %s: posts need a path", cfg.ID)
	}
	tmpl := permalinkTemplate(cfg.Permalink)
	if _, err := (postURL{}).expand(tmpl); err != nil {
		return nil, fmt.Errorf("source %s: permalink: %w", cfg.ID, err)
	}
	var footer *regexp.Regexp
	if cfg.Footer != "" {
		var err error
		if footer, err = config.CompileFooter(cfg.Footer); err != nil {
			return nil, fmt.Errorf("source %s: footer: %w", cfg.ID, err)
		}
	}
	s := &postsSource{
		footer:    footer,
		id:        cfg.ID,
		dir:       cfg.Path,
		siteURL:   cmp.Or(cfg.SiteURL, env.Site.BaseURL),
		permalink: tmpl,
		loc:       cmp.Or(env.Location, time.UTC),
		now:       env.Now,
		unchanged: env.Unchanged,
		deferText: env.DeferText,
		// Twice the summary's characters: the summary is taken from the
		// rendered part's text, which markup and spacing make shorter
		// than the letters and digits counted in the Markdown.
		prefixRunes: 2 * max(env.SummaryRunes, 1),
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM),
			// Raw HTML passes: content is sanitized later in the pipeline.
			goldmark.WithRendererOptions(html.WithUnsafe()),
		),
	}
	return s, nil
}

// Collect reads every post in the folder, in file name order. Posts that
// cannot be read are listed in Skipped; unpublished and future posts are
// left out, as Jekyll leaves them out by default.
func (s *postsSource) Collect(ctx context.Context) (Batch, error) {
	var all Batch
	err := s.CollectChunks(ctx, math.MaxInt, func(b Batch) error {
		all.BaseURL = b.BaseURL
		all.Articles = append(all.Articles, b.Articles...)
		all.Skipped = append(all.Skipped, b.Skipped...)
		all.Files = append(all.Files, b.Files...)
		all.Unchanged += b.Unchanged
		return nil
	})
	return all, err
}

// CollectChunks reads the posts as Collect does, size files at a time,
// leaving out the files Env.Unchanged knows. The first batch carries the
// folder's skipped entries and the stamps of the unchanged files; the
// batches' Files together are every file that need not be read again.
func (s *postsSource) CollectChunks(ctx context.Context, size int, emit func(Batch) error) error {
	files, skipped, err := s.list(ctx)
	if err != nil {
		return err
	}
	var known []store.FileStamp
	if s.unchanged != nil {
		files = slices.DeleteFunc(files, func(f postFile) bool {
			if s.unchanged(f.stamp) {
				known = append(known, f.stamp)
				return true
			}
			return false
		})
	}
	first := true
	for len(files) > 0 || first {
		chunk := files[:min(size, len(files))]
		files = files[len(chunk):]
		b := Batch{}
		if first {
			b.Skipped, b.Files, b.Unchanged, first = skipped, known, len(known), false
		}
		if s.siteURL != "" {
			b.BaseURL = strings.TrimRight(s.siteURL, "/") + "/"
		}
		results := s.readAll(ctx, chunk)
		if err := ctx.Err(); err != nil {
			return err
		}
		for i, r := range results {
			switch {
			case r.err != nil:
				b.Skipped = append(b.Skipped, r.err)
			case r.ok:
				b.Articles = append(b.Articles, r.article)
			}
			if r.stamp {
				b.Files = append(b.Files, chunk[i].stamp)
			}
		}
		if err := emit(b); err != nil {
			return err
		}
	}
	return nil
}

// list walks the folder for post files, leaving out folders whose names
// start with "." or "_" (drafts, includes), sorted by file name and then
// path. Subfolders that cannot be read are returned as skipped.
func (s *postsSource) list(ctx context.Context) ([]postFile, []error, error) {
	root := s.dir
	fi, err := os.Lstat(root)
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		root += string(filepath.Separator) // WalkDir walks a linked root only so
		fi, err = os.Stat(root)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read posts folder %s: %w", s.dir, withoutPath(err))
	}
	if !fi.IsDir() {
		return nil, nil, fmt.Errorf("read posts folder %s: not a folder", s.dir)
	}
	var files []postFile
	var skipped []error
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			skipped = append(skipped, fmt.Errorf("read posts folder %s: %w", path, withoutPath(err)))
			return nil
		}
		if d.IsDir() {
			if path != root && strings.ContainsAny(d.Name()[:1], "._") {
				return fs.SkipDir
			}
			return nil
		}
		if f, ok := postFileOf(path, d.Name()); ok {
			files = append(files, f)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	files = statAll(files)
	slices.SortFunc(files, func(a, b postFile) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.path, b.path))
	})
	return files, skipped, nil
}

// postFileOf reports whether a file name is a post's: YYYY-MM-DD-slug
// and one of the extensions posts renders, as Jekyll names posts. Its
// stamp is set by statAll.
func postFileOf(path, name string) (postFile, bool) {
	if len(name) < len("2006-01-02-s.md") || name[10] != '-' {
		return postFile{}, false
	}
	for i := range 10 {
		if c := name[i]; i == 4 || i == 7 {
			if c != '-' {
				return postFile{}, false
			}
		} else if c < '0' || c > '9' {
			return postFile{}, false
		}
	}
	dot := strings.LastIndexByte(name, '.')
	if dot <= 11 || strings.IndexByte(name[11:dot], '\n') >= 0 {
		return postFile{}, false
	}
	switch ext := strings.ToLower(name[dot+1:]); ext {
	case "md", "markdown", "html", "htm":
		return postFile{path: path, name: name, date: name[:10], slug: name[11:dot],
			markdown: ext == "md" || ext == "markdown"}, true
	}
	return postFile{}, false
}

// statAll stamps each file with the size and modification time of what
// it names (a link's target), a few files at once: on a large folder the
// stat calls are most of a build that finds nothing changed. Files that
// cannot be read, and devices and pipes, are left out.
func statAll(files []postFile) []postFile {
	ok := make([]bool, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(statWorkers, len(files)/256+1) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				fi, err := os.Stat(files[i].path)
				if ok[i] = err == nil && fi.Mode().IsRegular(); ok[i] {
					files[i].stamp = store.FileStamp{Path: files[i].path, Size: fi.Size(), ModUnix: fi.ModTime().UnixNano()}
				}
			}
		})
	}
	wg.Wait()
	kept := files[:0]
	for i, f := range files {
		if ok[i] {
			kept = append(kept, f)
		}
	}
	return kept
}

// readAll reads the posts with a few workers; results keep files' order.
func (s *postsSource) readAll(ctx context.Context, files []postFile) []postResult {
	results := make([]postResult, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(postWorkers, len(files)) {
		wg.Go(func() {
			for i := range next {
				results[i] = s.read(files[i], s.deferText, false)
			}
		})
	}
send:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			break send
		}
	}
	close(next)
	wg.Wait()
	return results
}

// read turns one post file into an article. Errors name the file, and
// the line where it is known.
// With deferText the article is marked article.Deferred, and only the
// start of its text is rendered unless whole is set.
func (s *postsSource) read(f postFile, deferText, whole bool) postResult {
	a, ok, err := s.article(f, deferText, whole)
	if err == errFuture {
		// Left out, and read again next time: by then it may be due.
		return postResult{}
	}
	if err != nil {
		var le *lineError
		if errors.As(err, &le) {
			err = fmt.Errorf("%s:%d: %w", f.path, le.line, le.err)
		} else {
			err = fmt.Errorf("%s: %w", f.path, err)
		}
	}
	// A post that failed is read again next time, to report it again.
	return postResult{article: a, ok: ok, err: err, stamp: err == nil}
}

// ReadFile reads the post at path again, its text rendered whole (see
// FileReader). A path that is no post file of the folder any more gives
// an empty batch.
func (s *postsSource) ReadFile(ctx context.Context, path string) (Batch, error) {
	var b Batch
	if s.siteURL != "" {
		b.BaseURL = strings.TrimRight(s.siteURL, "/") + "/"
	}
	// Only a post file inside the folder: the path comes from the store.
	rel, err := filepath.Rel(s.dir, path)
	if err != nil || !filepath.IsLocal(rel) {
		return b, nil
	}
	f, ok := postFileOf(path, filepath.Base(path))
	if !ok {
		return b, nil
	}
	if err := ctx.Err(); err != nil {
		return b, err
	}
	if files := statAll([]postFile{f}); len(files) == 0 {
		return b, nil // gone
	}
	switch r := s.read(f, s.deferText, true); {
	case r.err != nil:
		b.Skipped = append(b.Skipped, r.err)
	case r.ok:
		b.Articles = append(b.Articles, r.article)
	}
	return b, nil
}

func (s *postsSource) article(f postFile, deferText, whole bool) (article.Article, bool, error) {
	date, err := time.ParseInLocation(time.DateOnly, f.date, s.loc)
	if err != nil {
		return article.Article{}, false, fmt.Errorf("file name: invalid date %s", f.date)
	}
	data, err := readPostFile(f.path)
	if err != nil {
		return article.Article{}, false, err
	}
	fm, body, err := parsePost(data, s.loc)
	if err != nil || fm.Unpublished {
		return article.Article{}, false, err
	}
	if !fm.Date.IsZero() {
		date = fm.Date
	}
	if s.now != nil && date.After(s.now()) {
		return article.Article{}, false, errFuture
	}
	tmpl := cmp.Or(fm.Permalink, s.permalink)
	path, err := postURL{date, cmp.Or(fm.Slug, f.slug), fm.Categories}.expand(tmpl)
	if err != nil {
		return article.Article{}, false, fmt.Errorf("front matter: permalink: %w", err)
	}
	content, via, cut := cutFooter(string(body), f.markdown, s.footer)
	var deferred *article.Deferred
	if deferText {
		// The digest of what the text is rendered from: front matter has
		// its own fields (a date changed is no update), and the footer
		// gives via.
		sum := sha256.Sum256([]byte(content))
		deferred = &article.Deferred{Path: f.path, Digest: hex.EncodeToString(sum[:16])}
	}
	if f.markdown {
		if deferred != nil && !whole {
			// Only the start of the text, where rendering the rest cannot
			// change it (markdownPrefix); the whole when there is no such
			// point, or when a footer may end it (cutHTMLFooter looks at
			// the end, and markdownPrefix gives the whole then).
			var all bool
			content, all = markdownPrefix(content, s.prefixRunes)
			deferred.Partial = !all
		}
		var buf bytes.Buffer
		if err := s.md.Convert([]byte(content), &buf); err != nil {
			return article.Article{}, false, fmt.Errorf("render markdown: %w", err)
		}
		content = buf.String()
		if !cut && s.footer == nil && (deferred == nil || !deferred.Partial) {
			// A footer written as HTML in a Markdown post.
			content, via, _ = cutHTMLFooter(content)
		}
	}
	link := joinURL(s.siteURL, path)
	return article.Article{
		ID:         cmp.Or(fm.ID, link),
		SourceID:   s.id,
		Title:      cmp.Or(fm.Title, titleize(f.slug)),
		Link:       link,
		Via:        via,
		Author:     fm.Author,
		Published:  date,
		Updated:    fm.Updated,
		Summary:    fm.Description,
		Content:    content,
		Categories: fm.Categories,
		Tags:       fm.Tags,
		Image:      s.imageURL(fm.Image),
		Defer:      deferred,
	}, true, nil
}

// imageURL makes a site-relative image absolute under the site URL, as
// jekyll-feed's absolute_url does (a path is under the site's base path,
// not the host's root).
func (s *postsSource) imageURL(img string) string {
	if u, err := url.Parse(img); img == "" || s.siteURL == "" || err != nil || u.Scheme != "" || u.Host != "" {
		return img
	}
	return joinURL(s.siteURL, img)
}

// readPostFile reads a post, refusing one over maxPostSize.
func readPostFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, withoutPath(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if fi, err := f.Stat(); err == nil && fi.Size() < maxPostSize {
		buf.Grow(int(fi.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, maxPostSize+1)); err != nil {
		return nil, fmt.Errorf("read: %w", withoutPath(err))
	}
	if buf.Len() > maxPostSize {
		return nil, fmt.Errorf("larger than %d MiB", maxPostSize>>20)
	}
	return buf.Bytes(), nil
}

// withoutPath drops the path from a file error whose message will name
// the file already.
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
