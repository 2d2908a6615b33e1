package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// minRemoteInterval is the least time between two runs of a source on
// another host that is not worth a warning.
const minRemoteInterval = time.Minute

// Warnings returns what in c works but is likely not what was meant: a
// source that runs more often than once a minute against another host,
// and a gjson path written as JSONPath.
func (c *Config) Warnings() Problems {
	var ps Problems
	for i := range c.Sources {
		s := &c.Sources[i]
		key := fmt.Sprintf("sources[%d]", i)
		if host := remoteHost(s); host != "" {
			if d := MinInterval(s.Schedule); d > 0 && d < minRemoteInterval {
				ps = append(ps, c.Warning(key+".schedule", fmt.Sprintf(
					"%q runs every %v against %s: under a minute between fetches is more than most sites allow, and rarely brings news sooner (use 1m or more)",
					s.Schedule, d, host)))
			}
		}
		paths := s.gjsonPaths()
		for _, k := range sortedKeys(paths) {
			if hint := PathHint(paths[k]); hint != "" {
				ps = append(ps, c.Warning(key+"."+k, hint))
			}
		}
	}
	return ps
}

// remoteHost returns the host a source fetches from when it is another
// machine: "" for a local file, a posts folder or a loopback address.
func remoteHost(s *Source) string {
	if s.Type == "posts" {
		return ""
	}
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if ip := net.ParseIP(h); h == "localhost" || strings.HasSuffix(h, ".localhost") || ip != nil && ip.IsLoopback() {
		return ""
	}
	return h
}
