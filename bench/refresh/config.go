package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// categories is how many categories the sources are spread over, so the
// build renders a realistic number of feeds.
const categories = 20

func runConfig(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	dir := fs.String("dir", "", "folder of documents written by gen (required)")
	upstream := fs.String("upstream", "", "base URL refresh serve answers on, http://127.0.0.1:PORT (required)")
	work := fs.String("work", "", "folder for feedsmith's store and output (required)")
	out := fs.String("out", "", "configuration file to write (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *upstream == "" || *work == "" || *out == "" {
		return errors.New("-dir, -upstream, -work and -out are required")
	}
	docs, err := readDocs(*dir)
	if err != nil {
		return err
	}
	work2, err := filepath.Abs(*work)
	if err != nil {
		return err
	}
	names := make([]string, len(docs))
	for i, d := range docs {
		names[i] = d.name
	}
	if err := os.WriteFile(*out, []byte(configYAML(strings.TrimRight(*upstream, "/"), work2, names)), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	return nil
}

// configYAML is a feedsmith configuration with one feed source per
// document. The per-host limit is lifted above the build's 4 workers and
// the gap is zero: every source shares one loopback host, and the
// benchmark measures feedsmith, not its politeness to a single upstream.
func configYAML(upstream, work string, names []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# Written by bench/refresh: %d feed sources on one loopback upstream.
site:
  title: feedsmith refresh bench
  base_url: http://127.0.0.1/
  timezone: Asia/Shanghai
store:
  path: %s/data/feedsmith.db
output:
  dir: %s/public
  items: 50
defaults:
  per_host: 64
  host_gap: 0s
  timeout: 30s
categories:
`, len(names), work, work)
	for c := range categories {
		fmt.Fprintf(&b, "  - id: cat%02d\n    title: 分类 %d\n", c, c)
	}
	b.WriteString("sources:\n")
	for i, n := range names {
		fmt.Fprintf(&b, "  - id: f%04d\n    type: feed\n    url: %s/feeds/%s\n    category: cat%02d\n", i, upstream, n, i%categories)
	}
	return b.String()
}
