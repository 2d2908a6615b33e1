// Package systemd tells systemd how the daemon is doing, through the
// sd_notify protocol: readiness, reloads, shutdown, a status line and
// watchdog keep-alives. Every function is a no-op returning nil when the
// process was not started by systemd (NOTIFY_SOCKET unset).
package systemd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

// Ready tells systemd that start-up or a reload is complete: with
// Type=notify, systemctl start and reload return only after this.
func Ready() error {
	return notify(daemon.SdNotifyReady + "\nSTATUS=running")
}

// Reloading tells systemd that the configuration is being reloaded; call
// Ready when done. MONOTONIC_USEC is required by Type=notify-reload
// (systemd 253 and later) to tell this reload from an earlier one, and
// ignored otherwise.
func Reloading() error {
	return notify(daemon.SdNotifyReloading + "\n" + daemon.SdNotifyMonotonicUsec() + "STATUS=reloading configuration")
}

// Stopping tells systemd that the daemon is shutting down.
func Stopping() error {
	return notify(daemon.SdNotifyStopping + "\nSTATUS=stopping")
}

// Status sets the one-line status shown by systemctl status.
func Status(s string) error {
	// A newline would start another assignment.
	return notify("STATUS=" + strings.ReplaceAll(s, "\n", " "))
}

// Watchdog sends WATCHDOG=1 every half of WATCHDOG_USEC until ctx is done.
// It returns at once when the watchdog is not enabled for this process.
// healthy, when not nil, is asked before each keep-alive and a false
// answer skips it, so systemd restarts a daemon that is alive but stuck.
func Watchdog(ctx context.Context, healthy func() bool) {
	interval, err := daemon.SdWatchdogEnabled(false)
	if err != nil || interval <= 0 {
		return
	}
	ticker := time.NewTicker(interval / 2)
	defer ticker.Stop()
	for {
		if healthy == nil || healthy() {
			// A failed send is retried on the next tick; if they all
			// fail, systemd restarts us, which is what it is for.
			_ = notify(daemon.SdNotifyWatchdog)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// notify sends state to systemd, keeping NOTIFY_SOCKET set for later calls.
func notify(state string) error {
	if _, err := daemon.SdNotify(false, state); err != nil {
		return fmt.Errorf("systemd notify: %w", err)
	}
	return nil
}
