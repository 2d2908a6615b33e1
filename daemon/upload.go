package daemon

import (
	"context"

	"github.com/feedsmith/feedsmith/publish"
	"github.com/feedsmith/feedsmith/publish/s3"
)

// upload sends a publish's tree to the bucket: the files it rendered
// (changed lists the categories), and then deletes the objects of gone,
// the files that publish stopped serving; or the whole tree served when
// the publish rendered everything or the last upload failed, which also
// deletes the objects of every file no longer served. Files the bucket
// has as they are cost no request.
func (d *Daemon) upload(ctx context.Context, st *state, tree publish.Tree, changed, gone []string) error {
	if st.bucket == nil {
		return st.bucketErr
	}
	var stats s3.Stats
	var err error
	switch {
	case changed == nil:
		stats, err = st.bucket.Publish(ctx, tree)
	case d.faults.failing(outputS3):
		// As it goes to disk: the status page without its run times.
		stats, err = st.bucket.Publish(ctx, publish.Overlay(d.srv.Files(), tree))
	default:
		stats, err = st.bucket.Upload(ctx, tree, gone)
	}
	if stats.Uploaded > 0 || stats.Deleted > 0 {
		d.logger.Debug("uploaded to the bucket", "bucket", st.bucket.Location(),
			"uploaded", stats.Uploaded, "unchanged", stats.Unchanged, "deleted", stats.Deleted)
	}
	return err
}
