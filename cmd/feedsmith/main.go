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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand: it parses its own flags and runs.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) int

var commands = map[string]command{
	"run":     runDaemon,
	"build":   runBuild,
	"check":   runCheck,
	"preview": runPreview,
	"version": runVersion,
}

const usage = `feedsmith collects articles from sources and publishes per-category feeds.

Usage:
  feedsmith [run] [-config config.yaml] [-log-format text|json] [-log-level info]
                                                 collect on schedule and serve the feeds (the daemon)
  feedsmith build   [-config config.yaml] [-v]   collect every source once, write the output tree, exit
  feedsmith check   [-config config.yaml]        validate the configuration and exit
  feedsmith preview SOURCE_ID [-config config.yaml] [-json]
                                                 run one source, store nothing, show what it extracted
  feedsmith version                              print the version

Run "feedsmith COMMAND -h" for a command's flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" {
		return runDaemon(ctx, args, stdout, stderr) // no command: the daemon
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, usage)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "feedsmith: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	return cmd(ctx, args[1:], stdout, stderr)
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
