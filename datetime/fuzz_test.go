package datetime

import (
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics and that whatever it accepts
// survives a round trip through RFC 3339 with the same instant and offset.
// Zone-less input is read in a fixed +08:00 zone: a tz database zone would
// give pre-1900 dates a local mean time offset with seconds, which RFC 3339
// cannot write.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"2022-02-14T08:47:41Z", "2022-02-14T08:47:41.123+08:00", "Mon, 2 Jan 2006 15:04:05 GMT",
		"2 Jan 06 15:04 EST", "Monday, 02-Jan-06 15:04:05 CST", "Mon Jan  2 15:04:05 2006",
		"2022-02-14 08:47:41 +0800", "2022-02-14 08:47:41 +08:00", "2022-02-14 08:47",
		"2022-02-14", "2006/01/02 15:04:05", "2006年1月2日 15:04:05", "2006年01月02日",
		"1644799661", "1644799661123", "GMT+8", "(", "Mon, ", "+99:99", "\xff\xfe",
	} {
		f.Add(s)
	}
	loc := time.FixedZone("", 8*3600)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s, loc)
		if err != nil {
			return
		}
		text := got.Format(time.RFC3339Nano)
		back, err := Parse(text, loc)
		if err != nil {
			t.Fatalf("Parse(%q) = %s, which does not parse back: %v", s, text, err)
		}
		if !back.Equal(got) {
			t.Fatalf("Parse(%q) = %s, parses back as %s", s, text, back.Format(time.RFC3339Nano))
		}
		_, o1 := got.Zone()
		if _, o2 := back.Zone(); o1 != o2 {
			t.Fatalf("Parse(%q): offset %d came back as %d", s, o1, o2)
		}
	})
}
