// Package organisation holds the organisations of a framework partnership:
// the lead network, members, affiliates, local partners and donors.
package organisation

import (
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/geo"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Kind is the part an organisation plays in the partnership.
type Kind string

const (
	KindLead         Kind = "lead"
	KindMember       Kind = "member"
	KindAffiliate    Kind = "affiliate"
	KindLocalPartner Kind = "local_partner"
	KindDonor        Kind = "donor"
)

// Kinds lists every valid Kind.
var Kinds = []Kind{KindLead, KindMember, KindAffiliate, KindLocalPartner, KindDonor}

// Organisation is a stored organisation.
type Organisation struct {
	bun.BaseModel `bun:"table:organisations"`

	ID             string     `bun:"id,pk"`
	DisplayName    string     `bun:"display_name"`
	SearchName     string     `bun:"search_name"`
	ShortName      string     `bun:"short_name"`
	Kind           Kind       `bun:"kind"`
	CountryCode    string     `bun:"country_code"`
	Region         geo.Region `bun:"region"`
	IATIIdentifier *string    `bun:"iati_identifier"`
	ContactPerson  string     `bun:"contact_person"`
	Email          string     `bun:"email"`
	Phone          string     `bun:"phone"`
	Website        string     `bun:"website"`
	Address        string     `bun:"address"`
	Version        int64      `bun:"version"`
	CreateTime     time.Time  `bun:"create_time"`
	UpdateTime     time.Time  `bun:"update_time"`
}

// Name returns the resource name.
func (o *Organisation) Name() string { return resource.Name(resource.Organisations, o.ID) }

// ETag returns the current etag.
func (o *Organisation) ETag() string { return resource.ETag(o.Version) }

// IATI returns the IATI identifier, or "".
func (o *Organisation) IATI() string {
	if o.IATIIdentifier == nil {
		return ""
	}
	return *o.IATIIdentifier
}

// normalise trims text, derives the region and search name, and checks the
// business rules, naming each field that is wrong.
func (o *Organisation) normalise() error {
	var v errs.Violations
	o.DisplayName = strings.TrimSpace(o.DisplayName)
	o.ShortName = strings.TrimSpace(o.ShortName)
	if o.DisplayName == "" {
		v.Add("display_name", "is required: the organisation's full name")
	}
	valid := false
	for _, k := range Kinds {
		valid = valid || o.Kind == k
	}
	if !valid {
		v.Add("kind", "is required: one of lead, member, affiliate, local partner or donor")
	}
	if o.CountryCode == "" {
		v.Add("country_code", "is required: the ISO 3166-1 alpha-2 code of the head office's country, e.g. KE")
	} else if r, err := geo.Country(o.CountryCode); err != nil {
		v.Add("country_code", "%s", err.Error())
	} else {
		o.Region = r
	}
	if o.IATIIdentifier != nil && strings.TrimSpace(*o.IATIIdentifier) == "" {
		o.IATIIdentifier = nil
	}
	o.SearchName = SearchKey(o.DisplayName + " " + o.ShortName)
	return v.Err()
}

// fold makes the transformer of SearchKey. A transform.Chain keeps state
// between calls and is not safe for concurrent use: each call gets its own
// (requests search organisations concurrently).
func fold() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// SearchKey folds s for case- and accent-insensitive search:
// "Coopérative" and "COOPERATIVE" have the same key.
func SearchKey(s string) string {
	out, _, err := transform.String(fold(), s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}
