package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/feedsmith/feedsmith/config"
)

func runCheck(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "config.yaml", "configuration file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprintf(stdout, "%s: ok (%d sources, %d categories)\n", *path, len(cfg.Sources), len(cfg.Categories))
	return 0
}
