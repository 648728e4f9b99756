// RESOURCE_EXHAUSTED has two causes a person handles differently: the
// server's bound on password hashing (try again in seconds) and too many
// attempts (wait). The reason in the error's ErrorInfo tells them apart.
import { describe, expect, test } from "vitest";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import { ConnectError } from "@connectrpc/connect";
import type { TFunction } from "i18next";
import { errorMessage, errorReason, fieldLabel, reasons } from "./errors";

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

describe("fieldLabel", () => {
  // A catalogue that knows "participants" and "role" but not "budget_share".
  const known: Record<string, string> = { "common:fields.participants": "Participants", "common:fields.role": "Rôle" };
  const tr = ((key: string, o?: { defaultValue?: string }) => known[key] ?? o?.defaultValue ?? key) as unknown as TFunction;

  test("words each part of a path, with 1-based positions", () => {
    expect(fieldLabel("participants[1].role", tr)).toBe("Participants 2 › Rôle");
  });

  test("never shows the raw path for a name the catalogue lacks", () => {
    expect(fieldLabel("participants[0].budget_share", tr)).toBe("Participants 1 › Budget share");
  });
});
