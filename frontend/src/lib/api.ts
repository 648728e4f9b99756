// The Connect transport: same origin, JSON, with the session cookie.
import { createConnectTransport } from "@connectrpc/connect-web";
import { QueryClient } from "@tanstack/react-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { takePrefetched } from "../boot";
import { retryUnavailable } from "./retry";

// prefetched: the answer the boot script (src/boot.ts) already asked for
// while the app was loading, if this is that request.
function prefetched(input: RequestInfo | URL, init?: RequestInit): Promise<Response> | undefined {
  if (init?.method !== "POST" || !(init.body instanceof Uint8Array)) return undefined;
  try {
    const url = new URL(input instanceof Request ? input.url : input, window.location.origin);
    return takePrefetched(url.pathname, JSON.parse(new TextDecoder().decode(init.body)));
  } catch {
    return undefined;
  }
}

export const transport = createConnectTransport({
  baseUrl: window.location.origin,
  // A busy or briefly unreachable database answers "unavailable": retried
  // a few times, backed off, before the user sees an error.
  interceptors: [retryUnavailable()],
  fetch: (input, init) => {
    const request = () => fetch(input, { ...init, credentials: "same-origin" });
    return prefetched(input, init)?.catch(request) ?? request();
  },
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
