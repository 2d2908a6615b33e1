package main

import (
	"os"
	"runtime/debug"
)

// buildMemory is the memory a one-shot build lets the Go runtime grow
// to before the collector works hard: the build's live data is small (a
// chunk of articles, one category's pages: 13–19 MiB for 10,000 posts),
// so collecting every time the heap doubles, Go's default, runs the
// collector over garbage that a roomier heap would never look at. The
// budget is what keeps the peak resident size within the build's target
// (0.15× Hugo's, about 74 MB for 10,000 posts): measured on a quiet
// machine, 3 runs each, 32 MiB gave 75 MB and 2.13–2.48 s, 40 MiB 81–82
// MB and 2.11–2.43 s, Go's default 69–70 MB and 2.22–2.54 s — a gain in
// the noise, which a budget that small leaves no room for.
const (
	buildMemory  = 32 << 20
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
