package daemon

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestClusterReadiness: an instance whose last reach of the database
// failed is not ready, and says why; one that reached it again is; a
// cancelled call (shutdown) changes nothing.
func TestClusterReadiness(t *testing.T) {
	cs := &clusterState{}
	if err := cs.err(); err != nil {
		t.Fatalf("a new cluster state: %v", err)
	}
	cs.reached(errors.New("dial tcp 127.0.0.1:5432: connect: connection refused"))
	if err := cs.err(); err == nil || !strings.Contains(err.Error(), "database cannot be reached: dial tcp") {
		t.Errorf("after a failure: %v", err)
	}
	cs.reached(context.Canceled)
	if cs.err() == nil {
		t.Error("a cancelled call cleared the failure")
	}
	var up []bool
	cs.up = func(ok bool) { up = append(up, ok) }
	cs.reached(errors.New("connection reset"))
	d := &Daemon{faults: newFaults(outputRetry), cluster: cs}
	if n := d.notices(); len(n) != 1 || !strings.HasPrefix(n[0], "The database cannot be reached") || !strings.Contains(n[0], "connection reset") {
		t.Errorf("the status page's notices while lost: %q", n)
	}
	cs.reached(nil)
	if err := cs.err(); err != nil {
		t.Errorf("after the database answered: %v", err)
	}
	if n := d.notices(); len(n) != 0 {
		t.Errorf("the status page's notices once it answered: %q", n)
	}
	if len(up) != 2 || up[0] || !up[1] {
		t.Errorf("feedsmith_database_up was told %v, want [false true]", up)
	}
}
