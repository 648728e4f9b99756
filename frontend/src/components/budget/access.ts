// Who sees a grant's money (the server decides; this only hides links and
// buttons that would be refused). Coordinators, finance staff and admins
// read and change budgets, rules and pre-financing; auditors read them;
// partners get none of these screens.
import { Role, type User } from "../../gen/pactum/v1/user_pb";
import { isPartner, roles } from "../../lib/session";

export function mayReadBudget(user: User | undefined): boolean {
  if (!user || isPartner(user)) return false;
  const r = roles(user);
  return r.has(Role.ADMIN) || r.has(Role.COORDINATOR) || r.has(Role.FINANCE) || r.has(Role.AUDITOR);
}

export function mayManageBudget(user: User | undefined): boolean {
  const r = roles(user);
  return r.has(Role.ADMIN) || r.has(Role.COORDINATOR) || r.has(Role.FINANCE);
}
