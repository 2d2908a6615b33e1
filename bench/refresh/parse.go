package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mmcdole/gofeed"
)

// buildWorkers is how many sources "feedsmith build" collects at once
// (cmd/feedsmith/build.go); gofeed gets the same parallelism.
const buildWorkers = 4

func runParse(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	dir := fs.String("dir", "", "folder of documents written by gen (required)")
	runs := fs.Int("runs", 3, "timed runs of each kind; the median is printed")
	workers := fs.Int("workers", min(runtime.GOMAXPROCS(0), buildWorkers),
		"parsers at once in the parallel runs (default: feedsmith build's 4 sources at once, at most GOMAXPROCS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	docs, err := readDocs(*dir)
	if err != nil {
		return err
	}
	size := 0
	for _, d := range docs {
		size += len(d.body)
	}
	var seq, par, seqCPU, parCPU []float64
	for range max(*runs, 1) {
		if err := ctx.Err(); err != nil {
			return err
		}
		wall, cpu, err := timeParse(docs, 1)
		if err != nil {
			return err
		}
		seq, seqCPU = append(seq, wall), append(seqCPU, cpu)
		wall, cpu, err = timeParse(docs, *workers)
		if err != nil {
			return err
		}
		par, parCPU = append(par, wall), append(parCPU, cpu)
	}
	fmt.Fprintf(os.Stderr, "gofeed parsed %d documents (%d bytes, %d items each), wall s: sequential %.2f, %d workers %.2f (GOMAXPROCS %d)\n",
		len(docs), size, itemsPerFeed, seq, *workers, par, runtime.GOMAXPROCS(0))
	// One line for bench/run: medians of sequential and parallel wall
	// seconds, of their CPU seconds, then workers, documents, bytes.
	fmt.Printf("%.3f %.3f %.3f %.3f %d %d %d\n", median(seq), median(par), median(seqCPU), median(parCPU),
		*workers, len(docs), size)
	return nil
}

// timeParse parses every document with a fresh gofeed parser, as the feed
// source does, on workers goroutines, and returns the wall and CPU
// (user and system) seconds it took.
func timeParse(docs []document, workers int) (wall, cpu float64, err error) {
	runtime.GC()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	cpu0 := cpuSeconds()
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(docs) {
					return
				}
				feed, err := gofeed.NewParser().Parse(bytes.NewReader(docs[i].body))
				if err == nil && len(feed.Items) != itemsPerFeed {
					err = fmt.Errorf("%d items, want %d", len(feed.Items), itemsPerFeed)
				}
				if err != nil {
					errs[w] = fmt.Errorf("parse %s: %w", docs[i].name, err)
					return
				}
			}
		})
	}
	wg.Wait()
	wall, cpu = time.Since(start).Seconds(), cpuSeconds()-cpu0
	for _, err := range errs {
		if err != nil {
			return 0, 0, err
		}
	}
	return wall, cpu, nil
}

// cpuSeconds is the user and system time this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
