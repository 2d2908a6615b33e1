package cluster

import (
	"context"
	"io"
	"net"
	neturl "net/url"
	"sync"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/store/postgres/pgtest"
)

// TestDatabaseLost: through a connection that breaks (a loopback proxy to
// the server, closed), Ping and Hold fail with an error and the run is
// not started: an instance that lost the database collects nothing.
func TestDatabaseLost(t *testing.T) {
	u, err := neturl.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	target := u.Host
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, s)
			mu.Unlock()
			go io.Copy(s, c)
			go io.Copy(c, s)
		}
	}()
	u.Host = ln.Addr().String()
	q := u.Query()
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	c := open(t, u.String(), "a", time.Second)
	if err := c.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	ln.Close()
	mu.Lock()
	for _, conn := range conns {
		conn.Close()
	}
	mu.Unlock()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if err := c.Ping(ctx); err == nil {
		t.Error("Ping succeeded without a database")
	}
	t.Logf("ping failed after %s", time.Since(start))
	ran, _, err := c.Hold(ctx, "news", func(context.Context) { t.Error("a run started without a database") })
	if err == nil || ran {
		t.Errorf("Hold = %v, %v; want an error", ran, err)
	}
	t.Logf("hold failed after %s: %v", time.Since(start), err)
}
