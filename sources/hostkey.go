package sources

import (
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// canonicalHost returns u's host and port as the fetch policy and the
// per-host limiter compare them: the host lower-cased, without a
// trailing dot, an IP address in its canonical form with IPv4-mapped IPv6
// as IPv4 ([::ffff:127.0.0.1] is 127.0.0.1), and the port as a number,
// the scheme's default (http 80, https 443) when absent.
func canonicalHost(u *url.URL) (host, port string) {
	host = strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.Unmap().String()
	}
	port = u.Port()
	if n, err := strconv.ParseUint(port, 10, 16); err == nil {
		port = strconv.FormatUint(n, 10)
	}
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return host, port
}

// hostKey is the per-host limiter's key for u: its canonical host and
// port, with every localhost name (RFC 6761: "localhost" and names under
// it) taken as 127.0.0.1, the address it stands for. Other names are not
// resolved: two names of one server are two hosts to the limiter, and so
// are 127.0.0.1 and [::1].
func hostKey(u *url.URL) string {
	host, port := canonicalHost(u)
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// originOf returns u's origin, "scheme://host:port" in canonical form
// (RFC 6454, with the port always written), or "" for a URL without a
// host. Names are compared as written: localhost is not 127.0.0.1 here.
func originOf(u *url.URL) string {
	if u == nil || u.Host == "" {
		return ""
	}
	host, port := canonicalHost(u)
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(host, port)
}
