package publish

import (
	"os"

	"golang.org/x/sys/unix"
)

// haveSyncFS reports whether syncFS can work here.
const haveSyncFS = true

// syncFS flushes everything written to the file system that holds dir
// (syncfs(2)): the data of every file a batch staged there, in one
// journal commit.
func syncFS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}
