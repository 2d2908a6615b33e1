package main

import (
	"context"
	"fmt"
	"io"

	"github.com/feedsmith/feedsmith/config"
)

func runCheck(_ context.Context, args []string, stdout, stderr io.Writer) int {
	cl := newCommandLine("check", "Validate the configuration, without network, and exit: 0 when it is valid, 2 with every problem listed.")
	path := cl.configFile()
	if code, ok := cl.parse(args, stdout, stderr); !ok {
		return code
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprintf(stdout, "%s: ok (%d sources, %d categories)\n", *path, len(cfg.Sources), len(cfg.Categories))
	return 0
}
