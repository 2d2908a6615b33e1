package normalize

import "strings"

// authors cleans an article's authors: Authors when the source gave them,
// else Author alone. Each is a plain-text line as titles are (markup
// stripped, entities decoded), of at most max bytes; empty and repeated
// names are dropped, and only the first MaxNames kept.
func authors(author string, all []string, max int) []string {
	if len(all) == 0 {
		all = []string{author}
	}
	return distinct(all, func(s string) string { return capped(s, max, cutRaw, authorText) })
}

// authorText is the plain text of an author name. "Name <address>" keeps
// its address, which would otherwise read as a tag.
func authorText(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '<'); i >= 0 && strings.HasSuffix(s, ">") {
		if addr := s[i+1 : len(s)-1]; strings.Contains(addr, "@") && !strings.ContainsAny(addr, " \t<>\"'&") {
			return line(retext(Text(s[:i])) + " " + s[i:])
		}
	}
	return line(retext(Text(s)))
}
