package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/feedsmith/feedsmith/config"
	"github.com/feedsmith/feedsmith/server"
	"github.com/feedsmith/feedsmith/sources"
	"github.com/feedsmith/feedsmith/store/open"
)

func runCheck(_ context.Context, args []string, stdout, stderr io.Writer) int {
	cl := newCommandLine("check", "Validate the configuration, without network, and exit: 0 when it is valid, 2 with every problem listed.")
	path := cl.configFile()
	if code, ok := cl.parse(args, stdout, stderr); !ok {
		return code
	}
	cfg, problems := loadConfig(*path, true)
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	errs := len(problems.Errors())
	warnings := plural(len(problems)-errs, "warning")
	if cfg == nil {
		fmt.Fprintf(stderr, "%s: %s, %s\n", *path, plural(errs, "error"), warnings)
		return 2
	}
	fmt.Fprintf(stdout, "%s: ok (%d sources, %d categories)", *path, len(cfg.Sources), len(cfg.Categories))
	if errs < len(problems) {
		fmt.Fprintf(stdout, ", %s", warnings)
	}
	fmt.Fprintln(stdout)
	return 0
}

// loadConfig loads the configuration at path and checks it as check
// does: everything config.Inspect finds, then what the sources would do
// with their templates, and, when paths is set, whether the local files
// and folders they read are there. It returns every problem, warnings
// among them, in file order, and the configuration, nil when any error
// refuses it.
func loadConfig(path string, paths bool) (*config.Config, config.Problems) {
	cfg, problems := config.Inspect(path)
	if cfg != nil {
		problems = append(problems, sources.Check(cfg)...)
		problems = append(problems, open.Check(cfg)...)
		if paths {
			problems = append(problems, sources.CheckPaths(cfg)...)
			problems = append(problems, accessLogFolder(cfg)...)
		}
		problems.Sort()
	}
	if len(problems.Errors()) > 0 {
		return nil, problems
	}
	return cfg, problems
}

// accessLogFolder checks that the folder of a server.access_log file is
// there: the daemon cannot start without it. Whether the daemon's user
// may write there is for the daemon to find (check may run as another
// user, and creating the file here would give it the wrong owner).
func accessLogFolder(cfg *config.Config) config.Problems {
	target := cfg.Server.AccessLog
	if target == "" || target == config.AccessLogStderr {
		return nil
	}
	dir := filepath.Dir(target)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return config.Problems{cfg.Problem("server.access_log", fmt.Sprintf("folder %s of the access log is not there", dir))}
	}
	return nil
}

// openAccessLog opens (creating) the server.access_log file as the
// daemon will, so that one it cannot open is a configuration problem,
// exit 2, which systemd does not restart in a loop.
func openAccessLog(cfg *config.Config) error {
	target := cfg.Server.AccessLog
	if target == "" || target == config.AccessLogStderr {
		return nil
	}
	f, err := server.OpenAccessLogFile(target)
	if err != nil {
		return fmt.Errorf("server.access_log: %w", err)
	}
	return f.Close()
}

// plural returns "1 error", "2 errors", "0 warnings".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
