package schedule

import "log/slog"

// cronLogger adapts a *slog.Logger to cron.Logger. Cron's routine messages
// (wake, run, added, ...) go to debug; those an operator acts on are
// reworded and raised.
type cronLogger struct{ l *slog.Logger }

// Info implements cron.Logger.
func (c cronLogger) Info(msg string, keysAndValues ...any) {
	if msg == "skip" { // from cron.SkipIfStillRunning
		c.l.Info("run skipped: previous run still going", keysAndValues...)
		return
	}
	c.l.Debug("cron "+msg, keysAndValues...)
}

// Error implements cron.Logger. cron.Recover reports a job's panic here
// with the message "panic" and a "stack" key.
func (c cronLogger) Error(err error, msg string, keysAndValues ...any) {
	if msg == "panic" {
		msg = "job panicked"
	}
	c.l.Error(msg, append([]any{"error", err}, keysAndValues...)...)
}
