// Package server serves the output tree from memory to feed readers and
// aggregators, with the health, readiness, metrics and admin endpoints of
// the daemon. Every file's response is prepared when the tree changes
// (ETag, Last-Modified, gzip body, header values), so a request is a map
// lookup, a few header assignments and one write of shared bytes.
package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/feedsmith/feedsmith/metrics"
)

// Options configures a Server.
type Options struct {
	// Logger receives a debug line per request and the server's warnings;
	// nil discards them.
	Logger *slog.Logger
	// Metrics, when set, counts requests per tree file and is served at
	// /metrics (404 otherwise).
	Metrics *metrics.Metrics
	// BaseURL is the site's base URL, with its trailing slash; a feed's
	// rel=self link is BaseURL + its tree path.
	BaseURL string
	// Hub is the WebSub hub. When set, feed responses carry
	// Link: <Hub>; rel="hub" and Link: <BaseURL+path>; rel="self".
	Hub string
	// AdminToken enables POST /-/refresh/{source} for requests with
	// "Authorization: Bearer <AdminToken>"; "" turns the endpoint off.
	AdminToken string
	// Refresh runs a source now. It returns an error wrapping
	// ErrUnknownSource for an id it does not know; nil turns the admin
	// endpoint off.
	Refresh func(ctx context.Context, sourceID string) error
	// Ready reports whether the daemon is ready (nil error) for /readyz;
	// a nil Ready is always ready.
	Ready func() error
	// ReadyDetail, when set, gives lines /readyz adds below its verdict
	// (a cluster's lease holders), ready or not.
	ReadyDetail func() string
	// Now is the clock for Last-Modified; nil means time.Now.
	Now func() time.Time
}

// ErrUnknownSource is what Options.Refresh wraps for a source id it does
// not know; the admin endpoint answers it with 404.
var ErrUnknownSource = errors.New("unknown source")

// Server holds the current tree and answers requests for it. Make one
// with New; its methods are safe for concurrent use.
type Server struct {
	opts     Options
	logger   *slog.Logger
	now      func() time.Time
	tokenSum [sha256.Size]byte
	handler  http.Handler

	mu    sync.Mutex // serialises Update and Patch; readers never take it
	files atomic.Pointer[tree]
	// known holds, until the first Update, the files served before a
	// restart (their sum and time, no bodies): see Remember. Under mu.
	known map[string]*entry

	// access is the access log, nil when it is off: then a request
	// costs one atomic load more and nothing else.
	access atomic.Pointer[accessLog]

	// badLog and fastLog rate-limit the lines about bad requests and
	// fasthttp's own warnings.
	badLog, fastLog logLimit

	// readers are the idle memReaders of sendfile responses.
	readers sync.Pool
}

// tree maps a tree path ("feeds/news.atom") to its prepared response.
// A tree is never modified once stored in Server.files.
type tree map[string]*entry

// Timeouts and limits of HTTPServer and the admin endpoint.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	// writeTimeout lets a slow reader take a 200 KB feed at 4 KB/s.
	writeTimeout   = time.Minute
	idleTimeout    = 2 * time.Minute
	maxHeaderBytes = 16 << 10
	// refreshTimeout replaces writeTimeout for an admin refresh, which
	// answers only once the source has been collected.
	refreshTimeout = 10 * time.Minute
	maxAdminBody   = 1 << 10
)

// New returns a server with an empty tree: every tree path answers 404
// until the first Update.
func New(opts Options) *Server {
	s := &Server{opts: opts, logger: opts.Logger, now: opts.Now,
		badLog: logLimit{every: badLogEvery}, fastLog: logLimit{every: badLogEvery}}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.tokenSum = sha256.Sum256([]byte(opts.AdminToken))
	s.files.Store(&tree{})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", opts.Metrics.Handler())
	}
	if opts.AdminToken != "" && opts.Refresh != nil {
		mux.HandleFunc("POST /-/refresh/{source}", s.refresh)
	}
	s.handler = logRequests(s.logger)(s.onlyServedMethods(s.treeFirst(mux)))
	return s
}

// Handler returns the handler of every route.
func (s *Server) Handler() http.Handler { return s.handler }
