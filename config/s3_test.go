package config

import (
	"strings"
	"testing"
)

// TestS3Credentials: the keys come from the file (${VAR} included) or,
// when it sets neither, from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY;
// a missing half is a problem naming where it was looked for, and no
// problem quotes a secret.
func TestS3Credentials(t *testing.T) {
	const head = "site: {base_url: https://feeds.example.org/}\noutputs:\n  s3:\n    endpoint: http://127.0.0.1:7070\n    bucket: feeds\n    prefix: site\n    path_style: true\n"
	tests := []struct {
		name    string
		yaml    string
		env     map[string]string
		id, key string // want, when valid
		problem string // want, when not
	}{
		{"environment", "", map[string]string{EnvAccessKeyID: "envid", EnvSecretAccessKey: "envsecret"}, "envid", "envsecret", ""},
		{"file wins", "    access_key_id: fileid\n    secret_access_key: ${S3_SECRET}\n",
			map[string]string{EnvAccessKeyID: "envid", EnvSecretAccessKey: "envsecret", "S3_SECRET": "filesecret"}, "fileid", "filesecret", ""},
		{"none", "", nil, "", "", "x.yml:3: outputs.s3: no credentials: set access_key_id and secret_access_key (e.g. ${S3_SECRET}), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment"},
		{"half in the environment", "", map[string]string{EnvAccessKeyID: "envid"}, "", "", "x.yml:3: outputs.s3: AWS_ACCESS_KEY_ID is set in the environment but AWS_SECRET_ACCESS_KEY is not"},
		{"empty variable", "", map[string]string{EnvAccessKeyID: "", EnvSecretAccessKey: "envsecret"}, "", "", "x.yml:3: outputs.s3: AWS_SECRET_ACCESS_KEY is set in the environment but AWS_ACCESS_KEY_ID is not"},
		{"half in the file", "    secret_access_key: filesecret\n", map[string]string{EnvAccessKeyID: "envid", EnvSecretAccessKey: "envsecret"}, "", "", "x.yml:3: outputs.s3.access_key_id: required with secret_access_key"},
		{"unset variable", "    access_key_id: id\n    secret_access_key: ${S3_SECRET}\n", nil, "", "", "x.yml:9: outputs.s3.secret_access_key: environment variable S3_SECRET is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
			cfg, err := Parse("x.yml", []byte(head+tt.yaml), lookup)
			if tt.problem != "" {
				if err == nil || err.Error() != tt.problem {
					t.Fatalf("Parse: %v, want %s", err, tt.problem)
				}
				if strings.Contains(err.Error(), "secret\"") {
					t.Errorf("a problem quotes a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := cfg.Outputs.S3
			if s.AccessKeyID != tt.id || s.SecretAccessKey != tt.key {
				t.Errorf("keys = %q, %q; want %q, %q", s.AccessKeyID, s.SecretAccessKey, tt.id, tt.key)
			}
			if !s.PathStyle || s.KeyPrefix() != "site/" || s.Location() != "s3://feeds/site/" {
				t.Errorf("path_style %v, key prefix %q, location %q", s.PathStyle, s.KeyPrefix(), s.Location())
			}
		})
	}
}

// TestS3Required: an empty outputs.s3 names each key it needs.
func TestS3Required(t *testing.T) {
	_, err := Parse("x.yml", []byte("site: {base_url: https://feeds.example.org/}\noutputs:\n  s3: {access_key_id: a, secret_access_key: b}\n"),
		func(string) (string, bool) { return "", false })
	want := "x.yml:3: outputs.s3.endpoint: required: the server's URL, such as https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:7070\n" +
		"x.yml:3: outputs.s3.bucket: required: the bucket to upload to"
	if err == nil || err.Error() != want {
		t.Errorf("Parse: %v\nwant:\n%s", err, want)
	}
	for _, e := range []string{"ftp://h", "http://u:p@h", "http://h?x=1", "https://", "h:7070"} {
		if endpointProblem(e) == "" {
			t.Errorf("endpoint %q accepted", e)
		}
	}
	for _, e := range []string{"http://127.0.0.1:7070", "https://s3.eu-west-1.amazonaws.com/", "http://[::1]:9000"} {
		if p := endpointProblem(e); p != "" {
			t.Errorf("endpoint %q: %s", e, p)
		}
	}
}
