package s3

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/feedsmith/feedsmith/publish"
)

// Stats counts what one upload did: the files uploaded, those left
// alone because the bucket has them as they are, and the objects
// deleted.
type Stats struct{ Uploaded, Unchanged, Deleted int }

// Publish uploads t, the whole tree, and then deletes the objects it
// uploaded before whose paths t no longer has. A file is uploaded when
// its bytes (Disk when set, else Body) or its headers differ from what
// was last uploaded at its path, as the store remembers it, in the
// groups of rank, each only once the one before is uploaded whole, so
// that no file in the bucket links to one that is not there yet. After a
// failure the rest waits for the next Publish, which starts again from
// what the store says was uploaded; nothing is deleted then.
func (b *Bucket) Publish(ctx context.Context, t publish.Tree) (Stats, error) {
	return b.upload(ctx, t, nil, true)
}

// Upload uploads files as Publish does, the part of the tree that a
// publish rendered again, and then deletes the objects it uploaded
// before at the paths of gone, the files that publish stopped serving
// (an article page dropped by retention, say), but for those files has.
// After a failure nothing is deleted: the caller's next Publish of the
// whole tree does it.
func (b *Bucket) Upload(ctx context.Context, files []publish.File, gone []string) (Stats, error) {
	return b.upload(ctx, files, gone, false)
}

// object is one file to upload.
type object struct {
	path, contentType, cacheControl, sum string
	body                                 []byte
}

// upload uploads files and then deletes the objects uploaded before
// that are at the paths of gone or, with whole, at any path files lacks.
func (b *Bucket) upload(ctx context.Context, files []publish.File, gone []string, whole bool) (Stats, error) {
	var st Stats
	prev, err := b.store.UploadedFiles(ctx, b.output)
	if err != nil {
		return st, err
	}
	last := make(map[string]int, len(files)) // a later file of one path wins, as in publish.Overlay
	for i, f := range files {
		last[f.Path] = i
	}
	var groups [ranks][]object
	var errs []error
	for i, f := range files {
		if last[f.Path] != i {
			continue
		}
		if !validPath(f.Path) {
			errs = append(errs, fmt.Errorf("%q: %w", f.Path, publish.ErrUnsafePath))
			continue
		}
		o := newObject(f)
		if !b.All && prev[o.path] == o.sum {
			st.Unchanged++
			continue
		}
		groups[rank(o.path)] = append(groups[rank(o.path)], o)
	}
	for _, g := range groups {
		done, err := b.putAll(ctx, g)
		st.Uploaded += len(done)
		if serr := b.store.SaveUploaded(ctx, b.output, done); serr != nil {
			// The next publish uploads these again: no harm.
			err = errors.Join(err, serr)
		}
		if err != nil {
			return st, errors.Join(append(errs, err)...)
		}
	}
	if len(errs) > 0 {
		return st, errors.Join(errs...)
	}
	var remove []string
	if whole {
		for p := range prev {
			if _, ok := last[p]; !ok && validPath(p) {
				remove = append(remove, p)
			}
		}
	} else {
		for _, p := range gone {
			// Only objects feedsmith uploaded, and not a file this
			// upload has again.
			if _, ok := last[p]; !ok && prev[p] != "" && validPath(p) {
				remove = append(remove, p)
			}
		}
	}
	slices.Sort(remove)
	remove = slices.Compact(remove)
	deleted, err := b.deleteAll(ctx, remove)
	st.Deleted = len(deleted)
	if ferr := b.store.ForgetUploaded(ctx, b.output, deleted); ferr != nil {
		// They stay listed; deleting them again next time is harmless.
		err = errors.Join(err, ferr)
	}
	return st, err
}

// newObject prepares f's upload: the bytes for the output folder, the
// headers the daemon serves it with, and a sum of them all.
func newObject(f publish.File) object {
	o := object{path: f.Path, contentType: f.ContentType, cacheControl: CacheControl(f.MaxAge), body: f.Body}
	if f.Disk != nil {
		o.body = f.Disk
	}
	if o.contentType == "" {
		o.contentType = "application/octet-stream"
	}
	// The headers count: a feed whose refresh interval changed keeps its
	// Atom bytes but must be uploaded again with its new max-age.
	h := sha256.New()
	h.Write([]byte(o.contentType + "\n" + o.cacheControl + "\n"))
	h.Write(o.body)
	o.sum = hex.EncodeToString(h.Sum(nil))
	return o
}

// minMaxAge is the daemon's shortest max-age (see package server), so
// that the bucket and the daemon send the same headers.
const minMaxAge = time.Minute

// CacheControl is the Cache-Control header of a file that a cache may
// keep for maxAge: public, at least a minute, as the daemon serves it.
func CacheControl(maxAge time.Duration) string {
	return "public, max-age=" + strconv.FormatInt(int64(max(maxAge, minMaxAge)/time.Second), 10)
}

// ranks is the number of upload groups, see rank.
const ranks = 4

// rank orders the uploads so that a file goes up after those it links
// to: 0 for the assets (site.css, favicon.svg) and the article pages
// (article/), which link to none of the others but the category and
// home pages they lead back to; 1 for the feeds, whose entries link to
// the article pages of sources that have them; 2 for the category pages
// (category/), which link to both; 3 for the files at the root,
// feeds.opml, index.html and status.html, which link to the feeds and
// the category pages.
func rank(p string) int {
	ext := path.Ext(p)
	switch {
	case strings.HasPrefix(p, "article/"):
		return 0
	case strings.HasPrefix(p, "feeds/"):
		return 1
	case strings.HasPrefix(p, "category/"):
		return 2
	case ext == ".html" || ext == ".opml":
		return 3
	}
	return 0 // an asset
}

// validPath reports whether p is a clean relative path inside the
// tree: nothing from upstream may name an object outside the prefix.
func validPath(p string) bool {
	return fs.ValidPath(p) && p != "." && !strings.ContainsAny(p, "\\\x00")
}

// putAll uploads objs, workers at a time, until one fails: those in
// flight finish, and the rest wait for the next publish. It returns the
// sums of the objects uploaded, by path.
func (b *Bucket) putAll(ctx context.Context, objs []object) (map[string]string, error) {
	done := map[string]string{}
	var (
		mu     sync.Mutex
		errs   []error
		failed atomic.Bool
		wg     sync.WaitGroup
	)
	next := make(chan object)
	for range min(workers, len(objs)) {
		wg.Go(func() {
			for o := range next {
				err := b.put(ctx, o)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
					failed.Store(true)
				} else {
					done[o.path] = o.sum
				}
				mu.Unlock()
			}
		})
	}
	sent := 0
	for _, o := range objs {
		if failed.Load() || ctx.Err() != nil {
			break
		}
		next <- o
		sent++
	}
	close(next)
	wg.Wait()
	if left := len(objs) - sent; left > 0 {
		if len(errs) == 0 {
			errs = append(errs, ctx.Err())
		}
		errs = append(errs, fmt.Errorf("%d more files not tried", left))
	}
	return done, errors.Join(errs...)
}

func (b *Bucket) put(ctx context.Context, o object) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	_, err := b.client.PutObject(ctx, b.bucket, b.prefix+o.path, bytes.NewReader(o.body), int64(len(o.body)), minio.PutObjectOptions{
		ContentType:  o.contentType,
		CacheControl: o.cacheControl,
		// The server checks the bytes it got against this, on plain
		// http as on https.
		SendContentMd5:   true,
		DisableMultipart: true,
	})
	if err != nil {
		return fmt.Errorf("upload %s: %w", o.path, err)
	}
	return nil
}

// deleteAll deletes the objects of paths in order until one fails, and
// returns those deleted (an object already gone counts: S3 deletes are
// idempotent).
func (b *Bucket) deleteAll(ctx context.Context, paths []string) ([]string, error) {
	var deleted []string
	for _, p := range paths {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		err := b.client.RemoveObject(rctx, b.bucket, b.prefix+p, minio.RemoveObjectOptions{})
		cancel()
		if err != nil {
			return deleted, fmt.Errorf("delete %s: %w", p, err)
		}
		deleted = append(deleted, p)
	}
	return deleted, nil
}
