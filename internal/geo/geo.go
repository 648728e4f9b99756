// Package geo validates ISO 3166-1 country codes and derives a country's UN
// M49 region from the CLDR containment data in golang.org/x/text.
package geo

import (
	"fmt"

	"golang.org/x/text/language"
)

// Region is a UN M49 region.
type Region string

const (
	Africa                Region = "africa"
	Asia                  Region = "asia"
	Europe                Region = "europe"
	LatinAmericaCaribbean Region = "latin_america_caribbean"
	NorthernAmerica       Region = "northern_america"
	Oceania               Region = "oceania"
	Unknown               Region = ""
)

// regions maps each Region to its UN M49 code. Membership comes from x/text.
var regions = []struct {
	region Region
	m49    language.Region
}{
	{Africa, language.MustParseRegion("002")},
	{Asia, language.MustParseRegion("142")},
	{Europe, language.MustParseRegion("150")},
	{LatinAmericaCaribbean, language.MustParseRegion("419")},
	{NorthernAmerica, language.MustParseRegion("021")},
	{Oceania, language.MustParseRegion("009")},
}

// Country checks an ISO 3166-1 alpha-2 code and returns its region.
func Country(code string) (Region, error) {
	bad := fmt.Errorf("%q is not an ISO 3166-1 alpha-2 country code; use two capital letters such as KE (Kenya), NP (Nepal) or BO (Bolivia)", code)
	if len(code) != 2 {
		return Unknown, bad
	}
	r, err := language.ParseRegion(code)
	if err != nil || r.String() != code || r.Canonicalize() != r || !r.IsCountry() || r.IsPrivateUse() {
		return Unknown, bad
	}
	for _, g := range regions {
		if g.m49.Contains(r) {
			return g.region, nil
		}
	}
	return Unknown, nil
}

// Valid reports whether s is a Region value.
func (r Region) Valid() bool {
	for _, g := range regions {
		if g.region == r {
			return true
		}
	}
	return false
}
