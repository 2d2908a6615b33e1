package article

import "testing"

func TestDeferredMarker(t *testing.T) {
	d := Deferred{Path: "/posts/2026-01-02-a\uFFFFb.md", Digest: "abc"}
	m := d.String()
	if !IsDeferred(m) {
		t.Fatalf("IsDeferred(%q) = false", m)
	}
	got, ok := ParseDeferred(m)
	// The digest ends at the first separator; the path may hold anything after it.
	if !ok || got.Path != d.Path || got.Digest != d.Digest {
		t.Fatalf("ParseDeferred = %+v, %v; want %+v", got, ok, d)
	}
	for _, s := range []string{"", "<p>x</p>", "deferred", DeferredMarker + "abc", DeferredMarker + "abc\uFFFF"} {
		if _, ok := ParseDeferred(s); ok {
			t.Errorf("ParseDeferred(%q) ok", s)
		}
	}
	if IsDeferred("<p>" + DeferredMarker + "</p>") {
		t.Error("a marker inside content is no marker")
	}
}
