package testutil

import "testing"

func TestServedOnDisk(t *testing.T) {
	served := `<tr><th>State</th><th class="time">Next run</th></tr><tr><td>ok</td><td class="time">2030-01-02 11:04 &#43;08:00</td></tr>`
	if got, want := ServedOnDisk("index.html", served), `<tr><th>State</th></tr><tr><td>ok</td></tr>`; got != want {
		t.Errorf("index.html: %q, want %q", got, want)
	}
	if got := ServedOnDisk("feeds/news.atom", served); got != served {
		t.Errorf("a feed changed: %q", got)
	}
}
