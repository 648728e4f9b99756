// The signed-in user, from AuthService.GetSession, with what the server says
// they may do where no resource answers yet (permissions: the "new" buttons
// of lists, the screens of the navigation). What they may do with a
// resource comes with it, in its callerCan* fields: the web app never
// derives permissions from roles.
import { useQuery } from "@connectrpc/connect-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService } from "../gen/pactum/v1/auth_pb";
import { Role, type User } from "../gen/pactum/v1/user_pb";

export function useSession() {
  const q = useQuery(AuthService.method.getSession, {}, { retry: false, staleTime: 5 * 60_000 });
  const unauthenticated = q.error instanceof ConnectError && q.error.code === Code.Unauthenticated;
  return {
    user: q.data?.user,
    permissions: q.data?.permissions,
    loading: q.isLoading,
    unauthenticated,
    error: unauthenticated ? undefined : q.error,
    refetch: q.refetch,
  };
}

export function roles(user: User | undefined): Set<Role> {
  return new Set(user?.memberships.map((m) => m.role) ?? []);
}

// isPartner: only partner roles, so the simpler navigation.
export function isPartner(user: User | undefined): boolean {
  const r = roles(user);
  return r.size > 0 && [...r].every((x) => x === Role.PARTNER_EDITOR || x === Role.PARTNER_VIEWER);
}

export function isAdmin(user: User | undefined): boolean {
  return roles(user).has(Role.ADMIN);
}

// partnerOrganisations: the organisations the user is a partner in.
export function partnerOrganisations(user: User | undefined): string[] {
  return (user?.memberships ?? [])
    .filter((m) => m.role === Role.PARTNER_EDITOR || m.role === Role.PARTNER_VIEWER)
    .map((m) => m.organisation);
}
