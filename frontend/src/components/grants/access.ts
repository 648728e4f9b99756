// Who may read which history (the server decides; this only hides links
// that would lead to a refusal or an empty page). A grant's trail is open to
// its coordinators and auditors and to admins; the events of organisations
// and framework agreements belong to no grant: coordinators, who keep them,
// and admins read those.
import { Role, type User } from "../../gen/pactum/v1/user_pb";
import { isAdmin, roles } from "../../lib/session";

export function mayReadGrantHistory(user: User | undefined): boolean {
  const r = roles(user);
  return r.has(Role.ADMIN) || r.has(Role.COORDINATOR) || r.has(Role.AUDITOR);
}

export function mayReadRecordHistory(user: User | undefined): boolean {
  return isAdmin(user) || roles(user).has(Role.COORDINATOR);
}
