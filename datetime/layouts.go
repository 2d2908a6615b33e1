package datetime

import (
	"strconv"
	"strings"
	"time"
)

// layout is one Go reference layout Parse tries; zoned layouts carry an
// offset, so their results are moved to a fixed zone.
type layout struct {
	layout string
	zoned  bool
}

// layouts are tried in order on the cleaned input (see clean): weekday
// dropped, runs of spaces collapsed, and a separate zone word turned into
// a numeric "±hhmm". Day, month and hour layouts are the unpadded forms,
// which accept one or two digits.
var layouts = join(
	[]string{
		time.RFC3339, // fraction accepted by time.Parse after seconds
		"2006-01-02T15:04Z07:00",
		"2006-01-02T15:04:05-0700",
		"2006-01-02T15:04-0700",
		"2006-01-02T15:04:05-07",
		"2006-1-2T15:04:05 -0700",
		"2006-1-2 15:04:05 -0700", // Jekyll front matter
		"2006-1-2 15:04 -0700",
		"2006-1-2 15:04:05Z07:00",
		"2006-1-2 15:04:05-0700",
		"2006-1-2 15:04:05-07",
		"2006/1/2 15:04:05 -0700",
		"2006/1/2 15:04 -0700",
		"2 Jan 2006 15:04:05 -0700", // RFC 1123, 1123Z, 822, 822Z
		"2 Jan 2006 15:04 -0700",
		"2 Jan 06 15:04:05 -0700",
		"2 Jan 06 15:04 -0700",
		"2 January 2006 15:04:05 -0700",
		"2 January 2006 15:04 -0700",
		"2-Jan-06 15:04:05 -0700", // RFC 850
		"2-Jan-2006 15:04:05 -0700",
		"Jan 2 15:04:05 -0700 2006", // UnixDate, RubyDate
		"Jan 2, 2006 15:04:05 -0700",
		"January 2, 2006 15:04:05 -0700",
	},
	[]string{
		"2006-1-2T15:04:05",
		"2006-1-2T15:04",
		"2006-1-2 15:04:05",
		"2006-1-2 15:04",
		"2006-1-2",
		"2006/1/2 15:04:05",
		"2006/1/2 15:04",
		"2006/1/2",
		"2006.1.2 15:04:05",
		"2006.1.2 15:04",
		"2006.1.2",
		"2006年1月2日 15:04:05",
		"2006年1月2日 15:04",
		"2006年1月2日15:04:05",
		"2006年1月2日15:04",
		"2006年1月2日",
		"Jan 2 15:04:05 2006", // ANSIC
		"2 Jan 2006 15:04:05",
		"2 Jan 2006 15:04",
		"2 Jan 2006",
		"2 January 2006",
		"Jan 2, 2006 15:04:05",
		"Jan 2, 2006",
		"January 2, 2006",
	},
)

func join(zoned, local []string) []layout {
	ls := make([]layout, 0, len(zoned)+len(local))
	for _, l := range zoned {
		ls = append(ls, layout{l, true})
	}
	for _, l := range local {
		ls = append(ls, layout{l, false})
	}
	return ls
}

// namedZones are the zone names of RFC 822 section 5.1 (US zones, so
// "CST" is Central, not China), plus UTC. Military single letters other
// than Z are left out: RFC 1123 notes their signs were published wrong.
var namedZones = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600,
	"CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600,
	"PST": -8 * 3600, "PDT": -7 * 3600,
}

var weekdays = map[string]bool{
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true,
	"friday": true, "saturday": true, "sunday": true,
	"tues": true, "thur": true, "thurs": true,
}

// clean rewrites s into the shapes layouts expects. It drops a trailing
// "(comment)" and a leading weekday (Go ignores its value anyway, and
// feeds often get it wrong or leave it out), collapses whitespace, and
// turns a separate zone word ("GMT", "EST", "+08:00", "GMT+8") into ±hhmm.
func clean(s string) string {
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
		s = s[:i]
	}
	if i := strings.IndexAny(s, ", "); i > 0 && weekdays[strings.ToLower(s[:i])] {
		s = strings.TrimLeft(s[i:], ", ")
	}
	if len(s) > 10 && s[4] == '-' && s[10] == 't' {
		s = s[:10] + "T" + s[11:]
	}
	if strings.HasSuffix(s, "z") {
		s = s[:len(s)-1] + "Z"
	}
	f := strings.Fields(s)
	for i := 1; i < len(f); i++ {
		if z, ok := zoneWord(f[i]); ok {
			f[i] = z
		}
	}
	return strings.Join(f, " ")
}

// zoneWord returns w as a numeric offset "±hhmm" if it is a zone.
func zoneWord(w string) (string, bool) {
	up := strings.ToUpper(w)
	if off, ok := namedZones[up]; ok {
		return offset(off), true
	}
	for _, p := range []string{"GMT", "UTC", "UT"} {
		if len(up) > len(p) && strings.HasPrefix(up, p) {
			up = up[len(p):]
			break
		}
	}
	if len(up) < 2 || (up[0] != '+' && up[0] != '-') {
		return "", false
	}
	hh, mm, ok := strings.Cut(up[1:], ":")
	if !ok && len(hh) > 2 {
		hh, mm = hh[:len(hh)-2], hh[len(hh)-2:]
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi("0" + mm)
	if err1 != nil || err2 != nil || len(hh) > 2 || len(mm) > 2 || h > 23 || m > 59 ||
		strings.ContainsAny(hh+mm, "+-") {
		return "", false
	}
	off := h*3600 + m*60
	if up[0] == '-' {
		off = -off
	}
	return offset(off), true
}

func offset(sec int) string {
	sign := byte('+')
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return string(sign) + pad2(sec/3600) + pad2(sec/60%60)
}

func pad2(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}
