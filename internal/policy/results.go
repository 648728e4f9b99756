package policy

import (
	"slices"

	"github.com/pactum-dev/pactum/internal/actor"
)

// A project's results framework (results, indicators) and activity log, by
// role:
//   - admin: everything.
//   - coordinator, finance, auditor of a grant: read all of its projects'.
//   - partner editor / viewer: read those of the projects their organisation
//     takes part in, never another partner's.
//   - the results framework is changed by those who may manage the grant
//     (CanManageGrant).
//   - activities are logged and changed by those who may manage the grant,
//     and by the partner editors of an organisation taking part in the
//     project (CanLogActivities).

// ProjectRecords is the condition for rows that belong to a project (results,
// indicators, activities) the caller may read, given the project id and grant
// id columns.
func ProjectRecords(c actor.Caller, projectCol, grantCol string) Cond {
	return Projects(c, projectCol, grantCol)
}

// CanLogActivities reports whether the caller may log and change the
// activities of a project, given its grant's id and lead organisation and
// the organisations taking part in it.
func CanLogActivities(c actor.Caller, grantID, leadOrgID string, participants []string) bool {
	if CanManageGrant(c, grantID, leadOrgID) {
		return true
	}
	return slices.ContainsFunc(participants, func(org string) bool { return IsPartnerEditorOf(c, org) })
}
