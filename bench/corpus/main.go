// Command corpus writes a deterministic corpus of Jekyll posts for the
// build benchmarks: N posts over C categories, the same bytes for the
// same seed.
//
//	go run ./bench/corpus -out DIR [-n 10000] [-categories 50] [-seed 1]
//	go run ./bench/corpus -out DIR -add 1   # one post more, as post N+1, the newest
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/feedsmith/feedsmith/internal/corpus"
)

func main() {
	var (
		out  = flag.String("out", "", "folder to write the posts into (required)")
		n    = flag.Int("n", 10000, "number of posts")
		cats = flag.Int("categories", 50, "number of categories")
		seed = flag.Uint64("seed", 1, "seed of the generator")
		add  = flag.Int("add", 0, "write only this many more posts, numbered after the first n")
		end  = flag.String("end", corpus.DefaultEnd.Format(time.DateOnly), "posts are dated in the year before this day (+08:00)")
	)
	flag.Parse()
	if err := run(*out, *n, *cats, *seed, *add, *end); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

func run(out string, n, cats int, seed uint64, add int, end string) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	endDay, err := time.ParseInLocation(time.DateOnly, end, corpus.Zone)
	if err != nil {
		return fmt.Errorf("-end: %w", err)
	}
	g, err := corpus.New(seed, cats, endDay)
	if err != nil {
		return err
	}
	first, count := 0, n
	if add > 0 {
		first, count = n, add
		g.NewestFrom = n
	}
	written, err := g.WriteRange(out, first, count)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %d posts (%d bytes) to %s\n", count, written, out)
	return nil
}
