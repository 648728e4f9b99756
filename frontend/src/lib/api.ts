// The Connect transport: same origin, JSON, with the session cookie.
import { createConnectTransport } from "@connectrpc/connect-web";
import { QueryClient } from "@tanstack/react-query";
import { Code, ConnectError } from "@connectrpc/connect";

export const transport = createConnectTransport({
  baseUrl: window.location.origin,
  fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
});

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Slow, intermittent connections: keep data fresh for a while, retry
      // network failures but not refusals.
      staleTime: 60_000,
      gcTime: 30 * 60_000,
      retry: (failures, error) => {
        const code = error instanceof ConnectError ? error.code : Code.Unknown;
        const retriable = code === Code.Unavailable || code === Code.Unknown || code === Code.DeadlineExceeded;
        return retriable && failures < 3;
      },
      refetchOnWindowFocus: false,
    },
  },
});
