// The project form, for a new project under a grant and for editing one:
// code and title, description, countries of implementation, dates within the
// grant's period, and the participating organisations in their roles (a
// partner not yet in Pactum can be created on the spot, in a dialog,
// without losing what was typed). The server's field errors are placed next
// to their fields; the form reports the fields the user changed.
import { useMemo, useState } from "react";
import { Anchor, Button, Fieldset, Group, MultiSelect, NumberInput, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { create } from "@bufbuild/protobuf";
import { useTranslation } from "react-i18next";
import type { Grant } from "../../gen/pactum/v1/grant_pb";
import { ParticipantSchema, type Participant, type Project } from "../../gen/pactum/v1/project_pb";
import { OrganisationKind } from "../../gen/pactum/v1/organisation_pb";
import { useFormat } from "../../lib/format";
import { fieldViolations } from "../../lib/errors";
import { MutationError } from "../grants/MutationError";
import { useCountries } from "../organisations/countries";
import { NewOrganisationModal } from "../organisations/NewOrganisationModal";
import { byPaths, useErrorFocus, useFollowRecord, useServerFieldErrors } from "../shared/forms";
import { ParticipantsEditor } from "./ParticipantsEditor";
import { DateField } from "../shared/DateField";

export interface ProjectValues {
  code: string;
  title: string;
  description: string;
  countryCodes: string[];
  participants: Participant[];
  startDate: string | null;
  endDate: string | null;
  // How often partners send a progress update, in months.
  progressUpdateMonths: number | string;
}

// Form keys and the API's field paths (relative to "project.").
const paths: Record<Exclude<keyof ProjectValues, "participants">, string> = {
  code: "code",
  title: "title",
  description: "description",
  countryCodes: "country_codes",
  startDate: "start_date",
  endDate: "end_date",
  progressUpdateMonths: "progress_update_months",
};

export function projectValues(p?: Project): ProjectValues {
  return {
    code: p?.code ?? "",
    title: p?.title ?? "",
    description: p?.description ?? "",
    countryCodes: [...(p?.countryCodes ?? [])],
    participants: (p?.participants ?? []).map((x) => create(ParticipantSchema, x)),
    startDate: p?.startDate || null,
    endDate: p?.endDate || null,
    progressUpdateMonths: p?.progressUpdateMonths || 3,
  };
}

// toProject: the project's writable fields to send.
export function toProject(v: ProjectValues) {
  return {
    code: v.code.trim(),
    title: v.title.trim(),
    description: v.description.trim(),
    countryCodes: v.countryCodes,
    participants: v.participants,
    startDate: v.startDate ?? "",
    endDate: v.endDate ?? "",
    progressUpdateMonths: Number(v.progressUpdateMonths) || 0,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? "") === JSON.stringify(b ?? "");

// projectMask: the API paths of the fields that differ from the start.
export function projectMask(start: ProjectValues, v: ProjectValues): string[] {
  const out = (Object.keys(paths) as (keyof typeof paths)[]).filter((k) => !same(start[k], v[k])).map((k) => paths[k]);
  const parts = (ps: Participant[]) => ps.map((p) => [p.organisation, p.role]);
  if (!same(parts(start.participants), parts(v.participants)) || !same(start.participants, v.participants)) out.push("participants");
  return out;
}

export function ProjectForm({
  grant,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  onReload,
  reloading,
}: {
  grant?: Grant;
  initial?: Project;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ProjectValues, mask: string[]) => void;
  onCancel?: () => void;
  onReload?: () => void;
  reloading?: boolean;
}) {
  const { t } = useTranslation(["setup", "projects", "grants", "contract", "common"]);
  const fmt = useFormat();
  const countries = useCountries();
  const start = useMemo(() => projectValues(initial), [initial]);
  const form = useForm<ProjectValues>({
    mode: "controlled",
    initialValues: start,
    validate: {
      title: (v) => (v.trim() ? null : t("grants:validation.required")),
      countryCodes: (v) => (v.length > 0 ? null : t("setup:project.validation.country")),
      endDate: (v, all) => (all.startDate && v && v <= all.startDate ? t("grants:validation.endAfterStart") : null),
      participants: (v) => (v.length > 0 ? null : t("setup:project.validation.participants")),
    },
  });
  useFollowRecord(form, start, same);
  const [formRef, focusFirstError] = useErrorFocus();
  useServerFieldErrors(error, "project.", byPaths(paths), (errors) => {
    form.setErrors(errors);
    focusFirstError();
  });
  // The participants' errors, by API path: the server's, or the form's own.
  const serverErrors = fieldViolations(error, "project.");
  const participantErrors: Record<string, string> = {};
  for (const [k, v] of Object.entries(serverErrors)) if (k.startsWith("participants")) participantErrors[k] = `${t("common:errors.field")}: ${v}`;
  if (form.errors.participants) participantErrors.participants = String(form.errors.participants);

  const [creating, setCreating] = useState(false);
  // No placeholder: greyed text on the fieldsets' tint is too faint to read.
  const dateProps = { valueFormat: "D MMM YYYY", clearable: true };
  const placed = [...Object.values(paths), ...Object.keys(serverErrors).filter((k) => k.startsWith("participants"))];

  return (
    <form ref={formRef} noValidate onSubmit={form.onSubmit((values) => onSubmit(values, projectMask(start, values)), focusFirstError)} aria-label={submitLabel}>
      <Stack gap="md">
        <Fieldset legend={t("setup:project.whatSection")} variant="filled">
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput label={t("setup:project.fields.code")} description={t("setup:project.help.code")} maxLength={50} spellCheck={false} {...form.getInputProps("code")} />
              <TextInput label={t("setup:project.fields.title")} required maxLength={500} style={{ gridColumn: "span 2" }} {...form.getInputProps("title")} />
            </SimpleGrid>
            <Textarea label={t("projects:description")} autosize minRows={3} maxRows={10} maxLength={10000} {...form.getInputProps("description")} />
            <MultiSelect
              label={t("projects:countries")}
              description={t("setup:project.help.countries")}
              required
              searchable
              data={countries.options}
              limit={300}
              nothingFoundMessage={t("common:empty")}
              {...form.getInputProps("countryCodes")}
            />
          </Stack>
        </Fieldset>
        <Fieldset legend={t("projects:dates")} variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <DateField
              label={t("grants:fields.startDate")}
              minDate={grant?.startDate || undefined}
              maxDate={grant?.endDate || undefined}
              {...dateProps}
              {...form.getInputProps("startDate")}
            />
            <DateField
              label={t("grants:fields.endDate")}
              minDate={form.values.startDate ?? grant?.startDate ?? undefined}
              maxDate={grant?.endDate || undefined}
              {...dateProps}
              {...form.getInputProps("endDate")}
            />
          </SimpleGrid>
          <NumberInput
            mt="sm"
            maw={320}
            label={t("contract:project.progressMonths")}
            description={t("contract:project.progressMonthsHelp")}
            min={1}
            max={12}
            allowDecimal={false}
            {...form.getInputProps("progressUpdateMonths")}
          />
          {grant && (
            <Text size="xs" c="dimmed" mt="xs">
              {t("setup:project.help.dates", { start: fmt.date(grant.startDate), end: fmt.date(grant.endDate) })}
            </Text>
          )}
        </Fieldset>
        <Fieldset legend={t("projects:participants")} variant="filled">
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              {t("setup:project.help.participants")}
            </Text>
            <ParticipantsEditor participants={form.values.participants} onChange={(next) => form.setFieldValue("participants", next)} errors={participantErrors} currency={grant?.currencyCode} />
            <Text size="sm">
              {t("setup:project.notListed")}{" "}
              <Anchor component="button" type="button" size="sm" onClick={() => setCreating(true)}>
                {t("setup:newOrganisation.link")}
              </Anchor>
            </Text>
          </Stack>
        </Fieldset>
        <MutationError error={error} onReload={onReload} reloading={reloading} reasonsNs="setup" prefix="project." placed={placed} />
        <Group justify="flex-end" gap="sm">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={pending}>
              {t("common:actions.cancel")}
            </Button>
          )}
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
      <NewOrganisationModal
        opened={creating}
        kind={OrganisationKind.LOCAL_PARTNER}
        onClose={() => setCreating(false)}
        onCreated={(o) => form.setFieldValue("participants", [...form.getValues().participants, create(ParticipantSchema, { organisation: o.name })])}
      />
    </form>
  );
}
