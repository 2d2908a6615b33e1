package config

import (
	"errors"
	"fmt"
	"net/url"
)

// Location names the store for logs and messages: the SQLite file, or
// the PostgreSQL URL with its password hidden.
func (s Store) Location() string {
	if s.URL != "" {
		return redactURL(s.URL)
	}
	return s.Path
}

// storeKeys drops the default store.path when the file sets store.url
// (the store is then PostgreSQL), and refuses the two together: which
// one a configuration meant is for its writer to say.
func (d *decoder) storeKeys(c *Config) {
	_, url := d.lines["store.url"]
	_, path := d.lines["store.path"]
	switch {
	case url && path:
		d.add("store.url", "store.path and store.url are both set: keep store.path for a SQLite file or store.url for PostgreSQL, not both")
	case url && c.Store.URL == "":
		d.add("store.url", "empty: a postgres:// URL (remove the key to keep the SQLite file of store.path)")
	case url:
		c.Store.Path = ""
	}
}

// checkStoreURL says what is wrong with a store.url, "" when nothing:
// it must be a postgres:// or postgresql:// URL (the forms pgx and libpq
// read). The message never shows the password.
func checkStoreURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error quotes the whole URL, password and all
		}
		return fmt.Sprintf("not a URL: %v", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return fmt.Sprintf("%q is not a postgres:// or postgresql:// URL", redactURL(s))
	}
	return ""
}

// redactURL returns s with the password of its userinfo, and of a
// password parameter, replaced by "xxxxx".
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(not a URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
