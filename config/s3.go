package config

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// The environment variables outputs.s3 takes its credentials from when
// the file names none: the names every S3 tool reads.
const (
	EnvAccessKeyID     = "AWS_ACCESS_KEY_ID"
	EnvSecretAccessKey = "AWS_SECRET_ACCESS_KEY"
)

// bucketPattern is what S3 allows a bucket name to be, in short: 3 to 63
// lower-case letters, digits, dots and hyphens, starting and ending with
// a letter or digit.
var bucketPattern = lazyRegexp(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// regionPattern keeps a region a word: it goes into every signature.
var regionPattern = lazyRegexp(`^[A-Za-z0-9_.-]{0,64}$`)

// s3Credentials fills in the keys of outputs.s3 from the environment
// when the file sets neither.
func (c *Config) s3Credentials(lookup func(string) (string, bool)) {
	s := c.Outputs.S3
	if s == nil || s.AccessKeyID != "" || s.SecretAccessKey != "" {
		return
	}
	s.AccessKeyID, _ = lookup(EnvAccessKeyID)
	s.SecretAccessKey, _ = lookup(EnvSecretAccessKey)
	s.fromEnv = true
}

// KeyPrefix is Prefix ending with "/" (or ""): what goes before a
// tree path to make its object key.
func (s *S3) KeyPrefix() string {
	if s.Prefix != "" && !strings.HasSuffix(s.Prefix, "/") {
		return s.Prefix + "/"
	}
	return s.Prefix
}

// problems checks outputs.s3. Values that hold secrets are never quoted.
func (s *S3) problems() []pending {
	var ps []pending
	add := func(key, format string, args ...any) {
		ps = append(ps, pending{"outputs.s3." + key, fmt.Sprintf(format, args...)})
	}
	if s.Endpoint == "" {
		add("endpoint", "required: the server's URL, such as https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:7070")
	} else if msg := endpointProblem(s.Endpoint); msg != "" {
		add("endpoint", "%s", msg)
	}
	switch {
	case s.Bucket == "":
		add("bucket", "required: the bucket to upload to")
	case !bucketPattern().MatchString(s.Bucket) || strings.Contains(s.Bucket, ".."):
		add("bucket", "%q is not a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit", s.Bucket)
	}
	if p := strings.TrimSuffix(s.Prefix, "/"); s.Prefix != "" &&
		(p == "" || strings.HasPrefix(p, "/") || path.Clean(p) != p || strings.ContainsAny(p, "\\\x00") || p == ".." || strings.HasPrefix(p, "../")) {
		add("prefix", "%q is not a folder path such as site/ (no leading /, no . or .. parts, no //)", s.Prefix)
	}
	if !regionPattern().MatchString(s.Region) {
		add("region", "%q is not a region name such as us-east-1", s.Region)
	}
	switch {
	case s.fromEnv && s.AccessKeyID == "" && s.SecretAccessKey == "":
		ps = append(ps, pending{"outputs.s3", fmt.Sprintf("no credentials: set access_key_id and secret_access_key (e.g. ${S3_SECRET}), or %s and %s in the environment",
			EnvAccessKeyID, EnvSecretAccessKey)})
	case s.fromEnv && s.AccessKeyID == "":
		ps = append(ps, pending{"outputs.s3", fmt.Sprintf("%s is set in the environment but %s is not", EnvSecretAccessKey, EnvAccessKeyID)})
	case s.fromEnv && s.SecretAccessKey == "":
		ps = append(ps, pending{"outputs.s3", fmt.Sprintf("%s is set in the environment but %s is not", EnvAccessKeyID, EnvSecretAccessKey)})
	case s.AccessKeyID == "":
		add("access_key_id", "required with secret_access_key")
	case s.SecretAccessKey == "":
		add("secret_access_key", "required with access_key_id")
	}
	return ps
}

// endpointProblem says what is wrong with an endpoint URL, "" if nothing.
func endpointProblem(e string) string {
	u, err := url.Parse(e)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Sprintf("%q is not an http(s) URL such as http://127.0.0.1:7070", e)
	case u.User != nil:
		return fmt.Sprintf("%q holds credentials (user:password@): set access_key_id and secret_access_key instead", u.Redacted())
	case u.Path != "" && u.Path != "/":
		return fmt.Sprintf("%q has a path: the bucket goes in bucket, a folder in prefix", e)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Sprintf("%q has a query or fragment", e)
	}
	return ""
}

// Location names the bucket and prefix as people write them:
// "s3://feeds/site/".
func (s *S3) Location() string { return "s3://" + s.Bucket + "/" + s.KeyPrefix() }
