// The milestone form, in a dialog: a milestone added by hand (the donor's
// request for additional information, due in 30 days unless the donor says
// otherwise; a mid-term evaluation; a monitoring visit; ...), or one edited
// or moved (a new due date). Loaded with its date pickers only when opened.
import { useEffect, useEffectEvent, useMemo } from "react";
import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { MilestoneKind, MilestoneKindSchema, MilestoneService, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import { ProjectService } from "../../gen/pactum/v1/project_pb";
import { enumLabel, enumOptions } from "../../lib/enums";
import { showToast } from "../../lib/toast";
import { DatesSetup } from "../grants/DatesSetup";
import { MutationError } from "../grants/MutationError";
import { useGrants, useOrganisations } from "../projects/lookups";
import { byPaths, useErrorFocus, useServerFieldErrors } from "../shared/forms";
import { addDays, todayISO } from "./milestoneRules";
import { DateField } from "../shared/DateField";

export interface MilestoneValues {
  grant: string;
  project: string;
  kind: string;
  title: string;
  dueDate: string | null;
  periodStartDate: string | null;
  periodEndDate: string | null;
  responsibleOrganisation: string;
}

const paths: Record<keyof MilestoneValues, string> = {
  grant: "grant",
  project: "project",
  kind: "kind",
  title: "title",
  dueDate: "due_date",
  periodStartDate: "period_start_date",
  periodEndDate: "period_end_date",
  responsibleOrganisation: "responsible_organisation",
};

// The kinds a coordinator adds by hand come first in the list.
const byHand = [MilestoneKind.ADDITIONAL_INFORMATION, MilestoneKind.MID_TERM_EVALUATION, MilestoneKind.MONITORING_VISIT, MilestoneKind.OTHER];

export default function MilestoneForm({
  milestone,
  grant,
  project,
  onDone,
  onCancel,
}: {
  // milestone: the one edited; none for a new one.
  milestone?: Milestone;
  // grant, project: where a new one goes (the grant chosen in the form when none).
  grant?: string;
  project?: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation(["setup", "milestones", "grants", "common"]);
  const queryClient = useQueryClient();
  const grants = useGrants();
  const organisations = useOrganisations();
  const start = useMemo<MilestoneValues>(
    () => ({
      grant: milestone?.grant ?? grant ?? "",
      project: milestone?.project ?? project ?? "",
      kind: milestone ? String(milestone.kind) : "",
      title: milestone?.title ?? "",
      dueDate: milestone?.dueDate || null,
      periodStartDate: milestone?.periodStartDate || null,
      periodEndDate: milestone?.periodEndDate || null,
      responsibleOrganisation: milestone?.responsibleOrganisation ?? "",
    }),
    [milestone, grant, project],
  );
  const required = (v: unknown) => (v === null || v === undefined || String(v).trim() === "" ? t("grants:validation.required") : null);
  const form = useForm<MilestoneValues>({
    mode: "controlled",
    initialValues: start,
    validate: { grant: required, kind: required, dueDate: required, responsibleOrganisation: required },
  });
  const chosenGrant = grants.get(form.values.grant);
  // The grant's lead delivers by default.
  const proposeLead = useEffectEvent((lead: string | undefined) => {
    if (lead && !milestone && !form.getValues().responsibleOrganisation) form.setFieldValue("responsibleOrganisation", lead);
  });
  useEffect(() => proposeLead(chosenGrant?.leadOrganisation), [chosenGrant?.leadOrganisation]);
  const projects = useQuery(ProjectService.method.listProjects, { grant: form.values.grant, pageSize: 1000 }, { enabled: !!form.values.grant });
  const grantQ = useQuery(GrantService.method.getGrant, { name: form.values.grant }, { enabled: !!form.values.grant && !chosenGrant });
  const g = chosenGrant ?? grantQ.data?.grant;

  const createM = useMutation(MilestoneService.method.createMilestone);
  const updateM = useMutation(MilestoneService.method.updateMilestone);
  const mutation = milestone ? updateM : createM;
  const [formRef, focusFirstError] = useErrorFocus();
  useServerFieldErrors(mutation.error, "milestone.", byPaths(paths), (errors) => {
    form.setErrors(errors);
    focusFirstError();
  });

  const kindOptions = (() => {
    const all = enumOptions(t, "milestoneKind", MilestoneKindSchema);
    const first = all.filter((o) => byHand.includes(Number(o.value)));
    return [...first, ...all.filter((o) => !byHand.includes(Number(o.value)))];
  })();
  const onKind = (v: string | null) => {
    form.setFieldValue("kind", v ?? "");
    // The donor's request for additional information: due in 30 days.
    if (Number(v) === MilestoneKind.ADDITIONAL_INFORMATION && !milestone && !form.isDirty("dueDate")) {
      form.setFieldValue("dueDate", addDays(todayISO(), 30));
    }
  };

  const submit = (v: MilestoneValues) => {
    const fields = {
      project: v.project,
      kind: Number(v.kind) as MilestoneKind,
      // Left empty: the kind in the user's language (the server would write it in English).
      title: v.title.trim() || enumLabel(t, "milestoneKind", MilestoneKindSchema, Number(v.kind)),
      dueDate: v.dueDate ?? "",
      periodStartDate: v.periodStartDate ?? "",
      periodEndDate: v.periodEndDate ?? "",
      responsibleOrganisation: v.responsibleOrganisation,
    };
    const done = (message: string) => () => {
      void queryClient.invalidateQueries();
      showToast({ color: "teal", message });
      onDone();
    };
    if (milestone) {
      const mask = (Object.keys(paths) as (keyof MilestoneValues)[]).filter((k) => k !== "grant" && (start[k] ?? "") !== (v[k] ?? "")).map((k) => paths[k]);
      if (mask.length === 0) return onDone();
      updateM.mutate({ milestone: { name: milestone.name, etag: milestone.etag, ...fields }, updateMask: { paths: mask } }, { onSuccess: done(t("setup:milestone.saved")) });
    } else {
      createM.mutate({ milestone: { grant: v.grant, ...fields } }, { onSuccess: done(t("setup:milestone.created")) });
    }
  };

  // No placeholder: greyed text on the fieldsets' tint is too faint to read.
  const dateProps = { valueFormat: "D MMM YYYY", clearable: true };
  const kind = Number(form.values.kind);
  const orgOptions = [...organisations.list]
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
    .map((o) => ({ value: o.name, label: o.shortName ? `${o.displayName} (${o.shortName})` : o.displayName }));

  return (
    <DatesSetup>
      <form ref={formRef} noValidate onSubmit={form.onSubmit(submit, focusFirstError)} aria-label={milestone ? t("setup:milestone.editTitle") : t("setup:milestone.newTitle")}>
        <Stack gap="sm">
          {!grant && !milestone && (
            <Select
              label={t("milestones:filterGrant")}
              required
              searchable
              data={grants.list.map((x) => ({ value: x.name, label: x.donorReference ? `${x.title} (${x.donorReference})` : x.title }))}
              nothingFoundMessage={t("common:empty")}
              {...form.getInputProps("grant")}
              onChange={(v) => {
                form.setFieldValue("grant", v ?? "");
                form.setFieldValue("project", "");
                form.setFieldValue("responsibleOrganisation", "");
              }}
            />
          )}
          <Select label={t("setup:milestone.fields.kind")} required data={kindOptions} allowDeselect={false} {...form.getInputProps("kind")} onChange={onKind} />
          {kind === MilestoneKind.ADDITIONAL_INFORMATION && (
            <Text size="xs" c="dimmed">
              {t("setup:milestone.help.additionalInformation")}
            </Text>
          )}
          <TextInput
            label={t("setup:milestone.fields.title")}
            description={t("setup:milestone.help.title")}
            placeholder={kind ? enumLabel(t, "milestoneKind", MilestoneKindSchema, kind) : undefined}
            maxLength={500}
            {...form.getInputProps("title")}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label={t("setup:milestone.fields.project")}
              placeholder={t("milestones:wholeGrant")}
              clearable
              data={(projects.data?.projects ?? []).map((p) => ({ value: p.name, label: p.code ? `${p.code} – ${p.title}` : p.title }))}
              nothingFoundMessage={t("common:empty")}
              {...form.getInputProps("project")}
              onChange={(v) => form.setFieldValue("project", v ?? "")}
            />
            <Select
              label={t("milestones:responsible")}
              required
              searchable
              data={orgOptions}
              nothingFoundMessage={t("common:empty")}
              {...form.getInputProps("responsibleOrganisation")}
            />
          </SimpleGrid>
          <DateField label={t("setup:milestone.fields.dueDate")} required {...dateProps} {...form.getInputProps("dueDate")} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <DateField
              label={t("setup:milestone.fields.periodStart")}
              minDate={g?.startDate || undefined}
              maxDate={g?.endDate || undefined}
              {...dateProps}
              {...form.getInputProps("periodStartDate")}
            />
            <DateField
              label={t("setup:milestone.fields.periodEnd")}
              minDate={form.values.periodStartDate ?? g?.startDate ?? undefined}
              maxDate={g?.endDate || undefined}
              {...dateProps}
              {...form.getInputProps("periodEndDate")}
            />
          </SimpleGrid>
          {milestone?.generated && (
            <Text size="xs" c="dimmed">
              {t("setup:milestone.help.generatedEdit")}
            </Text>
          )}
          <MutationError error={mutation.error} reasonsNs="setup" prefix="milestone." placed={Object.values(paths)} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onCancel} disabled={mutation.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {milestone ? t("common:actions.save") : t("setup:milestone.add")}
            </Button>
          </Group>
        </Stack>
      </form>
    </DatesSetup>
  );
}
