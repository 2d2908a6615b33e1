package config

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use. Every command starts by running
// every package's init, `feedsmith version` too; most of these patterns
// serve one kind of source or one error message.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
