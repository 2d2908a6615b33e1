//go:build !linux

package publish

import "errors"

// haveSyncFS reports whether syncFS can work here: syncfs(2) is Linux's.
const haveSyncFS = false

func syncFS(string) error { return errors.ErrUnsupported }
