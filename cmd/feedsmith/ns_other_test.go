//go:build !linux

package main

import (
	"errors"
	"os/exec"
)

// inNamespaces reports false: user namespaces are Linux's.
func inNamespaces(cmd *exec.Cmd, uid int, mount bool) bool { return false }

func mountTmpfs(dir string) error { return errors.New("a tmpfs test needs Linux") }
