package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/daemon"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/systemd"
)

// runDaemon is "feedsmith run" and "feedsmith" alone: the service.
func runDaemon(ctx context.Context, args []string, _, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "config.yaml", "configuration file")
	format := fs.String("log-format", "text", "log format: text or json")
	levelName := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*levelName)); err != nil || (*format != "text" && *format != "json") {
		fmt.Fprintf(stderr, "feedsmith: -log-format must be text or json and -log-level debug, info, warn or error\n")
		return 2
	}
	logger := newLogger(stderr, level, *format)
	cfg, problems := loadConfig(*path, false)
	if cfg == nil {
		fmt.Fprintln(stderr, problems.Errors())
		return 2
	}
	logWarnings(logger, problems)
	// A folder or file missing at start may be a mount not up yet: its
	// source fails and is retried like any other; a reload refuses it.
	for _, p := range sources.CheckPaths(cfg) {
		logger.Warn("source cannot run until its path is there", "problem", p.String())
	}
	d, err := daemon.New(ctx, cfg, logger, buildVersion())
	if err != nil {
		logger.Error("start failed", "error", err)
		return 1
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go reloadOnHUP(ctx, hup, *path, d, logger)
	go systemd.Watchdog(ctx, nil)
	err = d.Run(ctx, func() {
		if err := systemd.Ready(); err != nil {
			logger.Warn("systemd notify failed", "error", err)
		}
	})
	systemd.Stopping()
	if err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("stopped with an error", "error", err)
		return 1
	}
	logger.Info("stopped")
	return 0
}

// logWarnings logs the warnings among problems.
func logWarnings(logger *slog.Logger, problems config.Problems) {
	for _, p := range problems {
		if p.Warning {
			logger.Warn("configuration warning", "problem", p.String())
		}
	}
}

// reloadOnHUP reloads the configuration on each SIGHUP. An invalid one is
// refused with every problem logged, and the running one stays.
func reloadOnHUP(ctx context.Context, hup <-chan os.Signal, path string, d *daemon.Daemon, logger *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		systemd.Reloading()
		d.ReopenLogs()
		logger.Info("reloading configuration", "path", path)
		// Refused for anything check refuses, a missing path among them.
		cfg, problems := loadConfig(path, true)
		switch {
		case cfg == nil:
			for _, p := range problems.Errors() {
				logger.Error("configuration refused, keeping the running one", "problem", p.String())
			}
		default:
			logWarnings(logger, problems)
			if err := d.Reload(ctx, cfg); err != nil {
				logger.Error("reload failed", "error", err)
			} else {
				logger.Info("configuration reloaded", "sources", len(cfg.Sources))
			}
		}
		systemd.Ready()
	}
}
