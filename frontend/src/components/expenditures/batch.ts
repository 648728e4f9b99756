// Expenditures acted on in bulk: the answers of BatchSubmit/Verify/Reject
// give a result per item; refused items are worded here in the reader's
// language from their code and reason (the server's own sentence is kept
// for the title attribute only).
import type { TFunction } from "i18next";
import type { BatchExpenditureResult } from "../../gen/pactum/v1/expenditure_pb";

// The server takes at most this many items per call.
export const batchLimit = 500;

// chunks splits items into calls of at most batchLimit.
export function chunks<T>(items: T[], size = batchLimit): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// refusal words why an item was refused.
export function refusal(r: BatchExpenditureResult, t: TFunction): string {
  switch (r.reason) {
    case "FOUR_EYES":
      return t("finance:refused.fourEyes");
    case "EXPENDITURE_NOT_SUBMITTED":
      return t("finance:refused.notSubmitted");
    case "EXPENDITURE_NOT_EDITABLE":
      return t("finance:refused.notEditable");
  }
  switch (r.code) {
    case "aborted":
      return t("finance:refused.stale");
    case "permission_denied":
      return t("finance:refused.permission");
    case "not_found":
      return t("finance:refused.notFound");
    case "invalid_argument":
      return t("finance:refused.invalid");
    case "unavailable":
      return t("finance:refused.busy");
    default:
      return t("finance:refused.other");
  }
}
