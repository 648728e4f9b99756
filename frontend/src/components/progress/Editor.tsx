// The body of a progress update: narrative sections, indicator values,
// activities and attachments; editable (with autosave and Submit) while the
// caller may edit it, read-only otherwise.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Alert, Button, Group, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { useTranslation } from "react-i18next";
import { ProgressUpdateService, ProgressUpdateState, type ProgressUpdate } from "../../gen/pactum/v1/progress_update_pb";
import { ResultsService } from "../../gen/pactum/v1/results_pb";
import { errorMessage, fieldViolations, isStale } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { Attachments } from "../attachments/Attachments";
import { MutationError } from "../grants/MutationError";
import { newRequestId } from "../shared/requestId";
import { ActivityPicker } from "./ActivityPicker";
import { clearBackup, differs, fieldsOf, maskPath, narrativeKeys, readBackup, useAutosave, type Backup, type SaveStatus } from "./autosave";
import { IndicatorValues } from "./IndicatorValues";

function Block({ id, title, help, children }: { id: string; title: string; help?: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby={`${id}-title`}>
      <Title order={3} size="h4" id={`${id}-title`} mb={help ? 2 : "sm"}>
        {title}
      </Title>
      {help && (
        <Text size="sm" c="dimmed" mb="sm">
          {help}
        </Text>
      )}
      {children}
    </Paper>
  );
}

export function SaveState({ status }: { status: SaveStatus }) {
  const { t } = useTranslation("progress");
  const fmt = useFormat();
  let text = "";
  let colour = "dimmed";
  switch (status.kind) {
    case "pending":
      text = t("save.pending");
      break;
    case "saving":
      text = t("save.saving");
      break;
    case "saved":
      text = t("save.saved", { time: new Intl.DateTimeFormat(fmt.locale, { timeStyle: "short" }).format(status.at) });
      colour = "teal.9";
      break;
    case "retrying":
      text = t("save.retrying");
      colour = "#a63f00";
      break;
    case "failed":
      text = t("save.failed", { reason: errorMessage(status.error, t) });
      colour = "red.8";
      break;
    case "stale":
      text = t("save.stale");
      colour = "#a63f00";
      break;
  }
  return (
    <Text size="sm" c={colour} role="status" aria-live="polite" data-testid="save-status" data-status={status.kind} style={{ minHeight: "1.4em" }}>
      {text}
    </Text>
  );
}

export function Editor({ update, editable, onStale, onSubmitted }: { update: ProgressUpdate; editable: boolean; onStale: () => void; onSubmitted: () => void }) {
  const { t } = useTranslation("progress");
  const fmt = useFormat();
  const a = useAutosave(update, { editable, onStale });
  const f = a.fields;
  const indicators = useQuery(ResultsService.method.listIndicators, { parent: update.project, pageSize: 1000 }, { enabled: !!update.project });
  const [backup, setBackup] = useState<Backup | undefined>(() => {
    if (!editable) return undefined;
    const b = readBackup(update.name);
    if (b && differs(b.fields, fieldsOf(update))) return b;
    if (b) clearBackup(update.name);
    return undefined;
  });

  // Submitting: one request_id per intent, reused when the answer was lost
  // and the partner tries again, so that the update is submitted once.
  const submit = useMutation(ProgressUpdateService.method.submitProgressUpdate);
  const intent = useRef<string>(undefined);
  const submitting = useRef(false);
  const [submitError, setSubmitError] = useState<unknown>();
  const [notSaved, setNotSaved] = useState(false);
  // lost: the last submission's answer did not come (its intent stands).
  const [lost, setLost] = useState(false);
  const errors = fieldViolations(submitError, "progress_update.");

  const doSubmit = async () => {
    if (submitting.current) return;
    submitting.current = true;
    setSubmitError(undefined);
    setLost(false);
    setNotSaved(false);
    try {
      if (!(await a.flush())) {
        setNotSaved(true);
        return;
      }
      intent.current ??= newRequestId();
      await submit.mutateAsync({ name: update.name, etag: a.etag(), requestId: intent.current });
      intent.current = undefined;
      clearBackup(update.name);
      onSubmitted();
    } catch (err) {
      setSubmitError(err);
      // A refusal ends this intent (the partner corrects and submits
      // anew); a lost answer does not.
      const answerLost = !(err instanceof ConnectError) || err.code === Code.Unavailable || err.code === Code.Unknown || err.code === Code.DeadlineExceeded;
      if (!answerLost) intent.current = undefined;
      setLost(answerLost);
      if (isStale(err)) onStale();
    } finally {
      submitting.current = false;
    }
  };
  const blur = () => void a.flush();

  // Focus the first field the server named.
  const firstError = Object.keys(errors)[0];
  useEffect(() => {
    if (!firstError) return;
    document.querySelector<HTMLElement>(`[data-field="${firstError}"]`)?.focus();
  }, [firstError]);

  const resubmit = update.state === ProgressUpdateState.RETURNED;
  const placed = narrativeKeys.map((k) => maskPath[k]);

  return (
    <Stack gap="md">
      {backup && (
        <Alert color="orange" variant="light" title={t("restore.title")} role="alert">
          <Stack gap="xs">
            <Text size="sm">
              {backup.etag === update.etag
                ? t("restore.body", { time: fmt.dateTime(new Date(backup.time)) })
                : t("restore.bodyNewer", { time: fmt.dateTime(new Date(backup.time)) })}
            </Text>
            <Group gap="sm">
              <Button
                size="xs"
                color="orange.9"
                onClick={() => {
                  a.restore(backup.fields);
                  setBackup(undefined);
                }}
              >
                {t("restore.restore")}
              </Button>
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  clearBackup(update.name);
                  setBackup(undefined);
                }}
              >
                {t("restore.discard")}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}

      {editable && (
        <Text size="sm" c="dimmed">
          {t("editor.autosaveHelp")}
        </Text>
      )}

      <Block id="narrative" title={t("sections.narrative")}>
        <Stack gap="md">
          {narrativeKeys.map((k) =>
            editable ? (
              <Textarea
                key={k}
                label={t(`narrative.${k}.label`)}
                description={t(`narrative.${k}.help`)}
                value={f[k]}
                onChange={(e) => a.set(k, e.currentTarget.value)}
                onBlur={blur}
                autosize
                minRows={4}
                maxRows={24}
                maxLength={50000}
                error={errors[maskPath[k]]}
                data-field={maskPath[k]}
                name={maskPath[k]}
              />
            ) : (
              <div key={k}>
                <Title order={4} size="h5" mb={4}>
                  {t(`narrative.${k}.label`)}
                </Title>
                {f[k] ? (
                  <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} data-section={maskPath[k]}>
                    {f[k]}
                  </Text>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t("narrative.empty")}
                  </Text>
                )}
              </div>
            ),
          )}
        </Stack>
      </Block>

      <Block id="indicators" title={t("sections.indicators")} help={editable ? t("indicators.help", { period: update.reportingPeriod }) : undefined}>
        {indicators.isLoading ? (
          <Text size="sm" c="dimmed">
            {t("common:loading")}
          </Text>
        ) : indicators.error ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(indicators.error, t)}
          </Alert>
        ) : (
          <IndicatorValues
            indicators={indicators.data?.indicators ?? []}
            values={f.indicatorValues}
            period={update.reportingPeriod}
            editable={editable}
            onChange={(v) => a.set("indicatorValues", v)}
            onBlur={blur}
            errors={errors}
            suggestions={editable ? update.indicatorSuggestions : []}
          />
        )}
      </Block>

      <Block id="activities" title={t("sections.activities")} help={editable ? t("activities.help") : undefined}>
        <ActivityPicker
          project={update.project}
          periodStart={update.periodStartDate}
          periodEnd={update.periodEndDate}
          selected={f.activities}
          editable={editable}
          onChange={(v) => a.set("activities", v)}
        />
      </Block>

      <Block id="attachments" title={t("sections.attachments")} help={editable ? t("attachments.help") : undefined}>
        <Attachments parent={update.name} editable={editable} />
      </Block>

      {editable && (
        <div className="pactum-editor-bar">
          <Stack gap="xs">
            {notSaved && (
              <Alert color="red" variant="light" role="alert" title={t("submit.notSaved")}>
                {t("submit.notSavedHelp")}
              </Alert>
            )}
            {lost && (
              <Alert color="orange" variant="light" role="alert" title={t("submit.lost")}>
                {t("submit.lostHelp")}
              </Alert>
            )}
            {!lost && <MutationError error={submitError} reasonsNs="progress" placed={placed} prefix="progress_update." />}
            <Group justify="space-between" align="center" gap="sm" wrap="wrap">
              <SaveState status={a.status} />
              <Button color="teal.9" onClick={() => void doSubmit()} loading={submit.isPending} data-testid="submit">
                {lost ? t("submit.again") : resubmit ? t("submit.resubmit") : t("submit.submit")}
              </Button>
            </Group>
          </Stack>
        </div>
      )}
    </Stack>
  );
}
