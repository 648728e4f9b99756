package budget

import (
	"context"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/grantfacts"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

const (
	// Latest is the version id that GetVersion reads as the latest adopted
	// version.
	Latest = "latest"
)

// VersionName returns "grants/{grant}/budgetVersions/{version}".
func VersionName(grantID, versionID string) string {
	return resource.Grants + "/" + grantID + "/" + resource.BudgetVersions + "/" + versionID
}

// LineName returns "grants/{grant}/budgetVersions/{version}/lines/{line}".
func LineName(grantID, versionID, lineID string) string {
	return VersionName(grantID, versionID) + "/" + resource.Lines + "/" + lineID
}

// RulesName returns "grants/{grant}/rules".
func RulesName(grantID string) string { return resource.Grants + "/" + grantID + "/" + resource.Rules }

// ParseGrantName returns the grant id of "grants/{grant}"; field names the
// request field for the error.
func ParseGrantName(name, field string) (string, error) {
	return resource.ParseName(resource.Grants, name, field)
}

// ParseVersionName returns the ids of "grants/{grant}/budgetVersions/{version}".
func ParseVersionName(name, field string) (grantID, versionID string, err error) {
	p, err := resource.VersionPattern.Parse(name, field)
	if err != nil {
		return "", "", err
	}
	return p[0], p[1], nil
}

// ParseLineName returns the ids of
// "grants/{grant}/budgetVersions/{version}/lines/{line}".
func ParseLineName(name, field string) (grantID, versionID, lineID string, err error) {
	p, err := resource.LinePattern.Parse(name, field)
	if err != nil {
		return "", "", "", err
	}
	return p[0], p[1], p[2], nil
}

// ParseRulesName returns the grant id of "grants/{grant}/rules".
func ParseRulesName(name, field string) (string, error) {
	p, err := resource.RulesPattern.Parse(name, field)
	if err != nil {
		return "", err
	}
	return p[0], nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// readGrant reads the grant grantID if c may read it. name is the resource
// asked for, reported as not found when the grant is hidden from c.
func readGrant(ctx context.Context, idb bun.IDB, c actor.Caller, grantID, name string) (*grantfacts.Facts, error) {
	g, err := grantfacts.Visible(ctx, idb, c, grantID)
	if errs.KindOf(err) == errs.KindNotFound {
		return nil, errs.NotFound(name)
	}
	return g, err
}

// manageGrant reads the grant grantID if c may change its money: not found
// when c may not read it, permission when c may read but not change it,
// precondition (GRANT_CLOSED) when it is closed. what names what is being
// changed, for the permission error.
func manageGrant(ctx context.Context, idb bun.IDB, c actor.Caller, grantID, name, what string) (*grantfacts.Facts, error) {
	g, err := readGrant(ctx, idb, c, grantID, name)
	if err != nil {
		return nil, err
	}
	if !policy.CanManageFinance(c, g.ID, g.LeadOrganisationID) {
		return nil, errs.PermissionDenied("you may read but not change %s of %s: only the grant's coordinators and finance staff (and admins) may",
			what, g.Name())
	}
	if g.Closed() {
		return nil, errs.Precondition("GRANT_CLOSED", "%s is closed: its %s can no longer be changed", g.Name(), what)
	}
	return g, nil
}
