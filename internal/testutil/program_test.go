package testutil

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that records Skipf and Fatalf instead of
// stopping the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Skipf(f string, args ...any)  { r.skipped = fmt.Sprintf(f, args...) }
func (r *recorder) Fatalf(f string, args ...any) { r.failed = fmt.Sprintf(f, args...) }

func TestNeedProgram(t *testing.T) {
	const missing = "feedsmith-no-such-program"
	tests := []struct {
		name, program, env string
		skip, fail         bool
	}{
		{"found", "go", "1", false, false},
		{"missing skips", missing, "", true, false},
		{"missing skips unless 1", missing, "yes", true, false},
		{"missing fails when required", missing, "1", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(RequireExternal, tt.env)
			r := &recorder{TB: t}
			path := NeedProgram(r, tt.program, "install it: apt-get install "+tt.program)
			if (r.skipped != "") != tt.skip || (r.failed != "") != tt.fail {
				t.Fatalf("skipped %q, failed %q; want skip %v, fail %v", r.skipped, r.failed, tt.skip, tt.fail)
			}
			if msg := r.skipped + r.failed; msg != "" && !strings.Contains(msg, "apt-get install "+missing) {
				t.Errorf("message %q does not say how to install it", msg)
			}
			if !tt.skip && !tt.fail && path == "" {
				t.Error("no path for a program on PATH")
			}
		})
	}
}
