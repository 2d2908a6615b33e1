package sources

import (
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// pools holds the connection pools of untrusted fetches, apart from the
// trusted client's: a connection dialed for a trusted request to an
// internal host can never carry an untrusted one. Untrusted fetches never
// go through a proxy either (HTTP_PROXY and the like): a proxy would
// resolve and connect on its own, out of the guard's sight.
type pools struct {
	mu sync.Mutex
	// guarded are the pools whose dialer refuses non-public addresses,
	// one per set of allowed ranges ("" for none).
	guarded map[string]*http.Transport
	// open is the pool of untrusted fetches the policy lets connect
	// anywhere (allow_private, an allowed host).
	open *http.Transport
}

func newPools() *pools { return &pools{guarded: map[string]*http.Transport{}} }

// transport returns the pool for an untrusted fetch to host under p.
func (ps *pools) transport(p *Policy, host string) *http.Transport {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p.opens(host) {
		if ps.open == nil {
			ps.open = newTransport(nil)
		}
		return ps.open
	}
	key := p.netsKey()
	t, ok := ps.guarded[key]
	if !ok {
		t = newTransport(guard{allowed: p.AllowNets}.control)
		ps.guarded[key] = t
	}
	return t
}

// closeIdle closes every pool's idle connections.
func (ps *pools) closeIdle() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, t := range ps.guarded {
		t.CloseIdleConnections()
	}
	if ps.open != nil {
		ps.open.CloseIdleConnections()
	}
}

// newTransport returns a transport like http.DefaultTransport but without
// a proxy, whose dialer calls control (when not nil) before each connect.
func newTransport(control func(network, address string, c syscall.RawConn) error) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: control}
	t.DialContext = d.DialContext
	return t
}
