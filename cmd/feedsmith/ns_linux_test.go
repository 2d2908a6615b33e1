package main

import (
	"os"
	"os/exec"
	"syscall"
)

// inNamespaces makes cmd start in a new user namespace, where this
// process's user is uid (0: root in there, with its capabilities over
// that namespace only; else an ordinary user who still owns this user's
// files and has no capability at all), and with mount in a new mount
// namespace too. It reports whether the platform has user namespaces
// (it does); where the kernel refuses them, cmd fails to start.
func inNamespaces(cmd *exec.Cmd, uid int, mount bool) bool {
	flags := uintptr(syscall.CLONE_NEWUSER)
	if mount {
		flags |= syscall.CLONE_NEWNS
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  flags,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: uid, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: uid, HostID: os.Getgid(), Size: 1}},
	}
	return true
}

// mountTmpfs mounts a 2 MiB tmpfs on dir, in the child's own mount
// namespace, made private first so that nothing mounted here reaches the
// namespace the test runs in.
func mountTmpfs(dir string) error {
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return err
	}
	return syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "size=2m")
}
