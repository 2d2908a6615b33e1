package codec

import (
	"reflect"
	"testing"
	"time"

	"github.com/feedsmith/feedsmith/article"
	"github.com/feedsmith/feedsmith/store"
)

func TestStampsRoundTrip(t *testing.T) {
	files := []store.FileStamp{
		{Path: "/posts/2025-01-01-海.md", Size: 10, ModUnix: 1_700_000_000_123_456_789},
		{Path: "", Size: 0, ModUnix: -5},
	}
	got, err := DecodeStamps(EncodeStamps(files))
	want := map[string]store.FileStamp{files[0].Path: files[0], files[1].Path: files[1]}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("DecodeStamps = %v, %v; want %v", got, err, want)
	}
	b := EncodeStamps(files[:1])
	for _, bad := range [][]byte{b[:len(b)-1], b[:3], {0x80}} {
		if _, err := DecodeStamps(bad); err == nil {
			t.Errorf("DecodeStamps(%x) succeeded, want an error", bad)
		}
	}
}

func TestRoundTrips(t *testing.T) {
	east := time.Date(2025, 3, 1, 9, 30, 0, 5, time.FixedZone("", 8*3600))
	if got, err := ParseTime(FormatTime(east)); err != nil || got.Format(time.RFC3339Nano) != east.Format(time.RFC3339Nano) {
		t.Errorf("time = %v, %v; want %v with its offset", got, err, east)
	}
	if got, err := ParseTime(FormatTime(time.Time{})); err != nil || !got.IsZero() {
		t.Errorf("zero time = %v, %v", got, err)
	}
	if got, err := DecodeTags(EncodeTags(nil)); err != nil || got != nil {
		t.Errorf("no tags = %#v, %v", got, err)
	}
	es := []article.Enclosure{{URL: "https://example.org/a.mp3", Type: "audio/mpeg", Length: 3}}
	if got, err := DecodeEnclosures(EncodeEnclosures(es)); err != nil || !reflect.DeepEqual(got, es) {
		t.Errorf("enclosures = %v, %v", got, err)
	}
	a := &article.Article{Author: "Ann", Authors: []string{"Ann", "Bob"}}
	if author, all := DecodeAuthors(EncodeAuthors(a)); author != "Ann" || !reflect.DeepEqual(all, a.Authors) {
		t.Errorf("authors = %q %q", author, all)
	}
	if JSONList(nil) != "[]" {
		t.Errorf("JSONList(nil) = %s, want []", JSONList(nil))
	}
}
