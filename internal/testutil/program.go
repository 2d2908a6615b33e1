package testutil

import (
	"os"
	"os/exec"
	"testing"
)

// RequireExternal is the environment variable that makes a missing
// external program fail the tests that need it instead of skipping them.
// CI sets it to 1, so that such a test cannot pass there by not running.
const RequireExternal = "FEEDSMITH_REQUIRE_EXTERNAL"

// NeedProgram returns the path of the program name, looked up on PATH.
// When it is missing, the test is skipped with install, the instruction
// that gets it ("install Debian's jekyll: apt-get install jekyll"), or
// fails when FEEDSMITH_REQUIRE_EXTERNAL=1.
func NeedProgram(t testing.TB, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	switch {
	case err == nil:
		return path
	case os.Getenv(RequireExternal) == "1":
		t.Fatalf("%s is required (%s=1) but not found: %v; %s", name, RequireExternal, err, install)
	default:
		t.Skipf("%s not found on PATH; to run this test, %s (with %s=1 it fails instead)", name, install, RequireExternal)
	}
	return ""
}
