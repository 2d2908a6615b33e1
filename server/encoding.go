package server

import "strings"

// acceptsGzip reports whether the Accept-Encoding values prefer gzip
// (RFC 9110 §12.5.3): gzip (or x-gzip, or else "*") has a q-value above
// zero and not below the one identity is given explicitly. An unlisted
// identity is acceptable but not preferred, so "gzip;q=0.5" still gets
// gzip; "gzip;q=0" and "identity, gzip;q=0.5" get the identity body.
func acceptsGzip(values []string) bool {
	gzipQ, identityQ, anyQ := -1, -1, -1
	for _, v := range values {
		for v != "" {
			var item string
			item, v, _ = strings.Cut(v, ",")
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.TrimSpace(coding)
			q := qValue(params)
			switch {
			case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
				gzipQ = max(gzipQ, q)
			case strings.EqualFold(coding, "identity"):
				identityQ = q
			case coding == "*":
				anyQ = q
			}
		}
	}
	if gzipQ < 0 {
		gzipQ = anyQ
	}
	return gzipQ > 0 && gzipQ >= identityQ
}

// qValue returns the weight among params (";q=0.5") in thousandths:
// 1000 when there is none, 0 when it is not a valid qvalue, so a garbled
// weight never picks a coding.
func qValue(params string) int {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, val, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			return parseQ(strings.TrimSpace(val))
		}
	}
	return 1000
}

// parseQ parses qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
func parseQ(s string) int {
	if s == "" || (s[0] != '0' && s[0] != '1') || len(s) > 5 {
		return 0
	}
	q := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return q
	}
	if s[1] != '.' {
		return 0
	}
	for i, unit := 2, 100; i < len(s); i, unit = i+1, unit/10 {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		q += int(s[i]-'0') * unit
	}
	if q > 1000 {
		return 0
	}
	return q
}
