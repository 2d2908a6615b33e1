package feeds

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/feedsmith/feedsmith/article"
)

// idSpace is the UUID namespace of item ids (RFC 9562 §5.5). Changing it
// would change every published id and make readers show every item again.
var idSpace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/feedsmith/feedsmith/feeds#item"))

var (
	// urnID and tagID are the URN (RFC 8141) and tag URI (RFC 4151) shapes
	// that the W3C validator accepts as ids.
	urnID  = regexp.MustCompile(`^urn:[A-Za-z0-9][A-Za-z0-9-]{1,31}:([A-Za-z0-9()+,.:=@;$_!*'-]|%[0-9A-F]{2})+$`)
	uuidID = regexp.MustCompile(`^urn:(?i:uuid):[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$`)
	tagID  = regexp.MustCompile(`^tag:([a-z0-9._-]+@)?[a-z0-9.-]+,[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?:[A-Za-z0-9;/?:@&=+$._!~*'()%,-]*(#[A-Za-z0-9;/?:@&=+$._!~*'()%,-]*)?$`)
)

// ItemID returns the id an article carries in every format: Atom's <id>,
// RSS's <guid> and JSON Feed's "id".
//
// It is the article ID itself, in URI normal form, when that is already an
// absolute http, https, urn or tag IRI; otherwise (a guid such as
// "NW202202141234567890", or "sha256:…") it is a name-based UUID (version 5)
// of the source ID and the article ID, as urn:uuid:…. Either way it depends
// on nothing an edit changes, so a reader never sees an edited article as a
// new one.
func ItemID(a article.Article) string {
	id := strings.TrimSpace(a.ID)
	if id == "" {
		id = strings.TrimSpace(a.Link)
	}
	if iri, ok := iriID(id); ok {
		return iri
	}
	return nameUUID(a.SourceID, id)
}

// iriID returns id in normal form when it is an absolute IRI of a scheme
// ids may use.
func iriID(id string) (string, bool) {
	c, ok := canonicalURI(id, "http", "https", "urn", "tag")
	if !ok {
		return "", false
	}
	switch {
	case strings.HasPrefix(strings.ToLower(c), "urn:uuid:"):
		return c, uuidID.MatchString(c)
	case strings.HasPrefix(c, "urn:"):
		return c, urnID.MatchString(c)
	case strings.HasPrefix(c, "tag:"):
		return c, tagID.MatchString(c)
	}
	return c, true
}

func nameUUID(parts ...string) string {
	return uuid.NewSHA1(idSpace, []byte(strings.Join(parts, "\x00"))).URN()
}

// assignIDs gives every entry its ItemID, unique within the document. Two
// articles with the same id (one link filed by two sources) would be one
// item to a reader; the newer one gets a UUID of its source and id instead.
// Ids are given oldest first so that an item already published keeps its
// id when a duplicate arrives.
func assignIDs(es []entry) {
	seen := make(map[string]bool, len(es))
	for i := len(es) - 1; i >= 0; i-- {
		a := &es[i].src
		id := ItemID(*a)
		for n := 1; seen[id]; n++ {
			id = nameUUID(a.SourceID, a.ID, strconv.Itoa(n))
		}
		seen[id] = true
		es[i].id = id
	}
}
