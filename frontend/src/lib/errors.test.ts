// RESOURCE_EXHAUSTED has two causes a person handles differently: the
// server's bound on password hashing (try again in seconds) and too many
// attempts (wait). The reason in the error's ErrorInfo tells them apart.
import { describe, expect, test } from "vitest";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import { ConnectError } from "@connectrpc/connect";
import type { TFunction } from "i18next";
import { errorMessage, errorReason, reasons } from "./errors";

// The JSON body the server sends (connect-go) for a busy sign-in.
const busy = {
  code: "resource_exhausted",
  message: "the server is checking too many passwords at the moment; wait a few seconds and try again",
  details: [
    {
      type: "google.rpc.ErrorInfo",
      value: "ChRQQVNTV09SRF9DSEVDS1NfQlVTWRIKcGFjdHVtLmRldg",
      debug: { reason: "PASSWORD_CHECKS_BUSY", domain: "pactum.dev" },
    },
  ],
};

const t = ((key: string) => key) as unknown as TFunction;

describe("errorReason", () => {
  test("reads the ErrorInfo reason", () => {
    const err = errorFromJson(busy, undefined, new ConnectError("fallback"));
    expect(errorReason(err)).toBe(reasons.hashingBusy);
    expect(errorMessage(err, t)).toBe("common:errors.busy");
  });

  test("too many attempts stay too many attempts", () => {
    const err = errorFromJson({ code: "resource_exhausted", message: "too many" }, undefined, new ConnectError("fallback"));
    expect(errorReason(err)).toBe("");
    expect(errorMessage(err, t)).toBe("common:errors.tooMany");
  });
});
