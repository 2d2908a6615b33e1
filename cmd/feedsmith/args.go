package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
)

// exitUsage is the exit status of a command line that cannot be run as
// given: an unknown flag or argument, a missing one, an invalid
// configuration.
const exitUsage = 2

// A commandLine reads a subcommand's arguments, the same way for every
// command: flags may stand before or after the positional arguments (Go's
// flag package alone stops at the first argument that is not a flag, and
// "build other.yaml -v" would drop -v), "--" ends the flags, -h and
// --help print the command's usage to stdout, and an argument the
// command did not ask for is a usage error naming it.
type commandLine struct {
	fs     *flag.FlagSet
	name   string // "build"
	about  string // what the command does, for -h
	params []param
	config *string // -config, nil for a command that reads no configuration
}

// param is one positional argument.
type param struct {
	name, help string
	required   bool
	value      *string
}

// configName is the name of the positional configuration argument.
const configName = "CONFIG"

func newCommandLine(name, about string) *commandLine {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors itself, prefixed
	fs.Usage = func() {}
	return &commandLine{fs: fs, name: name, about: about}
}

// configFile adds the configuration file: -config, or the one optional
// positional argument CONFIG; both may be given only when they agree.
func (c *commandLine) configFile() *string {
	c.config = c.fs.String("config", "config.yaml", "configuration `file` (or give it as the argument "+configName+")")
	c.arg(configName, "the configuration file (default config.yaml)", false)
	return c.config
}

// arg adds a positional argument; required ones come first.
func (c *commandLine) arg(name, help string, required bool) *string {
	v := new(string)
	c.params = append(c.params, param{name: name, help: help, required: required, value: v})
	return v
}

// parse parses args. When ok is false the command returns code at once:
// 0 after -h, exitUsage after an error, which it has printed to stderr.
func (c *commandLine) parse(args []string, stdout, stderr io.Writer) (code int, ok bool) {
	var positional []string
	for rest := args; ; {
		if err := c.fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.usage(stdout)
				return 0, false
			}
			return c.fail(stderr, "%v", err)
		}
		left := c.fs.Args()
		if len(left) == 0 {
			break
		}
		if used := len(rest) - len(left); used > 0 && rest[used-1] == "--" {
			positional = append(positional, left...)
			break
		}
		positional = append(positional, left[0])
		rest = left[1:]
	}
	for i, p := range c.params {
		if i >= len(positional) {
			if p.required {
				return c.fail(stderr, "missing %s", p.name)
			}
			continue
		}
		*p.value = positional[i]
	}
	if len(positional) > len(c.params) {
		return c.fail(stderr, "unexpected argument %q", positional[len(c.params)])
	}
	return c.reconcileConfig(stderr)
}

// reconcileConfig makes the CONFIG argument the configuration file,
// refusing one that -config contradicts.
func (c *commandLine) reconcileConfig(stderr io.Writer) (int, bool) {
	if c.config == nil {
		return 0, true
	}
	arg := *c.params[len(c.params)-1].value
	if arg == "" {
		return 0, true
	}
	flagSet := false
	c.fs.Visit(func(f *flag.Flag) { flagSet = flagSet || f.Name == "config" })
	if flagSet && filepath.Clean(*c.config) != filepath.Clean(arg) {
		return c.fail(stderr, "argument %q and -config %q name different configuration files; give one", arg, *c.config)
	}
	*c.config = arg
	return 0, true
}

func (c *commandLine) fail(stderr io.Writer, format string, args ...any) (int, bool) {
	fmt.Fprintf(stderr, "feedsmith %s: %s\nusage: %s\nRun \"feedsmith %s -h\" for help.\n", c.name, fmt.Sprintf(format, args...), c.synopsis(), c.name)
	return exitUsage, false
}

// synopsis is the command's one-line usage: "feedsmith preview [flags] SOURCE_ID [CONFIG]".
func (c *commandLine) synopsis() string {
	s := "feedsmith " + c.name
	if c.anyFlags() {
		s += " [flags]"
	}
	for _, p := range c.params {
		if p.required {
			s += " " + p.name
		} else {
			s += " [" + p.name + "]"
		}
	}
	return s
}

func (c *commandLine) anyFlags() bool {
	n := 0
	c.fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

func (c *commandLine) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.synopsis(), strings.TrimSpace(c.about))
	if len(c.params) > 0 {
		fmt.Fprintln(w, "\nArguments:")
		for _, p := range c.params {
			fmt.Fprintf(w, "  %-10s %s\n", p.name, p.help)
		}
	}
	if c.anyFlags() {
		fmt.Fprintln(w, "\nFlags:")
		c.fs.SetOutput(w)
		c.fs.PrintDefaults()
		c.fs.SetOutput(io.Discard)
	}
}

// logFormat is the value of -log-format: text or json.
type logFormat string

func (f *logFormat) String() string { return string(*f) }

func (f *logFormat) Set(s string) error {
	if s != "text" && s != "json" {
		return errors.New("want text or json")
	}
	*f = logFormat(s)
	return nil
}

// logLevel is the value of -log-level, written in lower case.
type logLevel slog.Level

func (l *logLevel) String() string { return strings.ToLower(slog.Level(*l).String()) }

func (l *logLevel) Set(s string) error {
	if err := (*slog.Level)(l).UnmarshalText([]byte(s)); err != nil {
		return errors.New("want debug, info, warn or error")
	}
	return nil
}

// logOptions are -log-format and -log-level, which run and build share.
type logOptions struct {
	format logFormat
	level  logLevel
}

// logFlags adds -log-format and -log-level, level being the default.
func (c *commandLine) logFlags(level slog.Level) *logOptions {
	o := &logOptions{format: "text", level: logLevel(level)}
	c.fs.Var(&o.format, "log-format", "log `format`: text or json")
	c.fs.Var(&o.level, "log-level", "log `level`: debug, info, warn or error")
	return o
}

func (o *logOptions) logger(w io.Writer) *slog.Logger {
	return newLogger(w, slog.Level(o.level), string(o.format))
}
