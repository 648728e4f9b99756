// Submit and Accept, for the users who may (the server decides; the buttons
// are hidden from those it would refuse). Both ask for a confirmation first,
// inline (no dialog: light on a partner's first load), and report back to
// the screen, which says what happened once the lists have refreshed.
import { useEffect, useRef, useState } from "react";
import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { MilestoneService, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import { errorMessage, isStale } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { useMilestoneTitle } from "./MilestoneCard";
import { canAccept, canSubmit, followsUpdate, todayISO } from "./milestoneRules";

export type Done = { action: "submitted" | "accepted"; milestone: Milestone };

interface Props {
  milestone: Milestone;
  onDone: (d: Done) => void;
  // quiet: outlined buttons, for tables where many rows have one.
  quiet?: boolean;
}

export function MilestoneActions({ milestone: m, onDone, quiet = false }: Props) {
  const { t } = useTranslation("milestones");
  const title = useMilestoneTitle()(m);
  const qc = useQueryClient();
  const submit = useMutation(MilestoneService.method.submitMilestone);
  const accept = useMutation(MilestoneService.method.acceptMilestone);
  const [confirming, setConfirming] = useState<"submit" | "accept" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) startRef.current?.focus();
    wasConfirming.current = confirming !== null;
  }, [confirming]);

  const maySubmit = canSubmit(m);
  const mayAccept = canAccept(m);
  if (followsUpdate(m)) {
    // Written, submitted and reviewed as a progress update.
    return (
      <Group gap="xs">
        <Button component={Link} href="/progress" size="xs" color="teal" variant="outline" aria-label={t("actions.openUpdateLabel", { title })}>
          {t("actions.openUpdate")}
        </Button>
      </Group>
    );
  }
  if (!maySubmit && !mayAccept) return null;
  const busy = submit.isPending || accept.isPending;

  async function run(action: "submit" | "accept") {
    setError(null);
    try {
      const req = { name: m.name, etag: m.etag };
      const res = action === "submit" ? await submit.mutateAsync(req) : await accept.mutateAsync(req);
      wasConfirming.current = false;
      setConfirming(null);
      onDone({ action: action === "submit" ? "submitted" : "accepted", milestone: res.milestone ?? m });
      await qc.invalidateQueries();
    } catch (err) {
      setError(err);
      // Someone else changed it meanwhile: show the current state.
      if (isStale(err)) await qc.invalidateQueries();
    }
  }

  return (
    <Stack gap="xs">
      {confirming ? (
        <Stack gap={6} role="group" aria-label={t(confirming === "submit" ? "actions.confirmSubmitLabel" : "actions.confirmAcceptLabel")}>
          <Text size="sm" fw={500}>
            {t(confirming === "submit" ? "actions.confirmSubmit" : "actions.confirmAccept", { title })}
          </Text>
          <Group gap="xs">
            <Button ref={confirmRef} size="xs" color="teal.9" loading={busy} onClick={() => void run(confirming)}>
              {t(confirming === "submit" ? "actions.yesSubmit" : "actions.yesAccept")}
            </Button>
            <Button size="xs" variant="default" disabled={busy} onClick={() => setConfirming(null)}>
              {t("common:actions.cancel")}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Group gap="xs">
          {maySubmit && (
            <Button ref={startRef} size="xs" color="teal.9" variant={quiet ? "outline" : "filled"} onClick={() => setConfirming("submit")} aria-label={t("actions.submitLabel", { title })}>
              {t("common:actions.submit")}
            </Button>
          )}
          {mayAccept && (
            <Button ref={startRef} size="xs" color="teal" variant="outline" onClick={() => setConfirming("accept")} aria-label={t("actions.acceptLabel", { title })}>
              {t("common:actions.accept")}
            </Button>
          )}
        </Group>
      )}
      {error !== null && (
        <Alert color="red" variant="light" p="xs" role="alert">
          <Text size="sm">{errorMessage(error, t)}</Text>
          {isStale(error) && <Text size="sm">{t("actions.staleHelp")}</Text>}
        </Alert>
      )}
    </Stack>
  );
}

// DoneMessage confirms a submission or acceptance, where the screen shows
// it (the milestone itself may have left the list). It takes the focus, so
// keyboard and screen-reader users learn what happened and do not lose
// their place.
export function DoneMessage({ done, onClose }: { done: Done | null; onClose: () => void }) {
  const { t } = useTranslation("milestones");
  const f = useFormat();
  const titleOf = useMilestoneTitle();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) ref.current?.focus();
  }, [done]);
  if (!done) return null;
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="green"
      variant="light"
      role="status"
      title={t(done.action === "submitted" ? "actions.doneSubmittedTitle" : "actions.doneAcceptedTitle")}
      withCloseButton
      closeButtonLabel={t("common:actions.close")}
      onClose={onClose}
      styles={{ title: { color: "#1e6b30" } }}
    >
      <Text size="sm">
        {t(done.action === "submitted" ? "actions.doneSubmitted" : "actions.doneAccepted", {
          title: titleOf(done.milestone),
          date: f.date(todayISO()),
        })}
      </Text>
    </Alert>
  );
}
