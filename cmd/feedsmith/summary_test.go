package main

import (
	"testing"

	"github.com/feedsmith/feedsmith/collect"
)

// TestPendingSummary: the build line says what retrying pending details
// did, and nothing when none were pending.
func TestPendingSummary(t *testing.T) {
	tests := []struct {
		name string
		p    collect.PendingResult
		want string
	}{
		{name: "none", want: ""},
		{name: "all fetched", p: collect.PendingResult{Tried: 2, Fetched: 2}, want: "; 2 of 2 pending details fetched"},
		{name: "one failing", p: collect.PendingResult{Tried: 2, Fetched: 1, Left: 1},
			want: "; 1 of 2 pending details fetched, 1 still pending"},
		{name: "given up", p: collect.PendingResult{Tried: 4, Fetched: 1, GivenUp: []string{"5 attempts", "404", "404"}},
			want: "; 1 of 4 pending details fetched, 3 given up (404, 5 attempts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pendingSummary(tt.p); got != tt.want {
				t.Errorf("pendingSummary(%+v) = %q, want %q", tt.p, got, tt.want)
			}
		})
	}
}
