// retryUnavailable: a Connect interceptor that retries a unary call the
// server answered "unavailable" (the database was busy or briefly
// unreachable: its transaction did not commit, so the same call may be sent
// again), after each delay in turn, then gives up with the last error. Other
// errors, and streams, pass through at once.
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

export const retryDelays = [250, 1000, 3000];

export function retryUnavailable(delays: readonly number[] = retryDelays): Interceptor {
  return (next) => async (req) => {
    if (req.stream) return next(req);
    for (let attempt = 0; ; attempt++) {
      try {
        return await next(req);
      } catch (err) {
        const unavailable = err instanceof ConnectError && err.code === Code.Unavailable;
        if (!unavailable || attempt >= delays.length || req.signal.aborted) throw err;
        await sleep(delays[attempt], req.signal);
      }
    }
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
