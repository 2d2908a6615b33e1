package main

import (
	"os"
	"runtime/debug"
)

// buildMemory is the memory a one-shot build lets the Go runtime grow
// to before the collector works hard: the build's live data is small (a
// chunk of articles, one category's pages: 13–19 MiB for 10,000 posts),
// so collecting every time the heap doubles, Go's default, runs the
// collector ~125 times over garbage that a roomier heap would never look
// at. 40 MiB keeps the peak resident size where the default left it
// (about 80 MB with SQLite's memory and the binary, measured), which is
// what the budget is for.
const (
	buildMemory  = 40 << 20
	buildPercent = 400
)

// setBuildGC sets the collector of a one-shot build from its memory
// budget: GOGC 400 (the heap may grow to 5× what is live) under a soft
// limit of buildMemory, past which the collector runs as often as it
// must to stay under it. An operator's GOGC or GOMEMLIMIT wins: then the
// runtime's own settings stand.
func setBuildGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(buildPercent)
	debug.SetMemoryLimit(buildMemory)
}
