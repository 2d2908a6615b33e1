package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

// TestLoggerDurations: both formats write durations as "20s", never as
// nanoseconds, config durations and durations in groups too; under
// journald the time is left out.
func TestLoggerDurations(t *testing.T) {
	log := func(format string) string {
		var b bytes.Buffer
		newLogger(&b, slog.LevelInfo, format).Info("shutting down",
			"timeout", 20*time.Second, "max_backoff", config.Duration(6*time.Hour),
			slog.Group("run", slog.Duration("took", 1500*time.Microsecond)), "count", 3)
		return b.String()
	}
	var got struct {
		Time       string `json:"time"`
		Timeout    any    `json:"timeout"`
		MaxBackoff any    `json:"max_backoff"`
		Run        struct {
			Took any `json:"took"`
		} `json:"run"`
		Count any `json:"count"`
	}
	line := log("json")
	if err := json.Unmarshal([]byte(line), &got); err != nil {
		t.Fatalf("%v: %s", err, line)
	}
	if got.Timeout != "20s" || got.MaxBackoff != "6h0m0s" || got.Run.Took != "1.5ms" || got.Count != 3.0 || got.Time == "" {
		t.Errorf("json: %s", line)
	}
	text := log("text")
	for _, want := range []string{"timeout=20s", "max_backoff=6h0m0s", "run.took=1.5ms", "count=3", "time="} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %s: %s", want, text)
		}
	}
	t.Setenv("JOURNAL_STREAM", "8:1234")
	if line := log("json"); strings.Contains(line, `"time"`) || !strings.Contains(line, `"timeout":"20s"`) {
		t.Errorf("json under journald: %s", line)
	}
	if line := log("text"); strings.Contains(line, "time=") || !strings.Contains(line, "timeout=20s") {
		t.Errorf("text under journald: %s", line)
	}
}
