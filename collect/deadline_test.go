package collect

import (
	"context"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/config"
)

func TestDeadlines(t *testing.T) {
	for _, tc := range []struct {
		timeout                     time.Duration
		deadline, collect, saveTime time.Duration
	}{
		{0, 10 * time.Second, 9 * time.Second, 10 * time.Second},
		{100 * time.Millisecond, time.Second, 900 * time.Millisecond, 10 * time.Second},
		{30 * time.Second, 300 * time.Second, 270 * time.Second, 30 * time.Second},
	} {
		src := config.Source{Timeout: config.Duration(tc.timeout)}
		if d, c, s := deadline(src), collectTime(src), saveTimeout(src); d != tc.deadline || c != tc.collect || s != tc.saveTime {
			t.Errorf("timeout %v: deadline %v, collect %v, save %v; want %v, %v, %v", tc.timeout, d, c, s, tc.deadline, tc.collect, tc.saveTime)
		}
	}
}

// TestSaveContext checks that a save has its own deadline, and outlives
// its caller's cancel by saveGrace, not more.
func TestSaveContext(t *testing.T) {
	parent, cancelParent := context.WithCancel(context.Background())
	ctx, cancel := saveContext(parent, time.Minute)
	defer cancel()
	if ctx.Err() != nil {
		t.Fatalf("save context done at once: %v", ctx.Err())
	}
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) < 59*time.Second {
		t.Errorf("deadline %v, want a minute from now", dl)
	}
	start := time.Now()
	cancelParent()
	select {
	case <-ctx.Done():
		if took := time.Since(start); took < saveGrace/2 {
			t.Errorf("save context ended %v after its caller's cancel, want about %v", took, saveGrace)
		}
	case <-time.After(10 * saveGrace):
		t.Fatal("save context still running long after its caller's cancel")
	}
	short, cancelShort := saveContext(context.Background(), 10*time.Millisecond)
	defer cancelShort()
	select {
	case <-short.Done():
	case <-time.After(time.Second):
		t.Fatal("save context outlived its own deadline")
	}
}
