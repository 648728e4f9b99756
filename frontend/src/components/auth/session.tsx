// After signing in or out: put the new session in the cache at once (no
// extra round trip on a slow connection), drop what the previous user
// loaded, and let the session refresh in the background.
import { create } from "@bufbuild/protobuf";
import { createConnectQueryKey, useQuery, useTransport } from "@connectrpc/connect-query";
import { useQueryClient, type Query } from "@tanstack/react-query";
import { AuthService, GetSessionResponseSchema } from "../../gen/pactum/v1/auth_pb";
import type { User } from "../../gen/pactum/v1/user_pb";

function isSessionQuery(q: Query): boolean {
  const k = q.queryKey[1] as { serviceName?: string; methodName?: string } | undefined;
  return k?.serviceName === AuthService.typeName && k?.methodName === AuthService.method.getSession.name;
}

// useSessionUser follows the signed-in user without ever fetching: the app
// shell owns that query. (A second observer that fetched on mount would
// refetch the signed-out session, which sends the whole app back to its
// loading state, and mounts this screen again, and so on.)
//
// Screens shown before sign-in navigate once this has the user, not right
// after the mutation: by then the app shell has the user too, and does not
// send them back to the sign-in page.
export function useSessionUser(): User | undefined {
  const q = useQuery(AuthService.method.getSession, {}, { retry: false, retryOnMount: false, refetchOnMount: false, staleTime: 5 * 60_000 });
  return q.data?.user;
}

export function useSessionCache() {
  const queryClient = useQueryClient();
  const transport = useTransport();
  const key = createConnectQueryKey({ schema: AuthService.method.getSession, input: {}, transport, cardinality: "finite" });
  return {
    signedIn(user: User | undefined) {
      queryClient.removeQueries({ predicate: (q) => !isSessionQuery(q) });
      queryClient.setQueryData(key, create(GetSessionResponseSchema, { user }));
      void queryClient.invalidateQueries({ queryKey: key });
    },
    signedOut() {
      queryClient.setQueryData(key, create(GetSessionResponseSchema, {}));
      queryClient.removeQueries({ predicate: (q) => !isSessionQuery(q) });
    },
  };
}
