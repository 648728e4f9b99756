package policy

import (
	"slices"

	"github.com/pactum-dev/pactum/internal/actor"
)

// What the caller may do with one resource, for the web app to show only
// the buttons it may use (the caller_can_* fields of the API). Each field is
// one of the decisions above; the domain still checks every change, and the
// state of the resource (a closed grant, a submitted milestone) is the
// domain's to add.

// CanReadGrantInFull reports whether the caller reads every record of a
// grant (budget, rules, all partners' expenditures and updates), given its
// id and lead organisation: admins, and its coordinators, finance staff and
// auditors. Partners read only what concerns their organisation.
func CanReadGrantInFull(c actor.Caller, grantID, leadOrgID string) bool {
	if c.IsAdmin() {
		return true
	}
	return slices.ContainsFunc(c.Memberships, func(m actor.Membership) bool {
		switch m.Role {
		case actor.RoleCoordinator, actor.RoleFinance, actor.RoleAuditor:
		default:
			return false
		}
		if len(m.GrantIDs) > 0 {
			return slices.Contains(m.GrantIDs, grantID)
		}
		return m.Role != actor.RoleAuditor && m.OrganisationID == leadOrgID
	})
}

// CanRecordExpenditures reports whether the caller may record expenditures
// in a grant, given its id, lead organisation and parties (the organisations
// taking part in its projects): those who may manage its money, and the
// partner editors of a party (on the lines allocated to it).
func CanRecordExpenditures(c actor.Caller, grantID, leadOrgID string, parties []string) bool {
	return CanManageFinance(c, grantID, leadOrgID) ||
		slices.ContainsFunc(parties, func(org string) bool { return IsPartnerEditorOf(c, org) })
}

// CanReadRecordHistory reports whether the caller may read the history of
// records that belong to no grant (organisations, framework agreements):
// admins and coordinators, who keep them.
func CanReadRecordHistory(c actor.Caller) bool {
	return c.IsAdmin() || c.Has(actor.RoleCoordinator)
}

// MayLogSomeActivities reports whether the caller could log activities in
// some project: admins, coordinators and partner editors. Which project is
// decided by CanLogActivities once it is known.
func MayLogSomeActivities(c actor.Caller) bool {
	return c.IsAdmin() || c.Has(actor.RoleCoordinator) || c.Has(actor.RolePartnerEditor)
}

// GrantRights is what the caller may do with one grant and in it.
type GrantRights struct {
	Manage             bool // change, activate, close, delete a draft; create projects and milestones
	ReadInFull         bool // budget, rules, every partner's records
	ManageMoney        bool // budget, rules, transfers, pre-financing, any expenditure
	RecordExpenditures bool
	VerifyExpenditures bool
	ReadHistory        bool
}

// OnGrant decides the caller's rights on a grant, given its id, lead
// organisation and parties.
func OnGrant(c actor.Caller, grantID, leadOrgID string, parties []string) GrantRights {
	return GrantRights{
		Manage:             CanManageGrant(c, grantID, leadOrgID),
		ReadInFull:         CanReadGrantInFull(c, grantID, leadOrgID),
		ManageMoney:        CanManageFinance(c, grantID, leadOrgID),
		RecordExpenditures: CanRecordExpenditures(c, grantID, leadOrgID, parties),
		VerifyExpenditures: CanVerifyExpenditures(c, grantID, leadOrgID),
		ReadHistory:        CanReadAudit(c, grantID, leadOrgID),
	}
}

// ProjectRights is what the caller may do with one project.
type ProjectRights struct {
	Manage        bool // change, delete; change its results framework
	LogActivities bool
	ReadHistory   bool
}

// OnProject decides the caller's rights on a project, given its grant's id
// and lead organisation and the organisations taking part in it.
func OnProject(c actor.Caller, grantID, leadOrgID string, participants []string) ProjectRights {
	return ProjectRights{
		Manage:        CanManageGrant(c, grantID, leadOrgID),
		LogActivities: CanLogActivities(c, grantID, leadOrgID, participants),
		ReadHistory:   CanReadAudit(c, grantID, leadOrgID),
	}
}

// MilestoneRights is what the caller may do with one milestone, whatever
// its status.
type MilestoneRights struct {
	Manage bool // change, delete, accept
	Submit bool
}

// OnMilestone decides the caller's rights on a milestone, given its grant's
// id and lead organisation and the organisation responsible for it.
func OnMilestone(c actor.Caller, grantID, leadOrgID, responsibleOrgID string) MilestoneRights {
	return MilestoneRights{
		Manage: CanManageGrant(c, grantID, leadOrgID),
		Submit: CanSubmitMilestone(c, grantID, leadOrgID, responsibleOrgID),
	}
}

// SessionRights is what the caller may do where no resource decides yet:
// the "new" buttons of lists and the screens of the navigation.
type SessionRights struct {
	CreateGrants        bool // and framework agreements
	ManageOrganisations bool
	ManageUsers         bool
	ManageRates         bool
	LogSomeActivities   bool
	ReadRecordHistory   bool
	ManageAdmins        bool // give the admin role, change admins
	ManageTemplates     bool // define budget templates for some organisation
}

// OnSession decides the caller's rights that need no resource.
func OnSession(c actor.Caller) SessionRights {
	return SessionRights{
		CreateGrants:        MayCreateGrants(c),
		ManageOrganisations: CanManageOrganisations(c),
		ManageUsers:         MayManageUsers(c),
		ManageRates:         MayManageRates(c),
		LogSomeActivities:   MayLogSomeActivities(c),
		ReadRecordHistory:   CanReadRecordHistory(c),
		ManageAdmins:        MayGiveRole(c, actor.RoleAdmin),
		ManageTemplates:     MayDefineSomeTemplates(c),
	}
}
