// Package deploy_test checks that the files the packages install agree
// with each other and with the binary: the unit, the sample config, the
// sysusers.d and tmpfiles.d entries, the nfpm contents and the maintainer
// scripts. scripts/package-test checks the same on an installed .deb.
package deploy_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/internal/testutil"
	"go.yaml.in/yaml/v3"
)

// unit reads feedsmith.service's Key=Value lines (no key is repeated in it).
func unit(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("feedsmith.service")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("feedsmith.service: not Key=Value: %q", line)
		}
		if _, dup := keys[k]; dup {
			t.Fatalf("feedsmith.service: %s set twice", k)
		}
		keys[k] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

// writable is the unit's ReadWritePaths without their "-" prefixes.
func writable(t *testing.T) []string {
	t.Helper()
	var dirs []string
	for _, d := range strings.Fields(unit(t)["ReadWritePaths"]) {
		dirs = append(dirs, strings.TrimPrefix(d, "-"))
	}
	return dirs
}

func TestUnit(t *testing.T) {
	u := unit(t)
	for key, want := range map[string]string{
		"ExecStart":                "/usr/bin/feedsmith run -config /etc/feedsmith/config.yaml",
		"Type":                     "notify",
		"Restart":                  "on-failure",
		"RestartPreventExitStatus": "2",
		"User":                     "feedsmith",
		"Group":                    "feedsmith",
		"StateDirectory":           "feedsmith",
		"ReadWritePaths":           "/var/lib/feedsmith -/var/www/feedsmith",
		"ProtectSystem":            "strict",
		"NoNewPrivileges":          "yes",
		"CapabilityBoundingSet":    "",
	} {
		if got, ok := u[key]; !ok || got != want {
			t.Errorf("%s=%q (set: %v), want %q", key, got, ok, want)
		}
	}
}

// TestSampleConfig loads deploy/config.yaml as the installed service does
// and checks that everything it writes is inside the unit's ReadWritePaths.
func TestSampleConfig(t *testing.T) {
	cfg, err := config.Load("config.yaml")
	if err != nil {
		t.Fatalf("deploy/config.yaml: %v", err)
	}
	if cfg.Store.Path != "/var/lib/feedsmith/feedsmith.db" {
		t.Errorf("store.path %q, want /var/lib/feedsmith/feedsmith.db", cfg.Store.Path)
	}
	if cfg.Output.Dir != "/var/www/feedsmith" {
		t.Errorf("output.dir %q, want /var/www/feedsmith", cfg.Output.Dir)
	}
	if cfg.Server.Listen != "127.0.0.1:8080" {
		t.Errorf("server.listen %q, want 127.0.0.1:8080 (behind a reverse proxy)", cfg.Server.Listen)
	}
	if cfg.Outputs.Jekyll != nil {
		t.Errorf("outputs.jekyll set: the unit cannot write its folder")
	}
	dirs := writable(t)
	for _, p := range []string{filepath.Dir(cfg.Store.Path), cfg.Output.Dir} {
		if !slices.Contains(dirs, p) {
			t.Errorf("%s is not in the unit's ReadWritePaths %v", p, dirs)
		}
	}
	if len(cfg.Sources) == 0 {
		t.Fatal("no sources")
	}
	for _, s := range cfg.Sources {
		if !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("source %s: url %q: the sample's sources are remote, so that it works on any machine", s.ID, s.URL)
		}
	}
}

// fields reads the non-comment lines of a sysusers.d or tmpfiles.d file.
func fields(t *testing.T, name string) [][]string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]string
	for line := range strings.Lines(string(data)) {
		if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(f[0], "#") {
			lines = append(lines, f)
		}
	}
	return lines
}

func TestUserAndFolders(t *testing.T) {
	user := unit(t)["User"]
	users := fields(t, "sysusers.conf")
	if len(users) != 1 || users[0][0] != "u" || users[0][1] != user || users[0][len(users[0])-1] != "/var/lib/feedsmith" {
		t.Errorf("sysusers.conf: %q, want one u %s line with home /var/lib/feedsmith", users, user)
	}
	made := map[string][]string{}
	for _, f := range fields(t, "tmpfiles.conf") {
		if len(f) != 6 || f[0] != "d" {
			t.Fatalf("tmpfiles.conf: %q, want d PATH MODE USER GROUP AGE", f)
		}
		made[f[1]] = f[2:5]
	}
	for _, dir := range writable(t) {
		if got := made[dir]; len(got) != 3 || got[1] != user || got[2] != user {
			t.Errorf("tmpfiles.conf: %s: %q, want a d line owned by %s:%s", dir, got, user, user)
		}
	}
	if got, want := made["/var/lib/feedsmith"], unit(t)["StateDirectoryMode"]; len(got) == 3 && got[0] != want {
		t.Errorf("tmpfiles.conf makes /var/lib/feedsmith %s, the unit StateDirectoryMode=%s", got[0], want)
	}
}

// TestPackageContents checks that nfpm.yaml installs each file where the
// unit and the maintainer scripts look for it.
func TestPackageContents(t *testing.T) {
	data, err := os.ReadFile("nfpm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Contents []struct {
			Src, Dst, Type, Packager string
		}
		Scripts map[string]string
	}
	if err := yaml.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	type entry struct{ src, typ string }
	got := map[string]entry{} // "packager dst" ("all" for both)
	for _, c := range pkg.Contents {
		p := c.Packager
		if p == "" {
			p = "all"
		}
		got[p+" "+c.Dst] = entry{c.Src, c.Type}
		if !strings.HasPrefix(c.Src, "$") {
			if _, err := os.Stat(filepath.Join("..", c.Src)); err != nil {
				t.Errorf("nfpm.yaml: %s: %v", c.Dst, err)
			}
		}
	}
	for key, want := range map[string]entry{
		"all /usr/bin/feedsmith":                        {"${BINARY}", ""},
		"deb /lib/systemd/system/feedsmith.service":     {"deploy/feedsmith.service", ""},
		"rpm /usr/lib/systemd/system/feedsmith.service": {"deploy/feedsmith.service", ""},
		"all /etc/feedsmith/config.yaml":                {"deploy/config.yaml", "config|noreplace"},
		"all /usr/lib/sysusers.d/feedsmith.conf":        {"deploy/sysusers.conf", ""},
		"all /usr/lib/tmpfiles.d/feedsmith.conf":        {"deploy/tmpfiles.conf", ""},
	} {
		if got[key] != want {
			t.Errorf("nfpm.yaml: %s: got %+v, want %+v", key, got[key], want)
		}
	}
	postinstall, err := os.ReadFile(filepath.Join("..", pkg.Scripts["postinstall"]))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/usr/lib/sysusers.d/feedsmith.conf", "/usr/lib/tmpfiles.d/feedsmith.conf"} {
		if !strings.Contains(string(postinstall), path) {
			t.Errorf("postinstall does not apply %s", path)
		}
	}
	for name, script := range pkg.Scripts {
		fi, err := os.Stat(filepath.Join("..", script))
		if err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("scripts.%s %s: not an executable file (%v)", name, script, err)
		}
	}
}

// TestExitStatusTwo checks what RestartPreventExitStatus=2 relies on: the
// daemon exits 2, not 1, on an invalid or missing configuration and on a
// usage error, so systemd does not restart it every 5 s.
func TestExitStatusTwo(t *testing.T) {
	gobin := testutil.NeedProgram(t, "go", "install Go")
	bin := filepath.Join(t.TempDir(), "feedsmith")
	build := exec.Command(gobin, "build", "-o", bin, "../cmd/feedsmith")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	invalid := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(invalid, []byte("site:\n  title: no base_url\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"invalid config": {"run", "-config", invalid},
		"missing config": {"run", "-config", filepath.Join(t.TempDir(), "absent.yaml")},
		"unknown flag":   {"run", "-no-such-flag"},
	} {
		t.Run(name, func(t *testing.T) {
			err := exec.Command(bin, args...).Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Errorf("feedsmith %s: %v, want exit status 2", strings.Join(args, " "), err)
			}
		})
	}
}
