// Package datetime parses dates as feeds, front matter and news APIs
// actually write them, keeping the UTC offset a date was written with.
package datetime

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Parse reads s in any of the formats sources are seen to send (see
// layouts.go): RFC 3339, the RFC 822/1123/850 and ANSIC families with
// their real-world variations, Jekyll front matter, slash- and
// Chinese-style dates, and Unix seconds or milliseconds (10 or 13 digits).
//
// A date written with an offset keeps that offset exactly: the result's
// location is a fixed zone with that offset (UTC for "Z", "GMT", "UT" and
// +00:00). Named zones are read as RFC 822 defines them, that is as US
// zones, so "CST" is -06:00. A date without a zone is read in loc (UTC
// when loc is nil).
func Parse(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	in := s
	s = strings.TrimSpace(s)
	if t, ok := parseDigits(s, loc); ok {
		return t, nil
	}
	s = clean(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("unrecognized date %q", in)
	}
	for _, l := range layouts {
		t, err := time.ParseInLocation(l.layout, s, loc)
		if err != nil {
			continue
		}
		if l.zoned {
			t = fixed(t)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("unrecognized date %q", in)
}

// ParseLayout parses s with a Go reference layout given by the user (as
// in time.Parse), after trimming surrounding whitespace. A date without a
// zone is read in loc (UTC when loc is nil). A numeric offset is kept as a
// fixed zone. A zone abbreviation that loc knows takes loc's offset; one it
// does not know is read as the RFC 822 US zone of that name, and any other
// gets offset zero, as time.Parse does.
func ParseLayout(s, layout string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse date %q with layout %q: %w", s, layout, err)
	}
	if !hasZone(layout) {
		return t, nil
	}
	if name, off := t.Zone(); off == 0 {
		if z, ok := namedZones[strings.ToUpper(name)]; ok && z != 0 {
			y, mo, d := t.Date()
			h, mi, sec := t.Clock()
			t = time.Date(y, mo, d, h, mi, sec, t.Nanosecond(), time.FixedZone("", z))
		}
	}
	return fixed(t), nil
}

// hasZone reports whether a Go layout has a zone element.
func hasZone(layout string) bool {
	return strings.Contains(layout, "Z07") || strings.Contains(layout, "-07") ||
		strings.Contains(layout, "MST")
}

// fixed returns t in a fixed zone with its own offset, so that a date
// whose offset happens to match loc (or Local) is not moved into it: the
// offset the source wrote is what a reader sees again.
func fixed(t time.Time) time.Time {
	_, off := t.Zone()
	if off == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", off))
}

// parseDigits reads an all-digit string: Unix seconds (10 digits), Unix
// milliseconds (13), or the compact forms 20060102 and 20060102150405.
func parseDigits(s string, loc *time.Location) (time.Time, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var t time.Time
	switch len(s) {
	case 10:
		t = time.Unix(n, 0).In(loc)
	case 13:
		t = time.UnixMilli(n).In(loc)
	case 8:
		t, err = time.ParseInLocation("20060102", s, loc)
	case 14:
		t, err = time.ParseInLocation("20060102150405", s, loc)
	default:
		return time.Time{}, false
	}
	return t, err == nil
}
