package daemon

import "github.com/feedsmith/feedsmith/config"

// ReopenLogs opens the access log file again, for log rotation: SIGHUP
// does it whatever the configuration file holds now, so that a rotation
// never leaves the log written to the moved file.
func (d *Daemon) ReopenLogs() {
	if err := d.srv.ReopenAccessLog(); err != nil {
		d.logger.Error("reopen the access log; requests are logged to the old file", "error", err)
	}
}

// switchAccessLog moves the access log where a reloaded configuration
// says; when that fails, it stays where it was.
func (d *Daemon) switchAccessLog(old, cfg *config.Config) {
	if cfg.Server.AccessLog == old.Server.AccessLog {
		return
	}
	if err := d.srv.OpenAccessLog(cfg.Server.AccessLog); err != nil {
		d.logger.Error("server.access_log not changed", "access_log", old.Server.AccessLog, "configured", cfg.Server.AccessLog, "error", err)
	}
}
