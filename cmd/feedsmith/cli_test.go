package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runBinary runs the test binary as the real feedsmith (see TestMain) in
// dir ("" for this folder), with stdin and extra environment variables,
// and returns its exit status and output.
func runBinary(t *testing.T, dir string, stdin io.Reader, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "FEEDSMITH_TEST_MAIN=1", "COLUMNS="), env...)
	cmd.Stdin = stdin
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("feedsmith %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String(), errb.String()
}

// putFile writes body to dir/name and returns its path.
func putFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCommandLine: every command takes its configuration as -config or
// as its one positional argument, reads flags after it too, refuses what
// it did not ask for (exit 2, naming it), and prints its help to stdout.
func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	putFile(t, dir, "good.rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description>
<item><title>one</title><link>https://example.org/1</link><pubDate>Mon, 14 Feb 2022 08:47:41 +0800</pubDate></item></channel></rss>`)
	config := func(name, out string) {
		putFile(t, dir, name, "site: {base_url: https://feeds.example.org/}\nstore: {path: "+out+".sqlite}\noutput: {dir: "+out+"}\n"+
			"categories: [{id: news}]\nsources:\n  - {id: good, type: feed, url: good.rss, category: news}\n")
	}
	config("config.yaml", "default-out")
	config("other.yaml", "other-out")
	putFile(t, dir, "bad.yaml", "site: {base_url: nope}\n")

	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string // substrings wanted
	}{
		{"check takes its argument", []string{"check", "bad.yaml"}, 2, "", "bad.yaml:1: site.base_url"},
		{"check with -config", []string{"check", "-config", "bad.yaml"}, 2, "", "bad.yaml:1: site.base_url"},
		{"check of the default", []string{"check"}, 0, "config.yaml: ok", ""},
		{"argument and -config agreeing", []string{"check", "-config", "./other.yaml", "other.yaml"}, 0, "other.yaml: ok", ""},
		{"argument and -config differing", []string{"check", "-config", "config.yaml", "other.yaml"}, 2, "",
			`feedsmith check: argument "other.yaml" and -config "config.yaml" name different configuration files`},
		{"two arguments", []string{"build", "other.yaml", "config.yaml"}, 2, "", `feedsmith build: unexpected argument "config.yaml"`},
		{"run takes its argument", []string{"run", "bad.yaml"}, 2, "", "bad.yaml:1: site.base_url"},
		{"the daemon without a command too", []string{"-log-level", "error", "bad.yaml"}, 2, "", "bad.yaml:1: site.base_url"},
		{"preview's id and config", []string{"preview", "good", "bad.yaml"}, 2, "", "bad.yaml:1: site.base_url"},
		{"preview without an id", []string{"preview"}, 2, "", "feedsmith preview: missing SOURCE_ID"},
		{"an unknown flag", []string{"build", "-frobnicate"}, 2, "", "feedsmith build: flag provided but not defined: -frobnicate"},
		{"a bad log format", []string{"build", "-log-format", "xml"}, 2, "", `invalid value "xml" for flag -log-format: want text or json`},
		{"a bad log level", []string{"run", "-log-level", "loud"}, 2, "", `invalid value "loud" for flag -log-level`},
		{"version takes nothing", []string{"version", "now"}, 2, "", `feedsmith version: unexpected argument "now"`},
		{"import without a file", []string{"import"}, 2, "", "feedsmith import: missing FILE"},
		{"a config file for a command", []string{"other.yaml"}, 2, "", "to run the daemon on it: feedsmith run other.yaml"},
		{"help for a command that is not", []string{"help", "frobnicate"}, 2, "", `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runBinary(t, dir, nil, nil, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Errorf("feedsmith %s: exit %d, want %d\nstdout (want %q):\n%s\nstderr (want %q):\n%s",
					strings.Join(tt.args, " "), code, tt.code, tt.out, out, tt.err, errs)
			}
		})
	}

	t.Run("build reads the flags after its argument", func(t *testing.T) {
		code, out, errs := runBinary(t, dir, nil, nil, "build", "other.yaml", "-v", "-log-format", "json")
		if code != 0 || !strings.Contains(errs, `"msg":"source collected"`) || !strings.Contains(out, "other-out") {
			t.Errorf("build other.yaml -v -log-format json: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, "other-out", "feeds", "news.atom")); err != nil {
			t.Errorf("other.yaml's output not written: %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "default-out")); err == nil {
			t.Error("config.yaml was built too")
		}
	})

	t.Run("help on stdout", func(t *testing.T) {
		for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
			code, out, errs := runBinary(t, dir, nil, nil, args...)
			if code != 0 || errs != "" || !strings.Contains(out, "feedsmith import FILE.opml") {
				t.Errorf("feedsmith %s: exit %d\nstdout:\n%s\nstderr:\n%s", args[0], code, out, errs)
			}
		}
		for name := range commands {
			for _, args := range [][]string{{name, "-h"}, {name, "--help"}, {"help", name}} {
				code, out, errs := runBinary(t, dir, nil, nil, args...)
				if code != 0 || errs != "" || !strings.HasPrefix(out, "usage: feedsmith "+name) {
					t.Errorf("feedsmith %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errs)
				}
			}
		}
		if _, out, _ := runBinary(t, dir, nil, nil, "build", "-h"); !strings.Contains(out, "-strict") || !strings.Contains(out, "3  with -strict") {
			t.Errorf("build -h lacks -strict and its exit status:\n%s", out)
		}
	})
}
