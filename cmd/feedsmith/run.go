package main

import (
	"context"
	"errors"
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

const runAbout = `
Collect every source on its schedule and serve the feeds over HTTP until
SIGTERM or SIGINT; SIGHUP reloads the configuration. "feedsmith" with no
command is "feedsmith run".

Exit status: 0 after a graceful stop, 1 when it could not start or stopped
with an error, 2 for a usage error or an invalid configuration.`

// runDaemon is "feedsmith run" and "feedsmith" alone: the service.
func runDaemon(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cl := newCommandLine("run", runAbout)
	path := cl.configFile()
	logs := cl.logFlags(slog.LevelInfo)
	if code, ok := cl.parse(args, stdout, stderr); !ok {
		return code
	}
	logger := logs.logger(stderr)
	cfg, problems := loadConfig(*path, false)
	if cfg == nil {
		fmt.Fprintln(stderr, problems.Errors())
		return exitUsage
	}
	logWarnings(logger, problems)
	if err := openAccessLog(cfg); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
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
