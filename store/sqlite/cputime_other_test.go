//go:build !unix

package sqlite

import (
	"testing"
	"time"
)

// cpuTime is 0 where getrusage is missing: cpu-ns/op then reads 0.
func cpuTime(*testing.B) time.Duration { return 0 }
