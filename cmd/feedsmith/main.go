// Command feedsmith collects articles from sources, files them into
// categories and publishes one Atom, RSS and JSON Feed per category.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // time zones work on systems without /usr/share/zoneinfo

	"github.com/feedsmith/feedsmith/config"
)

func main() {
	os.Exit(runMain(os.Args[1:]))
}

// runMain runs the command line args as the feedsmith binary does, with
// the process's standard streams, and returns its exit status. A command
// whose report could not be written to standard output (a full disk, a
// closed file) fails: cron and CI would otherwise see success and no
// report.
func runMain(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	out := &reportWriter{w: os.Stdout}
	code := run(ctx, args, out, os.Stderr)
	if out.err != nil && code == 0 {
		fmt.Fprintf(os.Stderr, "feedsmith: write standard output: %v\n", out.err)
		code = 1
	}
	return code
}

// reportWriter remembers the first error of writes to w.
type reportWriter struct {
	w   io.Writer
	err error
}

// fileOf returns the file w writes to, if it is one.
func fileOf(w io.Writer) (*os.File, bool) {
	if r, ok := w.(*reportWriter); ok {
		w = r.w
	}
	f, ok := w.(*os.File)
	return f, ok
}

func (r *reportWriter) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	if err != nil && r.err == nil {
		r.err = err
	}
	return n, err
}

// command is one subcommand: it parses its own flags and runs.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) int

var commands = map[string]command{
	"run":     runDaemon,
	"build":   runBuild,
	"check":   runCheck,
	"preview": runPreview,
	"import":  runImport,
	"version": runVersion,
}

const usage = `feedsmith collects articles from sources and publishes per-category feeds.

Usage:
  feedsmith [run] [flags] [CONFIG]      collect on schedule and serve the feeds (the daemon)
  feedsmith build [flags] [CONFIG]      collect every source once, write the output tree, exit
  feedsmith check [CONFIG]              validate the configuration and exit
  feedsmith preview [flags] SOURCE_ID [CONFIG]
                                        run one source, store nothing, show what it extracted
  feedsmith import FILE.opml            print a feed reader's OPML export as sources for the config
  feedsmith version                     print the version
  feedsmith help [COMMAND]              print this, or a command's flags

CONFIG is the configuration file: config.yaml unless given (also as -config FILE).
Run "feedsmith COMMAND -h" for a command's flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runDaemon(ctx, args, stdout, stderr) // no command: the daemon
	}
	if args[0] == "help" {
		return runHelp(ctx, args[1:], stdout, stderr)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		hint := ""
		if strings.HasSuffix(args[0], ".yaml") || strings.HasSuffix(args[0], ".yml") {
			hint = fmt.Sprintf("; to run the daemon on it: feedsmith run %s", args[0])
		}
		fmt.Fprintf(stderr, "feedsmith: unknown command %q%s\n\n%s", args[0], hint, usage)
		return exitUsage
	}
	return cmd(ctx, args[1:], stdout, stderr)
}

// runHelp is "feedsmith help [COMMAND]".
func runHelp(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		fmt.Fprint(stdout, usage)
		return 0
	case len(args) > 1:
		fmt.Fprintf(stderr, "feedsmith help: unexpected argument %q\nusage: feedsmith help [COMMAND]\n", args[1])
		return exitUsage
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "feedsmith help: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	return cmd(ctx, []string{"-h"}, stdout, stderr)
}

const levelWarn = slog.LevelWarn

// newLogger logs to w as text (or JSON when format is "json"), without
// timestamps under journald, which adds its own.
func newLogger(w io.Writer, level slog.Level, format string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: replaceAttr(os.Getenv("JOURNAL_STREAM") != "")}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// replaceAttr writes durations as Go writes them ("20s", "1.5ms") in
// both formats: JSON would give nanoseconds (20000000000), which nobody
// reads right. Under journald it drops the time.
func replaceAttr(journald bool) func(groups []string, a slog.Attr) slog.Attr {
	return func(groups []string, a slog.Attr) slog.Attr {
		if journald && len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		switch v := a.Value; {
		case v.Kind() == slog.KindDuration:
			return slog.String(a.Key, v.Duration().String())
		case v.Kind() == slog.KindAny:
			if d, ok := v.Any().(config.Duration); ok {
				return slog.String(a.Key, time.Duration(d).String())
			}
		}
		return a
	}
}
