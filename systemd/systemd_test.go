package systemd

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// listen sets NOTIFY_SOCKET to a unixgram socket, as systemd does, and
// returns it for reading what was sent.
func listen(t *testing.T) *net.UnixConn {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return conn
}

// receive returns the next datagram, failing the test after timeout.
func receive(t *testing.T, conn *net.UnixConn, timeout time.Duration) string {
	t.Helper()
	buf := make([]byte, 4096)
	if err := conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		t.Fatal(err)
	}
	n, err := conn.Read(buf)
	if err != nil {
		t.Fatalf("no notification within %v: %v", timeout, err)
	}
	return string(buf[:n])
}

// fields splits a notification into its newline-separated assignments.
func fields(msg string) map[string]string {
	m := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(msg), "\n") {
		k, v, _ := strings.Cut(line, "=")
		m[k] = v
	}
	return m
}

func TestNotify(t *testing.T) {
	tests := []struct {
		name string
		send func() error
		want map[string]string // "*" matches any non-empty value
	}{
		{"ready", Ready, map[string]string{"READY": "1", "STATUS": "*"}},
		{"reloading", Reloading, map[string]string{"RELOADING": "1", "MONOTONIC_USEC": "*", "STATUS": "*"}},
		{"stopping", Stopping, map[string]string{"STOPPING": "1", "STATUS": "*"}},
		{"status", func() error { return Status("42 sources\nREADY=1") }, map[string]string{"STATUS": "42 sources READY=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := listen(t)
			if err := tt.send(); err != nil {
				t.Fatalf("send: %v", err)
			}
			msg := receive(t, conn, time.Second)
			got := fields(msg)
			for k, v := range tt.want {
				if got[k] == "" || (v != "*" && got[k] != v) {
					t.Errorf("%s=%q in %q, want %q", k, got[k], msg, v)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("sent %q, want exactly the keys %v", msg, tt.want)
			}
		})
	}
}

func TestReadyComesFirst(t *testing.T) {
	conn := listen(t)
	if err := Ready(); err != nil {
		t.Fatal(err)
	}
	if msg := receive(t, conn, time.Second); !strings.HasPrefix(msg, "READY=1\n") {
		t.Errorf("Ready sent %q, want it to start with READY=1", msg)
	}
}

func TestReloadingMonotonicUsec(t *testing.T) {
	conn := listen(t)
	if err := Reloading(); err != nil {
		t.Fatal(err)
	}
	first, err := strconv.ParseInt(fields(receive(t, conn, time.Second))["MONOTONIC_USEC"], 10, 64)
	if err != nil || first <= 0 {
		t.Fatalf("MONOTONIC_USEC not a positive integer: %d, %v", first, err)
	}
	time.Sleep(2 * time.Millisecond)
	if err := Reloading(); err != nil {
		t.Fatal(err)
	}
	second, _ := strconv.ParseInt(fields(receive(t, conn, time.Second))["MONOTONIC_USEC"], 10, 64)
	if second <= first {
		t.Errorf("MONOTONIC_USEC went from %d to %d, want it to grow", first, second)
	}
}

func TestWithoutSystemdIsNoOp(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	t.Setenv("WATCHDOG_USEC", "200000")
	for name, send := range map[string]func() error{
		"Ready": Ready, "Reloading": Reloading, "Stopping": Stopping,
		"Status": func() error { return Status("x") },
	} {
		if err := send(); err != nil {
			t.Errorf("%s without NOTIFY_SOCKET: %v", name, err)
		}
	}
	// Watchdog sends nothing; it must still return when ctx is done.
	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
	defer cancel()
	Watchdog(ctx, nil)
}

func TestNotifyUnreachableSocket(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "missing"))
	if err := Ready(); err == nil {
		t.Error("Ready to a missing socket returned nil")
	}
}

func TestWatchdog(t *testing.T) {
	for _, pid := range []string{"", strconv.Itoa(os.Getpid())} {
		t.Run("WATCHDOG_PID="+pid, func(t *testing.T) {
			conn := listen(t)
			t.Setenv("WATCHDOG_USEC", "200000")
			t.Setenv("WATCHDOG_PID", pid)
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan struct{})
			go func() {
				Watchdog(ctx, nil)
				close(done)
			}()
			deadline := time.Now().Add(time.Second)
			for range 3 {
				if msg := receive(t, conn, time.Until(deadline)); msg != "WATCHDOG=1" {
					t.Fatalf("got %q, want WATCHDOG=1", msg)
				}
			}
			cancel()
			select {
			case <-done:
			case <-time.After(time.Second):
				t.Fatal("Watchdog still running after cancel")
			}
			drain(conn)
			if err := conn.SetReadDeadline(time.Now().Add(250 * time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			if n, err := conn.Read(make([]byte, 64)); err == nil {
				t.Errorf("got a notification after Watchdog returned (%d bytes)", n)
			}
		})
	}
}

// drain discards datagrams already queued.
func drain(conn *net.UnixConn) {
	buf := make([]byte, 64)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
		if _, err := conn.Read(buf); err != nil {
			return
		}
	}
}

func TestWatchdogDisabled(t *testing.T) {
	tests := []struct{ name, usec, pid string }{
		{"no WATCHDOG_USEC", "", ""},
		{"another process's watchdog", "200000", strconv.Itoa(os.Getpid() + 1)},
		{"malformed WATCHDOG_USEC", "soon", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			listen(t)
			t.Setenv("WATCHDOG_USEC", tt.usec)
			t.Setenv("WATCHDOG_PID", tt.pid)
			done := make(chan struct{})
			go func() {
				Watchdog(t.Context(), nil) // never cancelled: must return by itself
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(time.Second):
				t.Fatal("Watchdog did not return with the watchdog disabled")
			}
		})
	}
}

func TestWatchdogSkipsWhenUnhealthy(t *testing.T) {
	conn := listen(t)
	t.Setenv("WATCHDOG_USEC", "100000")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	healthy := make(chan bool, 1)
	healthy <- true
	go Watchdog(ctx, func() bool {
		select {
		case h := <-healthy:
			return h
		default:
			return false
		}
	})
	if msg := receive(t, conn, time.Second); msg != "WATCHDOG=1" {
		t.Fatalf("got %q, want WATCHDOG=1", msg)
	}
	// Unhealthy from now on: no keep-alive for several intervals.
	if err := conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Read(make([]byte, 64)); err == nil {
		t.Error("keep-alive sent while unhealthy")
	}
}
