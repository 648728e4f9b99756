// Connect errors, turned into what a user can act on: a message in their
// language, and field violations placed next to the fields they concern.
import { Code, ConnectError } from "@connectrpc/connect";
import type { TFunction } from "i18next";

export type FieldErrors = Record<string, string>;

interface Violation {
  field: string;
  description: string;
}

// fieldViolations reads the google.rpc.BadRequest detail of an error (the
// server sends its JSON form in "debug"). Field paths are returned without
// the request's resource prefix ("grant.end_date" -> "end_date").
export function fieldViolations(err: unknown, prefix = ""): FieldErrors {
  const out: FieldErrors = {};
  if (!(err instanceof ConnectError)) return out;
  for (const d of err.details) {
    if (!("type" in d) || d.type !== "google.rpc.BadRequest") continue;
    const debug = (d as { debug?: { fieldViolations?: Violation[] } }).debug;
    for (const v of debug?.fieldViolations ?? []) {
      const field = prefix && v.field.startsWith(prefix) ? v.field.slice(prefix.length) : v.field;
      out[field] = v.description;
    }
  }
  return out;
}

// errorReason returns the reason of an error's google.rpc.ErrorInfo detail
// (e.g. "PASSWORD_CHECKS_BUSY"), or "".
export function errorReason(err: unknown): string {
  if (!(err instanceof ConnectError)) return "";
  for (const d of err.details) {
    if (!("type" in d) || d.type !== "google.rpc.ErrorInfo") continue;
    const reason = (d as { debug?: { reason?: string } }).debug?.reason;
    if (reason) return reason;
  }
  return "";
}

// Reasons of RESOURCE_EXHAUSTED answers.
export const reasons = {
  // Every password-hashing slot of the server is taken: not the caller's fault.
  hashingBusy: "PASSWORD_CHECKS_BUSY",
  signInLimited: "SIGN_IN_LIMITED",
  resetLimited: "RESET_LIMITED",
} as const;

// isStale reports whether an update was refused because someone else
// changed the record (a stale etag).
export function isStale(err: unknown): boolean {
  return err instanceof ConnectError && err.code === Code.Aborted;
}

// errorMessage says what went wrong, in the user's language.
export function errorMessage(err: unknown, t: TFunction): string {
  if (!(err instanceof ConnectError)) return t("common:errors.network");
  switch (err.code) {
    case Code.Unauthenticated:
      return t("common:errors.unauthenticated");
    case Code.PermissionDenied:
      return t("common:errors.permissionDenied");
    case Code.NotFound:
      return t("common:errors.notFound");
    case Code.Aborted:
      return t("common:errors.stale");
    case Code.ResourceExhausted:
      return errorReason(err) === reasons.hashingBusy ? t("common:errors.busy") : t("common:errors.tooMany");
    case Code.InvalidArgument:
      return t("common:errors.invalid");
    case Code.FailedPrecondition:
      return t("common:errors.precondition", { detail: err.rawMessage });
    case Code.AlreadyExists:
      return t("common:errors.exists", { detail: err.rawMessage });
    case Code.Unavailable:
    case Code.Unknown:
      return t("common:errors.network");
    default:
      return t("common:errors.internal");
  }
}

// fieldLabel words a field path of the API ("participants[1].role") for a
// reader: each part in their language where the catalogue knows it
// ("Participants 2 › Role"), never the raw path.
export function fieldLabel(path: string, t: TFunction): string {
  return path
    .split(".")
    .filter((p) => p !== "")
    .map((part) => {
      const m = /^([a-z0-9_]+)((?:\[\d+\])*)$/.exec(part);
      const name = m ? m[1] : part;
      const indexes = m ? [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => String(Number(x[1]) + 1)) : [];
      const key = `common:fields.${name}`;
      const word = t(key, { defaultValue: "" }) || humanise(name);
      return [word, ...indexes].join(" ");
    })
    .join(" › ");
}

function humanise(name: string): string {
  const s = name.replace(/_/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
