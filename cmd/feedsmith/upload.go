package main

import (
	"context"
	"fmt"
	"time"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/publish"
	"github.com/feedsmith/feedsmith/publish/s3"
	"github.com/feedsmith/feedsmith/store/open"
)

// upload uploads the tree to the bucket of outputs.s3: the files it
// lacks or holds otherwise, deleting those that left the tree, and
// prints what it did. With -full every file is uploaded again.
func (b *build) upload(ctx context.Context, st open.Store, pub *publish.Publisher, c config.S3) error {
	start := b.now()
	bucket, err := s3.New(c, st, buildVersion())
	if err != nil {
		return err
	}
	bucket.All = b.full
	// The output folder gets only the categories that changed since it
	// was written; the bucket is compared whole, which also finds what a
	// failed upload left out and what left the tree.
	tree, err := pub.Render(ctx)
	if err != nil {
		return err
	}
	stats, err := bucket.Publish(ctx, tree)
	fmt.Fprintf(b.stdout, "s3: uploaded %d, unchanged %d, deleted %d, to %s in %s\n",
		stats.Uploaded, stats.Unchanged, stats.Deleted, bucket.Location(), b.now().Sub(start).Round(time.Millisecond))
	if err != nil {
		return fmt.Errorf("bucket %s not fully uploaded: %w", bucket.Location(), err)
	}
	return nil
}
