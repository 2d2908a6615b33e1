package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Load reads, expands, decodes and validates the configuration file at
// path. Relative paths inside it are taken relative to the file's folder.
// The error, if any, is a Problems listing everything wrong at once;
// warnings are left out (see Inspect and Config.Warnings).
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg, err := Parse(path, data, os.LookupEnv)
	if err != nil {
		return nil, err
	}
	if err := cfg.resolve(path); err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return cfg, nil
}

// Inspect reads and checks the configuration file at path as Load does,
// and returns everything it found: every problem, warnings among them,
// in file order, and the configuration as far as it could be decoded, so
// that deeper checks can add theirs. The configuration is nil when the
// file cannot be read or is not YAML; with errors, it must not be run.
func Inspect(path string) (*Config, Problems) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Problems{{File: path, Msg: fmt.Sprintf("cannot read the file: %v", withoutPath(err))}}
	}
	cfg, ps := parse(path, data, os.LookupEnv)
	if cfg == nil {
		return nil, ps
	}
	if err := cfg.resolve(path); err != nil {
		return nil, append(ps, Problem{File: path, Msg: err.Error()})
	}
	ps = append(ps, cfg.Warnings()...)
	ps.Sort()
	return cfg, ps
}

// Parse decodes and validates a configuration. name labels problems;
// lookup resolves ${VAR} references.
func Parse(name string, data []byte, lookup func(string) (string, bool)) (*Config, error) {
	cfg, ps := parse(name, data, lookup)
	if errs := ps.Errors(); len(errs) > 0 {
		return nil, errs
	}
	return cfg, nil
}

// parse decodes and validates a configuration, returning it as far as it
// could be decoded (nil when data is not YAML) and its problems.
func parse(name string, data []byte, lookup func(string) (string, bool)) (*Config, Problems) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, syntaxProblems(name, data, err)
	}
	if len(root.Content) == 0 { // empty file
		return nil, Problems{{File: name, Msg: "empty configuration"}}
	}
	cfg := defaults()
	d := &decoder{origin: origin{file: name, lines: map[string]int{}}, active: map[*yaml.Node]bool{}}
	d.budget = 10000 + 100*d.expand(&root, "", lookup)
	d.decode(root.Content[0], reflect.ValueOf(cfg).Elem(), "")
	cfg.s3Credentials(lookup)
	d.storeKeys(cfg)
	cfg.normalize()
	cfg.origin = &d.origin // validate resolves the theme folder against the file's
	for _, p := range cfg.validate() {
		if d.decodedAt(p.key) {
			d.add(p.key, p.msg)
		}
	}
	d.setIDs(cfg)
	for i := range d.problems {
		d.problems[i].Key = d.label(d.problems[i].Key)
	}
	d.problems.Sort()
	cfg.origin = &d.origin
	return cfg, d.problems
}

// resolve takes the relative paths in c against the folder of its file.
func (c *Config) resolve(path string) error {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return err
	}
	c.resolvePaths(dir)
	c.File = filepath.Join(dir, filepath.Base(path))
	return nil
}

// withoutPath drops the path from a file error whose caller names it.
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var yamlLine = lazyRegexp(`^yaml: line (\d+): (.*)$`)

// syntaxProblems reports a YAML syntax error, which stops parsing: alone,
// with its line, or as the lines that a tab indents when tabs are the
// cause, which the YAML library words obscurely and on the wrong line.
func syntaxProblems(name string, data []byte, err error) Problems {
	msg := err.Error()
	if strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token") {
		var ps Problems
		for i, line := range strings.Split(string(data), "\n") {
			indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
			if strings.Contains(indent, "\t") {
				ps = append(ps, Problem{File: name, Line: i + 1, Msg: "a tab indents this line: YAML indents with spaces only (replace the tab with spaces)"})
			}
		}
		if len(ps) > 0 {
			return ps
		}
	}
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problems{{File: name, Line: n, Msg: m[2]}}
	}
	return Problems{{File: name, Msg: strings.TrimPrefix(msg, "yaml: ")}}
}

var envRef = lazyRegexp(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expand replaces ${VAR} in every scalar with the environment's value,
// and returns how many nodes the tree has. A plain scalar that changed
// is resolved again, so "${PORT}" can be a number.
func (d *decoder) expand(n *yaml.Node, path string, lookup func(string) (string, bool)) int {
	count := 1
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			count += d.expand(c, path, lookup)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			count += d.expand(n.Content[i+1], joinKey(path, n.Content[i].Value), lookup)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			count += d.expand(c, fmt.Sprintf("%s[%d]", path, i), lookup)
		}
	case yaml.ScalarNode:
		v := envRef().ReplaceAllStringFunc(n.Value, func(ref string) string {
			name := envRef().FindStringSubmatch(ref)[1]
			v, ok := lookup(name)
			if !ok {
				d.fail(n.Line, path, fmt.Sprintf("environment variable %s is not set", name))
			}
			return v
		})
		if v != n.Value && n.Style == 0 {
			n.Tag = ""
		}
		n.Value = v
	}
	return count
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// defaults is the configuration before the file is decoded over it.
func defaults() *Config {
	return &Config{
		Site:  Site{Timezone: "UTC", Language: "en"},
		Store: Store{Path: "data/feedsmith.db", Lease: Duration(30 * time.Second)},
		Output: Output{
			Dir:     "public",
			Items:   50,
			PerPage: 20,
		},
		Server: Server{Listen: "127.0.0.1:8080", ShutdownTimeout: Duration(20 * time.Second)},
		Defaults: Defaults{
			Schedule:   "@every 30m",
			Timeout:    Duration(30 * time.Second),
			MaxBody:    10 << 20,
			PerHost:    2,
			MaxBackoff: Duration(6 * time.Hour),
			Jitter:     Duration(DefaultJitter),
			Caps:       DefaultCaps(),
		},
	}
}

func (c *Config) resolvePaths(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.Store.Path = abs(c.Store.Path)
	c.Output.Dir = abs(c.Output.Dir)
	c.Output.Theme = abs(c.Output.Theme)
	if c.Server.AccessLog != AccessLogStderr {
		c.Server.AccessLog = abs(c.Server.AccessLog)
	}
	if j := c.Outputs.Jekyll; j != nil {
		j.Dir, j.Archive = abs(j.Dir), abs(j.Archive)
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		s.Path = abs(s.Path)
		if s.URL != "" && !strings.Contains(s.URL, "://") {
			s.URL = abs(s.URL)
		}
	}
}
