package sources

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// TestGuardControl calls the dialer's Control function directly with the
// addresses a resolver might return: nothing is sent anywhere.
func TestGuardControl(t *testing.T) {
	tests := []struct {
		addr string
		want string // a substring of the refusal; "" to allow
	}{
		// The addresses of issue 10, and their relatives.
		{"169.254.169.254:80", "169.254.169.254 is a link-local address (allow_private to allow)"},
		{"[fd00:ec2::254]:80", "fd00:ec2::254 is a unique-local address"},
		{"10.0.0.1:80", "10.0.0.1 is a private address (RFC 1918)"},
		{"192.168.1.1:443", "192.168.1.1 is a private address"},
		{"172.16.0.1:80", "a private address"},
		{"172.31.255.255:80", "a private address"},
		{"[::ffff:169.254.169.254]:80", "::ffff:169.254.169.254 is the IPv4-mapped form of 169.254.169.254, a link-local address"},
		{"[::ffff:127.0.0.1]:80", "the IPv4-mapped form of 127.0.0.1, a loopback address"},
		{"0.0.0.0:80", "0.0.0.0 is the unspecified address"},
		{"[::]:80", ":: is the unspecified address"},
		{"127.0.0.1:18002", "127.0.0.1 is a loopback address (allow_private to allow)"},
		{"127.255.0.1:80", "a loopback address"},
		{"[::1]:80", "::1 is a loopback address"},
		{"100.64.0.1:80", "100.64.0.1 is a shared address (CGNAT, RFC 6598)"},
		{"100.127.255.254:80", "CGNAT"},
		{"[2002:a9fe:a9fe::1]:80", "the 6to4 form of 169.254.169.254, a link-local address"},
		{"[2002:c0a8:0101::1]:80", "the 6to4 form of 192.168.1.1, a private address"},
		{"[64:ff9b::a9fe:a9fe]:80", "the NAT64 form of 169.254.169.254, a link-local address"},
		{"[64:ff9b::7f00:1]:80", "the NAT64 form of 127.0.0.1"},
		{"[64:ff9b:1::a9fe:a9fe]:80", "a local-use NAT64 address"},
		{"[::a9fe:a9fe]:80", "the IPv4-compatible form of 169.254.169.254"},
		{"[::5db8:d822]:80", "an IPv4-compatible address (deprecated)"},
		{"[fe80::1%eth0]:80", "a link-local address"},
		{"[fe80::1]:80", "fe80::1 is a link-local address"},
		{"[fec0::1]:80", "a site-local address"},
		{"[ff02::1]:80", "a multicast address"},
		{"224.0.0.1:80", "a multicast address"},
		{"239.255.255.250:1900", "a multicast address"},
		{"255.255.255.255:80", "the broadcast address"},
		{"240.0.0.1:80", "a reserved address"},
		{"0.1.2.3:80", `a "this network" address`},
		{"192.0.0.8:80", "an IETF protocol address"},
		{"192.0.2.1:80", "TEST-NET-1"},
		{"198.18.0.1:80", "a benchmarking address"},
		{"198.19.255.1:80", "a benchmarking address"},
		{"198.51.100.7:80", "TEST-NET-2"},
		{"203.0.113.9:80", "TEST-NET-3"},
		{"192.88.99.1:80", "6to4 relay"},
		{"[2001:db8::1]:80", "a documentation address"},
		{"[3fff::1]:80", "a documentation address"},
		{"[2001::1]:80", "an IETF protocol address"},
		{"[100::1]:80", "a discard-only address"},
		{"[5f00::1]:80", "a reserved address"},
		{"[4000::1]:80", "a reserved address"},
		// Public unicast, as a real site's.
		{"93.184.216.34:80", ""},
		{"8.8.8.8:443", ""},
		{"172.32.0.1:80", ""},
		{"100.128.0.1:80", ""},
		{"[2606:4700::1]:443", ""},
		{"[2a00:1450:4001:81b::200e]:443", ""},
		{"[::ffff:93.184.216.34]:80", ""},
		{"[64:ff9b::5db8:d822]:80", ""}, // NAT64 of a public address, as DNS64 gives on IPv6-only hosts
		{"[2002:5db8:d822::1]:80", ""},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := guard{}.control("tcp", tt.addr, nil)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("control(%s) = %v, want it allowed", tt.addr, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("control(%s) = %v, want a refusal with %q", tt.addr, err, tt.want)
			case tt.want != "":
				var ae *addrError
				if !errors.As(err, &ae) {
					t.Errorf("control(%s) = %T, want an *addrError", tt.addr, err)
				}
			}
		})
	}
}

func TestGuardAllowed(t *testing.T) {
	g := guard{allowed: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("fd00:ec2::/32"), netip.MustParsePrefix("127.0.0.1/32")}}
	for addr, ok := range map[string]bool{
		"10.1.2.3:80":              true,
		"[::ffff:10.1.2.3]:80":     true,
		"10.2.0.1:80":              false,
		"[fd00:ec2::254]:80":       true,
		"[fd00:ec3::254]:80":       false,
		"127.0.0.1:8080":           true,
		"127.0.0.2:8080":           false,
		"169.254.169.254:80":       false,
		"93.184.216.34:80":         true,
		"not an address":           false,
		"intranet.example.org:443": false, // the dialer always gives an IP
	} {
		if err := g.control("tcp", addr, nil); (err == nil) != ok {
			t.Errorf("control(%s) = %v, want allowed %v", addr, err, ok)
		}
	}
}
