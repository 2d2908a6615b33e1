package config

import (
	"fmt"
	"net/netip"
	"strings"
)

// hostPattern is an allowed host name: ASCII labels (xn-- for IDNs),
// optionally under "*." for every name below a domain.
var hostPattern = lazyRegexp(`^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$`)

// ParseAllowEntry reads one entry of an allow list: a host name
// ("intranet.example", "*.corp.example"), returned lower-cased without a
// trailing dot, or an IP address or CIDR range ("10.1.2.3",
// "10.0.0.0/8", "fd00::/8"), returned as a prefix.
func ParseAllowEntry(entry string) (host string, prefix netip.Prefix, err error) {
	s := strings.TrimSpace(entry)
	if p, err := netip.ParsePrefix(s); err == nil {
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		return "", p.Masked(), nil
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		a = a.Unmap()
		return "", netip.PrefixFrom(a, a.BitLen()), nil
	}
	h := strings.TrimSuffix(strings.ToLower(s), ".")
	if !strings.Contains(s, "/") && hostPattern().MatchString(h) && !numeric(h[strings.LastIndexByte(h, '.')+1:]) {
		return h, netip.Prefix{}, nil
	}
	return "", netip.Prefix{}, fmt.Errorf("%q is not a host name, an IP address or a CIDR range", entry)
}

// numeric reports whether a host's last label is all digits: such a name
// is an IPv4 address (mistyped, or in a form other than dotted decimal).
func numeric(label string) bool {
	return strings.Trim(label, "0123456789") == ""
}
