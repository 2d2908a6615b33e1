// Command refresh is the upstream side of the 1,000-feed refresh
// benchmark (bench/run, section 4): it writes deterministic RSS 2.0 and
// Atom documents, serves them on loopback with validators, times gofeed
// parsing the same documents, and writes a feedsmith configuration that
// reads them.
//
//	refresh gen    -out DIR [-n 1000] [-seed 1]
//	refresh parse  -dir DIR [-runs 3] [-workers N]
//	refresh serve  -dir DIR -listen 127.0.0.1:PORT [-mode 200|304]
//	refresh config -dir DIR -upstream http://127.0.0.1:PORT -work DIR -out FILE
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

type command func(ctx context.Context, args []string) error

var commands = map[string]command{
	"gen":    runGen,
	"parse":  runParse,
	"serve":  runServe,
	"config": runConfig,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprintf(os.Stderr, "usage: refresh %s [flags]\n", strings.Join(names(), "|"))
		os.Exit(2)
	}
	if err := commands[os.Args[1]](ctx, os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "refresh %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func names() []string {
	var ns []string
	for n := range commands {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}
