// Package s3 uploads the output tree to a bucket of an S3-compatible
// object store (outputs.s3): every file whose bytes or headers changed
// since it was last uploaded, files that others link to before the
// pages that link to them, and it deletes the objects it uploaded that
// left the tree. What was uploaded is kept in the article store.
package s3

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/feedsmith/feedsmith/config"
)

// Store is what uploading keeps in the article store: per output, the
// sum of every object it uploaded, by tree path.
type Store interface {
	UploadedFiles(ctx context.Context, output string) (map[string]string, error)
	SaveUploaded(ctx context.Context, output string, sums map[string]string) error
	ForgetUploaded(ctx context.Context, output string, paths []string) error
}

const (
	// workers is how many uploads run at once.
	workers = 4
	// requestTimeout bounds one request, its retries included.
	requestTimeout = time.Minute
	// maxRetries replaces minio-go's 10: with a server down, ten
	// retries hold a publish up for seconds per file, and the next
	// publish (or the daemon's retry loop, a minute later at first) tries
	// again anyway.
	maxRetries = 3
)

// Bucket uploads trees to one bucket under one prefix. It is safe for
// use by one publish at a time.
type Bucket struct {
	client *minio.Client
	store  Store
	bucket string
	prefix string // "" or ends with "/"
	// output names the bucket and prefix in the store: the endpoint's
	// scheme and host, the bucket and the prefix.
	output   string
	location string
	// All uploads every file, also those the store says the bucket
	// has already (build -full): for a bucket changed behind
	// feedsmith's back.
	All bool
}

// New returns the uploader for cfg, which must be valid (config checks
// it); version goes into the User-Agent.
func New(cfg config.S3, st Store, version string) (*Bucket, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("outputs.s3.endpoint: %w", err)
	}
	lookup := minio.BucketLookupDNS
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretAccessKey, ""),
		Secure:       u.Scheme == "https",
		Region:       cfg.Region,
		BucketLookup: lookup,
		MaxRetries:   maxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 client for %s: %w", cfg.Endpoint, err)
	}
	c.SetAppInfo("feedsmith", version)
	return &Bucket{
		client:   c,
		store:    st,
		bucket:   cfg.Bucket,
		prefix:   cfg.KeyPrefix(),
		output:   u.Scheme + "://" + u.Host + "/" + cfg.Bucket + "/" + cfg.KeyPrefix(),
		location: cfg.Location(),
	}, nil
}

// Location names the bucket and prefix as people write them,
// "s3://feeds/site/".
func (b *Bucket) Location() string { return b.location }
