// The framework agreement form, for a new agreement and for editing one:
// the donor's reference and title, the donor and the lead organisation
// (either can be created on the spot, in a dialog, without losing what was
// typed), the signature date, the period and the currency. The server's
// field errors are placed next to their fields; the form reports the fields
// the user changed (the update mask).
import { useMemo, useState } from "react";
import { Anchor, Button, Fieldset, Group, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import type { FrameworkAgreement } from "../../gen/pactum/v1/framework_agreement_pb";
import { OrganisationKind, OrganisationService, type Organisation } from "../../gen/pactum/v1/organisation_pb";
import { useCurrencies } from "../grants/currencies";
import { MutationError } from "../grants/MutationError";
import { NewOrganisationModal } from "../organisations/NewOrganisationModal";
import { byPaths, useErrorFocus, useFollowRecord, useServerFieldErrors } from "../shared/forms";
import { DateField } from "../shared/DateField";

export interface AgreementValues {
  reference: string;
  title: string;
  donor: string;
  lead: string;
  signatureDate: string | null;
  startDate: string | null;
  endDate: string | null;
  currencyCode: string;
}

// Form keys and the API's field paths (relative to "framework_agreement.").
export const agreementPaths: Record<keyof AgreementValues, string> = {
  reference: "reference",
  title: "title",
  donor: "donor",
  lead: "lead_organisation",
  signatureDate: "signature_date",
  startDate: "start_date",
  endDate: "end_date",
  currencyCode: "currency_code",
};

export function agreementValues(a?: FrameworkAgreement): AgreementValues {
  return {
    reference: a?.reference ?? "",
    title: a?.title ?? "",
    donor: a?.donor ?? "",
    lead: a?.leadOrganisation ?? "",
    signatureDate: a?.signatureDate || null,
    startDate: a?.startDate || null,
    endDate: a?.endDate || null,
    currencyCode: a?.currencyCode ?? "EUR",
  };
}

// toAgreement: the agreement to send.
export function toAgreement(v: AgreementValues) {
  return {
    reference: v.reference.trim(),
    title: v.title.trim(),
    donor: v.donor,
    leadOrganisation: v.lead,
    signatureDate: v.signatureDate ?? "",
    startDate: v.startDate ?? "",
    endDate: v.endDate ?? "",
    currencyCode: v.currencyCode,
  };
}

// agreementMask: the API paths of the fields that differ from the start.
export function agreementMask(start: AgreementValues, v: AgreementValues): string[] {
  return (Object.keys(agreementPaths) as (keyof AgreementValues)[]).filter((k) => (start[k] ?? "") !== (v[k] ?? "")).map((k) => agreementPaths[k]);
}

const orgOption = (o: Organisation) => ({ value: o.name, label: o.shortName ? `${o.displayName} (${o.shortName})` : o.displayName });

export function AgreementForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  onReload,
  reloading,
}: {
  initial?: FrameworkAgreement;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: AgreementValues, mask: string[]) => void;
  onCancel?: () => void;
  onReload?: () => void;
  reloading?: boolean;
}) {
  const { t } = useTranslation(["setup", "grants", "common"]);
  const currencies = useCurrencies();
  const start = useMemo(() => agreementValues(initial), [initial]);
  const required = (v: unknown) => (v === null || v === undefined || String(v).trim() === "" ? t("grants:validation.required") : null);
  const form = useForm<AgreementValues>({
    mode: "controlled",
    initialValues: start,
    validate: {
      reference: required,
      title: required,
      donor: required,
      lead: required,
      startDate: required,
      endDate: (v, all) => required(v) ?? (all.startDate && v && v <= all.startDate ? t("grants:validation.endAfterStart") : null),
      currencyCode: required,
    },
  });
  useFollowRecord(form, start);
  const [formRef, focusFirstError] = useErrorFocus();
  useServerFieldErrors(error, "framework_agreement.", byPaths(agreementPaths), (errors) => {
    form.setErrors(errors);
    focusFirstError();
  });

  const donors = useQuery(OrganisationService.method.listOrganisations, { pageSize: 1000, kind: OrganisationKind.DONOR });
  const leads = useQuery(OrganisationService.method.listOrganisations, { pageSize: 1000, kind: OrganisationKind.LEAD });
  const members = useQuery(OrganisationService.method.listOrganisations, { pageSize: 1000, kind: OrganisationKind.MEMBER });
  // Organisations made in the dialog, shown at once (before the lists reload).
  const [made, setMade] = useState<Organisation[]>([]);
  const [creating, setCreating] = useState<"donor" | "lead" | null>(null);
  const withMade = (list: Organisation[] | undefined, kinds: OrganisationKind[]) => {
    const have = new Set((list ?? []).map((o) => o.name));
    return [...(list ?? []), ...made.filter((o) => kinds.includes(o.kind) && !have.has(o.name))].map(orgOption);
  };
  // No placeholder: greyed text on the fieldsets' tint is too faint to read.
  const dateProps = { valueFormat: "D MMM YYYY", clearable: true };
  const newOrg = (field: "donor" | "lead") => (
    <Anchor component="button" type="button" size="xs" style={{ alignSelf: "flex-start" }} onClick={() => setCreating(field)}>
      {t("setup:newOrganisation.link")}
    </Anchor>
  );

  return (
    <form ref={formRef} noValidate onSubmit={form.onSubmit((values) => onSubmit(values, agreementMask(start, values)), focusFirstError)} aria-label={submitLabel}>
      <Stack gap="md">
        <Fieldset legend={t("setup:agreement.contractSection")} variant="filled">
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput label={t("setup:agreement.fields.reference")} description={t("setup:agreement.help.reference")} required maxLength={100} spellCheck={false} {...form.getInputProps("reference")} />
              <Select
                label={t("grants:fields.currency")}
                description={t("setup:agreement.help.currency")}
                required
                searchable
                allowDeselect={false}
                data={currencies}
                limit={400}
                nothingFoundMessage={t("common:empty")}
                {...form.getInputProps("currencyCode")}
              />
            </SimpleGrid>
            <TextInput label={t("setup:agreement.fields.title")} required maxLength={500} {...form.getInputProps("title")} />
          </Stack>
        </Fieldset>
        <Fieldset legend={t("setup:agreement.partiesSection")} variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Stack gap={4}>
              <Select
                label={t("grants:fields.donor")}
                required
                searchable
                data={withMade(donors.data?.organisations, [OrganisationKind.DONOR])}
                nothingFoundMessage={t("common:empty")}
                {...form.getInputProps("donor")}
              />
              {newOrg("donor")}
            </Stack>
            <Stack gap={4}>
              <Select
                label={t("grants:fields.lead")}
                description={t("grants:help.lead")}
                required
                searchable
                data={withMade([...(leads.data?.organisations ?? []), ...(members.data?.organisations ?? [])], [OrganisationKind.LEAD, OrganisationKind.MEMBER])}
                nothingFoundMessage={t("common:empty")}
                {...form.getInputProps("lead")}
              />
              {newOrg("lead")}
            </Stack>
          </SimpleGrid>
          {initial && (
            <Text size="xs" c="dimmed" mt="xs">
              {t("setup:agreement.help.parties")}
            </Text>
          )}
        </Fieldset>
        <Fieldset legend={t("setup:agreement.periodSection")} variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <DateField label={t("setup:agreement.fields.signatureDate")} {...dateProps} {...form.getInputProps("signatureDate")} />
            <DateField label={t("grants:fields.startDate")} required {...dateProps} {...form.getInputProps("startDate")} />
            <DateField label={t("grants:fields.endDate")} required minDate={form.values.startDate ?? undefined} {...dateProps} {...form.getInputProps("endDate")} />
          </SimpleGrid>
        </Fieldset>
        <MutationError error={error} onReload={onReload} reloading={reloading} reasonsNs="setup" prefix="framework_agreement." placed={Object.values(agreementPaths)} />
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
        opened={creating !== null}
        kind={creating === "donor" ? OrganisationKind.DONOR : OrganisationKind.LEAD}
        onClose={() => setCreating(null)}
        onCreated={(o) => {
          setMade((m) => [...m, o]);
          if (creating) form.setFieldValue(creating, o.name);
        }}
      />
    </form>
  );
}
