package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a configuration file, with the YAML line
// and key it concerns.
type Problem struct {
	File string
	Line int    // 0 when unknown
	Key  string // e.g. "sources[2].url"; "" for the whole file
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	// One problem, one line: a value quoted in the message may hold
	// line breaks.
	b.WriteString(strings.ReplaceAll(p.Msg, "\n", `\n`))
	return b.String()
}

// Problems is the error Load returns: every problem found, in file order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Load reads, expands, decodes and validates the configuration file at
// path. Relative paths inside it are taken relative to the file's folder.
// The error, if any, is a Problems listing everything wrong at once.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg, err := Parse(path, data, os.LookupEnv)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg.resolvePaths(dir)
	cfg.File = path
	return cfg, nil
}

// Parse decodes and validates a configuration. name labels problems;
// lookup resolves ${VAR} references.
func Parse(name string, data []byte, lookup func(string) (string, bool)) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Problems{syntaxProblem(name, err)}
	}
	cfg := defaults()
	if len(root.Content) == 0 { // empty file
		return nil, Problems{{File: name, Msg: "empty configuration"}}
	}
	d := &decoder{file: name, lines: map[string]int{}}
	d.expand(&root, "", lookup)
	d.checkKeys(root.Content[0], "", configType)
	if err := root.Content[0].Decode(cfg); err != nil {
		d.typeErrors(err)
	}
	if len(d.problems) == 0 {
		cfg.normalize()
		for _, p := range cfg.validate() {
			d.add(p.key, p.msg)
		}
	}
	if len(d.problems) > 0 {
		d.sort()
		return nil, d.problems
	}
	return cfg, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxProblem(name string, err error) Problem {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{File: name, Line: n, Msg: m[2]}
	}
	return Problem{File: name, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expand replaces ${VAR} in every scalar with the environment's value,
// recording where each key's value sits so later problems can name a line.
func (d *decoder) expand(n *yaml.Node, path string, lookup func(string) (string, bool)) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			d.expand(c, path, lookup)
		}
	case yaml.MappingNode:
		d.lines[path] = n.Line
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := joinKey(path, n.Content[i].Value)
			d.lines[key] = n.Content[i].Line
			d.expand(n.Content[i+1], key, lookup)
		}
	case yaml.SequenceNode:
		d.lines[path] = n.Line
		for i, c := range n.Content {
			key := fmt.Sprintf("%s[%d]", path, i)
			d.lines[key] = c.Line
			d.expand(c, key, lookup)
		}
	case yaml.ScalarNode:
		n.Value = envRef.ReplaceAllStringFunc(n.Value, func(ref string) string {
			name := envRef.FindStringSubmatch(ref)[1]
			v, ok := lookup(name)
			if !ok {
				d.addAt(n.Line, path, fmt.Sprintf("environment variable %s is not set", name))
			}
			return v
		})
	}
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var typeErrLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// typeErrors turns yaml.v3's decoding errors into problems.
func (d *decoder) typeErrors(err error) {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		d.addAt(0, "", err.Error())
		return
	}
	for _, e := range te.Errors {
		m := typeErrLine.FindStringSubmatch(e)
		if m == nil {
			d.addAt(0, "", e)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		d.addAt(n, d.keyAt(n), m[2])
	}
}

// defaults is the configuration before the file is decoded over it.
func defaults() *Config {
	return &Config{
		Site:  Site{Timezone: "UTC", Language: "en"},
		Store: Store{Path: "data/feedsmith.db"},
		Output: Output{
			Dir:   "public",
			Items: 50,
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
