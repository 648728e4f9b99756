// Who may change a project's results framework or log its activities (the
// server decides; this only hides buttons it would refuse, and its errors
// are shown when it does). Mirrors internal/policy: the grant's coordinators
// (and admins) manage the results framework and log activities; the
// partner editors of an organisation taking part in the project log its
// activities too.
import { Role, type User } from "../../gen/pactum/v1/user_pb";
import type { Project } from "../../gen/pactum/v1/project_pb";

export function mayManageResults(user: User | undefined, grant: string | undefined): boolean {
  return (user?.memberships ?? []).some(
    (m) => m.role === Role.ADMIN || (m.role === Role.COORDINATOR && (m.grants.length === 0 || (!!grant && m.grants.includes(grant)))),
  );
}

export function mayLogActivities(user: User | undefined, project: Project | undefined): boolean {
  if (!project) return false;
  if (mayManageResults(user, project.grant)) return true;
  const orgs = new Set(project.participants.map((p) => p.organisation));
  return (user?.memberships ?? []).some((m) => m.role === Role.PARTNER_EDITOR && orgs.has(m.organisation));
}

// mayLogSomeActivities: whether the user could log an activity in any
// project (for the "Log an activity" button of the list).
export function mayLogSomeActivities(user: User | undefined): boolean {
  return (user?.memberships ?? []).some((m) => m.role === Role.ADMIN || m.role === Role.COORDINATOR || m.role === Role.PARTNER_EDITOR);
}
