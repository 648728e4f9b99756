package budget

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// grantCollection names grants ("grants/{id}"); versions, lines and rule
// sets are named under their grant.
const grantCollection = "grants"

// Resource-name segments under a grant.
const (
	versionsSegment = "budgetVersions"
	linesSegment    = "lines"
	rulesSegment    = "rules"
	// Latest is the version id that GetVersion reads as the latest adopted
	// version.
	Latest = "latest"
)

// VersionName returns "grants/{grant}/budgetVersions/{version}".
func VersionName(grantID, versionID string) string {
	return grantCollection + "/" + grantID + "/" + versionsSegment + "/" + versionID
}

// LineName returns "grants/{grant}/budgetVersions/{version}/lines/{line}".
func LineName(grantID, versionID, lineID string) string {
	return VersionName(grantID, versionID) + "/" + linesSegment + "/" + lineID
}

// RulesName returns "grants/{grant}/rules".
func RulesName(grantID string) string { return grantCollection + "/" + grantID + "/" + rulesSegment }

// ParseGrantName returns the grant id of "grants/{grant}"; field names the
// request field for the error.
func ParseGrantName(name, field string) (string, error) {
	return resource.ParseName(grantCollection, name, field)
}

// ParseVersionName returns the ids of "grants/{grant}/budgetVersions/{version}".
func ParseVersionName(name, field string) (grantID, versionID string, err error) {
	p, ok := split(name, grantCollection, versionsSegment)
	if !ok {
		return "", "", invalidName(name, field, "grants/{grant}/budgetVersions/{version}")
	}
	return p[0], p[1], nil
}

// ParseLineName returns the ids of
// "grants/{grant}/budgetVersions/{version}/lines/{line}".
func ParseLineName(name, field string) (grantID, versionID, lineID string, err error) {
	p, ok := split(name, grantCollection, versionsSegment, linesSegment)
	if !ok {
		return "", "", "", invalidName(name, field, "grants/{grant}/budgetVersions/{version}/lines/{line}")
	}
	return p[0], p[1], p[2], nil
}

// ParseRulesName returns the grant id of "grants/{grant}/rules".
func ParseRulesName(name, field string) (string, error) {
	g, ok := strings.CutPrefix(name, grantCollection+"/")
	if ok {
		g, ok = strings.CutSuffix(g, "/"+rulesSegment)
	}
	if !ok || g == "" || strings.Contains(g, "/") {
		return "", invalidName(name, field, "grants/{grant}/rules")
	}
	return g, nil
}

// split reads "c0/{id0}/c1/{id1}/..." into its ids.
func split(name string, collections ...string) ([]string, bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 2*len(collections) {
		return nil, false
	}
	var ids []string
	for i, c := range collections {
		if parts[2*i] != c || parts[2*i+1] == "" {
			return nil, false
		}
		ids = append(ids, parts[2*i+1])
	}
	return ids, true
}

func invalidName(name, field, form string) error {
	return errs.Invalid(errs.FieldViolation{Field: field,
		Description: fmt.Sprintf("must be a resource name of the form %s, got %q", form, name)})
}

func itoa(i int) string { return strconv.Itoa(i) }

// grantRow is what budgets need to know of a grant.
type grantRow struct {
	bun.BaseModel `bun:"table:grants"`

	ID                 string `bun:"id,pk"`
	LeadOrganisationID string `bun:"lead_organisation_id"`
	CurrencyCode       string `bun:"currency_code"`
	State              string `bun:"state"`
}

func (g *grantRow) name() string { return resource.Name(grantCollection, g.ID) }

// readGrant reads the grant grantID if c may read it. name is the resource
// asked for, reported as not found when the grant is hidden from c.
func readGrant(ctx context.Context, idb bun.IDB, c actor.Caller, grantID, name string) (*grantRow, error) {
	g := new(grantRow)
	q := policy.Where(idb.NewSelect().Model(g).Where("id = ?", grantID), policy.Grants(c, "id"))
	err := q.Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(name))
	}
	return g, nil
}

// manageGrant reads the grant grantID if c may change its money: not found
// when c may not read it, permission when c may read but not change it,
// precondition (GRANT_CLOSED) when it is closed. what names what is being
// changed, for the permission error.
func manageGrant(ctx context.Context, idb bun.IDB, c actor.Caller, grantID, name, what string) (*grantRow, error) {
	g, err := readGrant(ctx, idb, c, grantID, name)
	if err != nil {
		return nil, err
	}
	if !policy.CanManageFinance(c, g.ID, g.LeadOrganisationID) {
		return nil, errs.PermissionDenied("you may read but not change %s of %s: only the grant's coordinators and finance staff (and admins) may",
			what, g.name())
	}
	if g.State == "closed" {
		return nil, errs.Precondition("GRANT_CLOSED", "%s is closed: its %s can no longer be changed", g.name(), what)
	}
	return g, nil
}
