package sources

import (
	"fmt"
	"net/netip"
	"syscall"
)

// addrRange is a range of addresses an untrusted fetch may not connect to,
// with what its addresses are.
type addrRange struct {
	prefix netip.Prefix
	what   string
}

func ranges(rs ...string) []addrRange {
	out := make([]addrRange, 0, len(rs)/2)
	for i := 0; i+1 < len(rs); i += 2 {
		out = append(out, addrRange{netip.MustParsePrefix(rs[i]), rs[i+1]})
	}
	return out
}

// nonPublicV4 and nonPublicV6 are the ranges of the IANA special-purpose
// address registries that are not globally reachable unicast, the first
// match naming the address. IPv6 outside 2000::/3 is reserved besides.
var (
	nonPublicV4 = ranges(
		"0.0.0.0/32", "the unspecified address",
		"0.0.0.0/8", `a "this network" address`,
		"10.0.0.0/8", "a private address (RFC 1918)",
		"100.64.0.0/10", "a shared address (CGNAT, RFC 6598)",
		"127.0.0.0/8", "a loopback address",
		"169.254.0.0/16", "a link-local address",
		"172.16.0.0/12", "a private address (RFC 1918)",
		"192.0.0.0/24", "an IETF protocol address (RFC 6890)",
		"192.0.2.0/24", "a documentation address (TEST-NET-1)",
		"192.88.99.0/24", "a 6to4 relay address (deprecated)",
		"192.168.0.0/16", "a private address (RFC 1918)",
		"198.18.0.0/15", "a benchmarking address (RFC 2544)",
		"198.51.100.0/24", "a documentation address (TEST-NET-2)",
		"203.0.113.0/24", "a documentation address (TEST-NET-3)",
		"224.0.0.0/4", "a multicast address",
		"255.255.255.255/32", "the broadcast address",
		"240.0.0.0/4", "a reserved address",
	)
	nonPublicV6 = ranges(
		"::/128", "the unspecified address",
		"::1/128", "a loopback address",
		"64:ff9b:1::/48", "a local-use NAT64 address (RFC 8215)",
		"100::/64", "a discard-only address",
		"2001::/23", "an IETF protocol address (Teredo, benchmarking, ORCHID)",
		"2001:db8::/32", "a documentation address",
		"3fff::/20", "a documentation address",
		"fc00::/7", "a unique-local address",
		"fe80::/10", "a link-local address",
		"fec0::/10", "a site-local address (deprecated)",
		"ff00::/8", "a multicast address",
	)
	globalUnicastV6 = netip.MustParsePrefix("2000::/3")
	nat64           = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour       = netip.MustParsePrefix("2002::/16")
	compatible      = netip.MustParsePrefix("::/96")
)

// nonPublic returns what ip is when it is not a public unicast address
// ("a loopback address"), or "" when it is. An IPv6 address that embeds
// an IPv4 one (IPv4-mapped, IPv4-compatible, 6to4, NAT64) is what the
// IPv4 address is, since connecting to it may reach that address.
func nonPublic(ip netip.Addr) string {
	ip = ip.WithZone("")
	list := nonPublicV4
	if ip.Is6() {
		list = nonPublicV6
	}
	for _, r := range list {
		if r.prefix.Contains(ip) {
			return r.what
		}
	}
	if v4, form, ok := embeddedV4(ip); ok {
		if what := nonPublic(v4); what != "" {
			return fmt.Sprintf("the %s form of %s, %s", form, v4, what)
		}
		if form == "IPv4-compatible" {
			return "an IPv4-compatible address (deprecated)"
		}
		return ""
	}
	if ip.Is6() && !globalUnicastV6.Contains(ip) {
		return "a reserved address"
	}
	return ""
}

// embeddedV4 returns the IPv4 address an IPv6 one carries, and the name
// of the form that carries it.
func embeddedV4(ip netip.Addr) (netip.Addr, string, bool) {
	if !ip.Is6() {
		return netip.Addr{}, "", false
	}
	b := ip.As16()
	last := netip.AddrFrom4([4]byte(b[12:16]))
	switch {
	case ip.Is4In6():
		return last, "IPv4-mapped", true
	case nat64.Contains(ip):
		return last, "NAT64", true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), "6to4", true
	case compatible.Contains(ip):
		return last, "IPv4-compatible", true
	}
	return netip.Addr{}, "", false
}

// addrError is a connection the guard refused.
type addrError struct {
	addr netip.Addr
	what string
}

func (e *addrError) Error() string {
	return fmt.Sprintf("%s is %s (allow_private to allow)", e.addr, e.what)
}

// guard decides, at connect time, which addresses an untrusted fetch may
// connect to: public unicast ones, and those in allowed.
type guard struct {
	allowed []netip.Prefix
}

// control is a net.Dialer Control function: it sees each address the
// dialer is about to connect to, after name resolution and for every
// redirect, so a name that resolves (or rebinds) to an internal address
// is caught as surely as a literal one. It sends nothing.
func (g guard) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refused %s %s: not an IP address and port", network, address)
	}
	ip := ap.Addr()
	for _, p := range g.allowed {
		if p.Contains(ip.WithZone("")) || p.Contains(ip.Unmap()) {
			return nil
		}
	}
	if what := nonPublic(ip); what != "" {
		return &addrError{addr: ip, what: what}
	}
	return nil
}
