package testutil

import "testing"

func TestServedOnDisk(t *testing.T) {
	served := "<tr><th scope=\"col\">State</th><th scope=\"col\" class=\"live\">Last run</th></tr>\n<tr>\n<td data-label=\"State\">ok</td>\n<td data-label=\"Last run\" class=\"live\">2026-12-01 09:00 +08:00</td>\n</tr>"
	want := "<tr><th scope=\"col\">State</th></tr>\n<tr>\n<td data-label=\"State\">ok</td>\n</tr>"
	if got := ServedOnDisk("status.html", served); got != want {
		t.Errorf("ServedOnDisk = %q, want %q", got, want)
	}
	if got := ServedOnDisk("feeds/a.atom", served); got != served {
		t.Errorf("a feed changed: %q", got)
	}
}
