package sources

import (
	"bytes"
	"testing"
)

// TestWindows1252Labels: every label the WHATWG Encoding Standard gives
// windows-1252 decodes as it, declared or in Content-Type, so that the
// 0x80 to 0x9F of Windows text are the characters its authors typed (as
// in browsers) and not C1 controls that would be dropped: "don’t" stays.
func TestWindows1252Labels(t *testing.T) {
	labels := []string{"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
		"iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252", "ISO-8859-1", "US-ASCII"}
	const want = `<title>don’t “quote” … €5</title>`
	body := "<rss><channel><title>don\x92t \x93quote\x94 \x85 \x805</title></channel></rss>"
	for _, label := range labels {
		t.Run(label, func(t *testing.T) {
			got, err := DecodeXML([]byte(`<?xml version="1.0" encoding="`+label+`"?>`+body), "", "")
			if err != nil || !bytes.Contains(got, []byte(want)) {
				t.Errorf("declared: %q, %v", got, err)
			}
			if got, err = DecodeXML([]byte(body), `text/xml; charset="`+label+`"`, ""); err != nil || !bytes.Contains(got, []byte(want)) {
				t.Errorf("Content-Type: %q, %v", got, err)
			}
		})
	}
}
