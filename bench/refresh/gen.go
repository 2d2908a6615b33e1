package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func runGen(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("out", "", "folder to write the documents into (required)")
	n := fs.Int("n", 1000, "number of documents")
	seed := fs.Uint64("seed", 1, "seed of the generator")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("-out is required")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}
	g := &generator{seed: *seed, end: defaultEnd}
	var total int
	for i := range *n {
		doc := g.doc(i)
		if err := os.WriteFile(filepath.Join(*out, name(i)), doc, 0o644); err != nil {
			return fmt.Errorf("write document %d: %w", i, err)
		}
		total += len(doc)
	}
	fmt.Printf("wrote %d documents of %d items (%d bytes) to %s\n", *n, itemsPerFeed, total, *out)
	return nil
}

// document is one generated file, by name.
type document struct {
	name string
	body []byte
}

// readDocs reads the documents gen wrote into dir, in name order.
func readDocs(dir string) ([]document, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var docs []document
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "feed-") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e.Name(), err)
		}
		docs = append(docs, document{e.Name(), b})
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("no documents in %s (run refresh gen first)", dir)
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].name < docs[j].name })
	return docs, nil
}
