package datetime

import (
	"strings"
	"testing"
	"time"
)

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skipf("no tz database: %v", err)
	}
	return loc
}

func TestParse(t *testing.T) {
	loc := shanghai(t)
	tests := []struct {
		name, in, want string // want is RFC 3339 with nanoseconds
	}{
		{"rfc3339 Z", "2022-02-14T08:47:41Z", "2022-02-14T08:47:41Z"},
		{"rfc3339 offset kept", "2022-02-14T08:47:41+08:00", "2022-02-14T08:47:41+08:00"},
		{"rfc3339 negative offset", "2022-02-14T08:47:41-05:30", "2022-02-14T08:47:41-05:30"},
		{"rfc3339 fraction", "2022-02-14T08:47:41.123456Z", "2022-02-14T08:47:41.123456Z"},
		{"rfc3339 fraction offset", "2022-02-14T08:47:41.5+09:00", "2022-02-14T08:47:41.5+09:00"},
		{"rfc3339 lower case", "2022-02-14t08:47:41z", "2022-02-14T08:47:41Z"},
		{"iso no seconds", "2022-02-14T08:47+01:00", "2022-02-14T08:47:00+01:00"},
		{"iso offset without colon", "2022-02-14T08:47:41+0800", "2022-02-14T08:47:41+08:00"},
		{"iso hour offset", "2022-02-14T08:47:41+08", "2022-02-14T08:47:41+08:00"},
		{"iso zone-less", "2022-02-14T08:47:41", "2022-02-14T08:47:41+08:00"},
		{"rfc1123", "Mon, 14 Feb 2022 08:47:41 GMT", "2022-02-14T08:47:41Z"},
		{"rfc1123z", "Mon, 14 Feb 2022 08:47:41 +0800", "2022-02-14T08:47:41+08:00"},
		{"rfc1123 single-digit day", "Fri, 4 Feb 2022 08:47:41 +0000", "2022-02-04T08:47:41Z"},
		{"rfc1123 no weekday", "14 Feb 2022 08:47:41 -0500", "2022-02-14T08:47:41-05:00"},
		{"rfc1123 wrong weekday", "Sun, 14 Feb 2022 08:47:41 GMT", "2022-02-14T08:47:41Z"},
		{"rfc1123 no space after comma", "Mon,14 Feb 2022 08:47:41 GMT", "2022-02-14T08:47:41Z"},
		{"rfc1123 full weekday", "Monday, 14 Feb 2022 08:47:41 GMT", "2022-02-14T08:47:41Z"},
		{"rfc1123 UT", "Mon, 14 Feb 2022 08:47:41 UT", "2022-02-14T08:47:41Z"},
		{"rfc1123 UTC", "Mon, 14 Feb 2022 08:47:41 UTC", "2022-02-14T08:47:41Z"},
		{"rfc1123 Z", "Mon, 14 Feb 2022 08:47:41 Z", "2022-02-14T08:47:41Z"},
		{"rfc1123 colon offset", "Mon, 14 Feb 2022 08:47:41 +08:00", "2022-02-14T08:47:41+08:00"},
		{"rfc1123 GMT+8", "Mon, 14 Feb 2022 08:47:41 GMT+8", "2022-02-14T08:47:41+08:00"},
		{"rfc1123 comment", "Mon, 14 Feb 2022 08:47:41 +0800 (CST)", "2022-02-14T08:47:41+08:00"},
		{"rfc1123 extra spaces", "  Mon,  14  Feb 2022 08:47:41   GMT \n", "2022-02-14T08:47:41Z"},
		{"rfc1123 lower-case month", "Mon, 14 feb 2022 08:47:41 GMT", "2022-02-14T08:47:41Z"},
		{"rfc1123 full month", "14 February 2022 08:47:41 GMT", "2022-02-14T08:47:41Z"},
		{"rfc822", "14 Feb 22 08:47 EST", "2022-02-14T08:47:00-05:00"},
		{"rfc822 seconds", "Mon, 14 Feb 22 08:47:41 EDT", "2022-02-14T08:47:41-04:00"},
		{"rfc822z", "14 Feb 22 08:47 -0700", "2022-02-14T08:47:00-07:00"},
		{"rfc822 CST is US central", "Mon, 14 Feb 2022 08:47:41 CST", "2022-02-14T08:47:41-06:00"},
		{"rfc822 CDT", "Mon, 14 Feb 2022 08:47:41 CDT", "2022-02-14T08:47:41-05:00"},
		{"rfc822 MST", "Mon, 14 Feb 2022 08:47:41 MST", "2022-02-14T08:47:41-07:00"},
		{"rfc822 MDT", "Mon, 14 Feb 2022 08:47:41 MDT", "2022-02-14T08:47:41-06:00"},
		{"rfc822 PST", "Mon, 14 Feb 2022 08:47:41 PST", "2022-02-14T08:47:41-08:00"},
		{"rfc822 PDT", "Mon, 14 Feb 2022 08:47:41 pdt", "2022-02-14T08:47:41-07:00"},
		{"rfc1123 zone-less", "Mon, 14 Feb 2022 08:47:41", "2022-02-14T08:47:41+08:00"},
		{"rfc850", "Monday, 14-Feb-22 08:47:41 GMT", "2022-02-14T08:47:41Z"},
		{"rfc850 four-digit year", "Monday, 14-Feb-2022 08:47:41 GMT", "2022-02-14T08:47:41Z"},
		{"ansic", "Mon Feb  4 08:47:41 2022", "2022-02-04T08:47:41+08:00"},
		{"unix date", "Mon Feb  4 08:47:41 PST 2022", "2022-02-04T08:47:41-08:00"},
		{"ruby date", "Mon Feb 04 08:47:41 +0800 2022", "2022-02-04T08:47:41+08:00"},
		{"month day comma", "Feb 14, 2022 08:47:41 +0000", "2022-02-14T08:47:41Z"},
		{"month day comma date only", "February 14, 2022", "2022-02-14T00:00:00+08:00"},
		{"jekyll offset", "2022-02-14 08:47:41 +0800", "2022-02-14T08:47:41+08:00"},
		{"jekyll offset colon", "2022-02-14 08:47:41 +08:00", "2022-02-14T08:47:41+08:00"},
		{"jekyll other offset", "2022-02-14 08:47:41 -0300", "2022-02-14T08:47:41-03:00"},
		{"jekyll no minutes offset", "2022-02-14 08:47 +0100", "2022-02-14T08:47:00+01:00"},
		{"jekyll zone-less", "2022-02-14 08:47:41", "2022-02-14T08:47:41+08:00"},
		{"jekyll minutes", "2022-02-14 08:47", "2022-02-14T08:47:00+08:00"},
		{"jekyll single-digit", "2022-2-4 8:47", "2022-02-04T08:47:00+08:00"},
		{"date only", "2022-02-14", "2022-02-14T00:00:00+08:00"},
		{"sql offset", "2022-02-14 08:47:41+08", "2022-02-14T08:47:41+08:00"},
		{"sql offset colon", "2022-02-14 08:47:41.25+05:45", "2022-02-14T08:47:41.25+05:45"},
		{"slash", "2006/01/02 15:04:05", "2006-01-02T15:04:05+08:00"},
		{"slash minutes", "2006/01/02 15:04", "2006-01-02T15:04:00+08:00"},
		{"slash date", "2006/01/02", "2006-01-02T00:00:00+08:00"},
		{"slash single-digit", "2006/1/2", "2006-01-02T00:00:00+08:00"},
		{"dot date", "2006.01.02", "2006-01-02T00:00:00+08:00"},
		{"chinese minutes", "2006年01月02日 15:04", "2006-01-02T15:04:00+08:00"},
		{"chinese seconds", "2006年1月2日 15:04:05", "2006-01-02T15:04:05+08:00"},
		{"chinese no space", "2006年1月2日15:04", "2006-01-02T15:04:00+08:00"},
		{"chinese date", "2006年1月2日", "2006-01-02T00:00:00+08:00"},
		{"unix seconds", "1644799661", "2022-02-14T08:47:41+08:00"},
		{"unix milliseconds", "1644799661123", "2022-02-14T08:47:41.123+08:00"},
		{"compact date", "20220214", "2022-02-14T00:00:00+08:00"},
		{"compact date time", "20220214084741", "2022-02-14T08:47:41+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in, loc)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if s := got.Format(time.RFC3339Nano); s != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.in, s, tt.want)
			}
		})
	}
}

// An offset equal to loc's must still come back as a fixed zone, not as
// loc (whose name and later rules would leak into formatting).
func TestParseOffsetIsFixedZone(t *testing.T) {
	got, err := Parse("2022-02-14T08:47:41+08:00", shanghai(t))
	if err != nil {
		t.Fatal(err)
	}
	if name, off := got.Zone(); name != "" || off != 8*3600 {
		t.Errorf("zone = %q %d, want fixed +08:00 without a name", name, off)
	}
}

func TestParseNilLocation(t *testing.T) {
	got, err := Parse("2022-02-14 08:47", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Format(time.RFC3339); s != "2022-02-14T08:47:00Z" {
		t.Errorf("got %s, want UTC", s)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"blank", "   "},
		{"words", "yesterday"},
		{"unknown zone", "Mon, 14 Feb 2022 08:47:41 XYZ"},
		{"bad month", "2022-13-14"},
		{"bad day", "2022-02-30"},
		{"bad hour", "2022-02-14 25:00"},
		{"nine digits", "164479966"},
		{"eleven digits", "16447996611"},
		{"offset out of range", "2022-02-14 08:47:41 +2500"},
		{"trailing garbage", "2022-02-14T08:47:41Z garbage"},
		{"chinese incomplete", "2006年1月"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in, time.UTC)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error", tt.in, got)
			}
			want := "unrecognized date " + `"` + tt.in + `"`
			if err.Error() != want {
				t.Errorf("error = %q, want %q", err, want)
			}
		})
	}
}

func TestParseLayout(t *testing.T) {
	loc := shanghai(t)
	tests := []struct {
		name, in, layout, want string
	}{
		{"zone-less", " 14.02.2022 08:47 ", "02.01.2006 15:04", "2022-02-14T08:47:00+08:00"},
		{"numeric offset kept", "14.02.2022 08:47 -0300", "02.01.2006 15:04 -0700", "2022-02-14T08:47:00-03:00"},
		{"offset equal to loc", "14.02.2022 08:47 +0800", "02.01.2006 15:04 -0700", "2022-02-14T08:47:00+08:00"},
		{"zone loc knows", "14.02.2022 08:47 CST", "02.01.2006 15:04 MST", "2022-02-14T08:47:00+08:00"},
		{"rfc 822 zone", "14.02.2022 08:47 EST", "02.01.2006 15:04 MST", "2022-02-14T08:47:00-05:00"},
		{"gmt", "14.02.2022 08:47 GMT", "02.01.2006 15:04 MST", "2022-02-14T08:47:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLayout(tt.in, tt.layout, loc)
			if err != nil {
				t.Fatal(err)
			}
			if s := got.Format(time.RFC3339); s != tt.want {
				t.Errorf("ParseLayout(%q, %q) = %s, want %s", tt.in, tt.layout, s, tt.want)
			}
		})
	}
	if _, err := ParseLayout("14/02/2022", "2006-01-02", loc); err == nil ||
		!strings.Contains(err.Error(), `"14/02/2022"`) {
		t.Errorf("error %v does not name the input", err)
	}
}
