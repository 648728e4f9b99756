import { describe, expect, it } from "vitest";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { retryUnavailable } from "./retry";

// The fakes stand for a transport's calls: only the fields the interceptor
// reads are there.
type Next = Parameters<Interceptor>[0];
type Request = Parameters<Next>[0];

// A fake unary call: fails with the given codes in turn, then succeeds.
function failing(codes: Code[]) {
  let calls = 0;
  const next = async () => {
    const code = codes[calls++];
    if (code !== undefined) throw new ConnectError("failed", code);
    return { message: "ok" };
  };
  return { next: next as unknown as Next, calls: () => calls };
}

const request = (stream = false) => ({ stream, signal: new AbortController().signal }) as unknown as Request;

describe("retryUnavailable", () => {
  it("retries unavailable until the call succeeds", async () => {
    const f = failing([Code.Unavailable, Code.Unavailable]);
    const res = await retryUnavailable([1, 1, 1])(f.next)(request());
    expect(res).toEqual({ message: "ok" });
    expect(f.calls()).toBe(3);
  });
  it("gives up after the last delay with the server's error", async () => {
    const f = failing([Code.Unavailable, Code.Unavailable, Code.Unavailable]);
    await expect(retryUnavailable([1, 1])(f.next)(request())).rejects.toMatchObject({ code: Code.Unavailable });
    expect(f.calls()).toBe(3);
  });
  it("does not retry other errors, nor streams", async () => {
    for (const code of [Code.Internal, Code.Aborted, Code.InvalidArgument, Code.DeadlineExceeded]) {
      const f = failing([code]);
      await expect(retryUnavailable([1])(f.next)(request())).rejects.toMatchObject({ code });
      expect(f.calls()).toBe(1);
    }
    const f = failing([Code.Unavailable]);
    await expect(retryUnavailable([1])(f.next)(request(true))).rejects.toMatchObject({ code: Code.Unavailable });
    expect(f.calls()).toBe(1);
  });
});
