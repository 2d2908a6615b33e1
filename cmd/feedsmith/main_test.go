package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain lets the test binary stand in for the feedsmith binary: with
// FEEDSMITH_TEST_MAIN set it runs the command line it was given, so the
// end-to-end tests start the real daemon as a child process and send it
// real signals. With FEEDSMITH_TEST_TMPFS too, it first mounts a small
// tmpfs there (in the mount namespace the test gave it), a disk that
// fills up.
// tmpfsFailed is the exit code of a child that could not mount its tmpfs.
const tmpfsFailed = 3

func TestMain(m *testing.M) {
	if os.Getenv("FEEDSMITH_TEST_MAIN") == "1" {
		if dir := os.Getenv("FEEDSMITH_TEST_TMPFS"); dir != "" {
			if err := mountTmpfs(dir); err != nil {
				fmt.Fprintf(os.Stderr, "tmpfs on %s: %v\n", dir, err)
				os.Exit(tmpfsFailed)
			}
		}
		os.Exit(runMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}
