package sources

import (
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/feedsmith/feedsmith/config"
)

// Policy is one source's fetch policy. URLs the operator wrote are
// trusted: they are fetched wherever they point, loopback included. Every
// other URL (an item's link followed for its detail, a redirect to
// another origin, a URL built by a template whose host comes from a
// field) is untrusted: it is fetched only if it has one of Origins, or
// if every address it connects to is public unicast or allowed here.
type Policy struct {
	// Origins are the canonical origins (see originOf) of the URLs the
	// operator wrote: the source's url and a detail.url template whose
	// scheme, host and port are literal text.
	Origins []string
	// AllowPrivate lets untrusted URLs connect to any address.
	AllowPrivate bool
	// AllowHosts are host names untrusted URLs may reach at any address:
	// exact names, or "*.example.org" for the names under example.org.
	AllowHosts []string
	// AllowNets are the address ranges untrusted URLs may connect to
	// besides public ones.
	AllowNets []netip.Prefix
}

// policyFor returns the policy of a source: its url's origin and those
// of literal, the operator's other URLs, and what cfg allows.
func policyFor(cfg config.Source, literal ...string) Policy {
	p := Policy{AllowPrivate: cfg.AllowPrivate != nil && *cfg.AllowPrivate}
	for _, raw := range append([]string{cfg.URL}, literal...) {
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			if o := originOf(u); o != "" && !slices.Contains(p.Origins, o) {
				p.Origins = append(p.Origins, o)
			}
		}
	}
	for _, entry := range cfg.Allow {
		host, prefix, err := config.ParseAllowEntry(entry)
		switch {
		case err != nil: // refused when the configuration was loaded
		case host != "":
			p.AllowHosts = append(p.AllowHosts, host)
		default:
			p.AllowNets = append(p.AllowNets, prefix)
		}
	}
	return p
}

// trusts reports whether u has one of the operator's origins, or origin
// (the trusted URL a fetch started from; "" for none).
func (p *Policy) trusts(u *url.URL, origin string) bool {
	o := originOf(u)
	return o != "" && (o == origin || slices.Contains(p.Origins, o))
}

// opens reports whether an untrusted URL to host may connect anywhere.
func (p *Policy) opens(host string) bool {
	if p.AllowPrivate {
		return true
	}
	for _, h := range p.AllowHosts {
		if h == host {
			return true
		}
		if sub, ok := strings.CutPrefix(h, "*"); ok && strings.HasSuffix(host, sub) {
			return true
		}
	}
	return false
}

// netsKey names p's allowed ranges, for sharing a guarded pool among the
// sources that allow the same ones.
func (p *Policy) netsKey() string {
	keys := make([]string, len(p.AllowNets))
	for i, n := range p.AllowNets {
		keys[i] = n.String()
	}
	slices.Sort(keys)
	return strings.Join(keys, ",")
}
