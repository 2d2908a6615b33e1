package testutil

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// VersityGWEnv names the versitygw binary the object store tests run;
// without it they look for versitygw on PATH.
const VersityGWEnv = "FEEDSMITH_TEST_VERSITYGW"

// versityGWInstall is how to get the binary, for the skip message.
const versityGWInstall = "build versitygw (Apache-2.0, a real S3 server over a folder) with " +
	"GOBIN=$HOME/.cache/feedsmith/versitygw-v1.8.0 go install github.com/versity/versitygw/cmd/versitygw@v1.8.0 " +
	"and set " + VersityGWEnv + "=$HOME/.cache/feedsmith/versitygw-v1.8.0/versitygw (.ci/run does)"

// VersityGW is a versitygw S3 server a test started on a loopback port,
// serving a temporary folder: each subfolder is a bucket, each file
// below it an object.
type VersityGW struct {
	// Endpoint is the server's URL, "http://127.0.0.1:PORT".
	Endpoint string
	// Root is the folder served.
	Root                 string
	AccessKey, SecretKey string
	cmd                  *exec.Cmd
	exited               chan struct{}
	log                  SyncBuffer
}

// StartVersityGW starts versitygw with the given buckets, and stops it
// when the test ends. Without the binary the test is skipped, saying how
// to get it, or fails with FEEDSMITH_REQUIRE_EXTERNAL=1.
func StartVersityGW(t testing.TB, buckets ...string) *VersityGW {
	t.Helper()
	bin := versityGW(t)
	g := &VersityGW{Root: t.TempDir(), AccessKey: "feedsmith-test", SecretKey: "feedsmith-test-secret"}
	for _, b := range buckets {
		if err := os.Mkdir(filepath.Join(g.Root, b), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	// The port is free when picked and taken by versitygw a moment
	// later: another process may take it first, so try a few.
	for range 3 {
		if err = g.start(bin); err == nil {
			t.Cleanup(g.Stop)
			return g
		}
	}
	t.Fatalf("start versitygw: %v", err)
	return nil
}

// versityGW finds the binary: $FEEDSMITH_TEST_VERSITYGW, else on PATH.
func versityGW(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv(VersityGWEnv); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("%s=%s: %v", VersityGWEnv, bin, err)
		}
		return bin
	}
	bin, err := exec.LookPath("versitygw")
	switch {
	case err == nil:
		return bin
	case os.Getenv(RequireExternal) == "1":
		t.Fatalf("versitygw is required (%s=1) but neither %s is set nor versitygw on PATH; %s", RequireExternal, VersityGWEnv, versityGWInstall)
	default:
		t.Skipf("versitygw not found (%s unset, not on PATH); to run this test, %s (with %s=1 it fails instead)", VersityGWEnv, versityGWInstall, RequireExternal)
	}
	return ""
}

func (g *VersityGW) start(bin string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	g.log.Reset()
	g.cmd = exec.Command(bin, "--quiet", "--port", addr, "posix", g.Root)
	// Only what it needs: a VGW_* variable of the test's environment
	// must not change what the tests run against.
	g.cmd.Env = []string{"ROOT_ACCESS_KEY=" + g.AccessKey, "ROOT_SECRET_KEY=" + g.SecretKey, "PATH=" + os.Getenv("PATH")}
	g.cmd.Stdout, g.cmd.Stderr = &g.log, &g.log
	dieWithParent(g.cmd)
	if err := g.cmd.Start(); err != nil {
		return err
	}
	g.exited = make(chan struct{})
	go func() { g.cmd.Wait(); close(g.exited) }()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-g.exited:
			return fmt.Errorf("versitygw on %s exited: %s", addr, g.log.String())
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			g.Endpoint = "http://" + addr
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	g.Stop()
	return errors.New("versitygw did not listen on " + addr + " within 15 s: " + g.log.String())
}

// Stop kills the server (by its process id) and waits for it to exit; a
// request after Stop is refused. Stop may be called more than once.
func (g *VersityGW) Stop() {
	if g.cmd == nil || g.cmd.Process == nil {
		return
	}
	select {
	case <-g.exited:
		return
	default:
	}
	g.cmd.Process.Kill()
	<-g.exited
}

// Object returns the file that holds an object.
func (g *VersityGW) Object(bucket, key string) string {
	return filepath.Join(g.Root, bucket, filepath.FromSlash(key))
}
