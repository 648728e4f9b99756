// What went wrong with a change, in the user's language: a stale etag (with
// a Reload that fetches the record's new etag and keeps what the user typed),
// a refusal with a known reason (translated), or the generic message.
import { Alert, Button, List, Text } from "@mantine/core";
import { ConnectError } from "@connectrpc/connect";
import { useTranslation } from "react-i18next";
import { errorMessage, fieldLabel, fieldViolations, isStale } from "../../lib/errors";

// errorReason: the machine-readable reason of a refusal (google.rpc.ErrorInfo),
// e.g. "ORGANISATION_IN_USE".
export function errorReason(err: unknown): string | undefined {
  if (!(err instanceof ConnectError)) return undefined;
  for (const d of err.details) {
    if ("type" in d && d.type === "google.rpc.ErrorInfo") {
      const reason = (d as { debug?: { reason?: string } }).debug?.reason;
      if (reason) return reason;
    }
  }
  return undefined;
}

export function MutationError({
  error,
  onReload,
  reloading,
  reasonsNs,
  placed,
  prefix,
}: {
  error: unknown;
  // onReload refetches the record; only its etag is taken.
  onReload?: () => void;
  reloading?: boolean;
  // The namespace whose "reasons.<REASON>" keys explain refusals.
  reasonsNs?: string;
  // Field paths shown next to form fields (not repeated here).
  placed?: string[];
  // The request's resource prefix of field paths, e.g. "grant.".
  prefix?: string;
}) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  if (isStale(error)) {
    return (
      <Alert color="orange" variant="light" role="alert" title={t("common:errors.stale")}>
        <Text size="sm" mb="xs">
          {t("common:errors.staleHelp")}
        </Text>
        {onReload && (
          <Button size="xs" color="orange" onClick={onReload} loading={reloading}>
            {t("common:actions.reload")}
          </Button>
        )}
      </Alert>
    );
  }
  const reason = errorReason(error);
  // The page's own wording of a refusal first, then the wording shared by
  // all pages (e.g. REFERENCE_CONFLICT, which any delete may meet).
  const key = [reasonsNs && reason ? `${reasonsNs}:reasons.${reason}` : "", reason ? `common:reasons.${reason}` : ""].find(
    (k) => k !== "" && i18n.exists(k),
  );
  if (key) {
    return (
      <Alert color="red" variant="light" role="alert" title={t(key)}>
        {error instanceof ConnectError && error.rawMessage && (
          <Text size="xs" c="dimmed" lang="en">
            {error.rawMessage}
          </Text>
        )}
      </Alert>
    );
  }
  // Field errors are shown next to their fields; those of fields the form
  // does not show are listed here.
  const rest = Object.entries(fieldViolations(error, prefix)).filter(([f]) => !placed?.includes(f));
  return (
    <Alert color="red" variant="light" role="alert" title={errorMessage(error, t)}>
      {rest.length > 0 && (
        <List size="sm">
          {rest.map(([f, d]) => (
            <List.Item key={f}>
              <Text span size="sm" fw={600}>
                {fieldLabel(f, t)}
              </Text>
              : {d}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
