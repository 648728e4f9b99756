// The grant form, for a new grant and for editing one: the agreement (or a
// standalone grant's donor and lead), the contract's reference and title,
// currency, implementation period, amounts and the deadline rules that
// generate the reporting milestones. Amounts stay decimal strings. The
// server's field errors are placed next to their fields; the form reports
// the fields the user changed (the update mask).
import { useEffect, useEffectEvent, useMemo, useState } from "react";
import { Anchor, Button, Checkbox, Fieldset, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import { FrameworkAgreementService, FrameworkAgreementState } from "../../gen/pactum/v1/framework_agreement_pb";
import type { Grant } from "../../gen/pactum/v1/grant_pb";
import { OrganisationKind, OrganisationService, type Organisation } from "../../gen/pactum/v1/organisation_pb";
import { useFormat } from "../../lib/format";
import { OrganisationName } from "../organisations/OrganisationName";
import { NewOrganisationModal } from "../organisations/NewOrganisationModal";
import { byPaths, useErrorFocus, useFollowRecord, useServerFieldErrors } from "../shared/forms";
import { minorDigits, useCurrencies } from "./currencies";
import { DecimalInput } from "./MoneyInput";
import { MutationError } from "./MutationError";
import { grantMask, grantValues, paths, reportingLanguages, STANDALONE, type GrantValues } from "./grantValues";
import { DateField } from "../shared/DateField";

export function GrantForm({
  initial,
  create,
  defaultAgreement,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  onReload,
  reloading,
  withoutIndirectRate,
}: {
  initial?: Grant;
  // create: the agreement (or donor and lead) can be chosen.
  create?: boolean;
  // create: the agreement chosen to begin with (e.g. from its page).
  defaultAgreement?: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: GrantValues, mask: string[]) => void;
  onCancel?: () => void;
  onReload?: () => void;
  reloading?: boolean;
  // withoutIndirectRate: the page asks for the flat rate of indirect costs
  // itself (with the contract's other terms).
  withoutIndirectRate?: boolean;
}) {
  const { t } = useTranslation(["grants", "setup", "common", "finance"]);
  const fmt = useFormat();
  const currencies = useCurrencies();
  // A donor or lead created from this form (in a dialog), chosen at once.
  const [creating, setCreating] = useState<"donor" | "lead" | null>(null);
  const [made, setMade] = useState<Organisation[]>([]);
  const withMade = (list: Organisation[], kinds: OrganisationKind[]) => {
    const have = new Set(list.map((o) => o.name));
    return [...list, ...made.filter((o) => kinds.includes(o.kind) && !have.has(o.name))];
  };
  const start = useMemo(() => ({ ...grantValues(initial), ...(create && defaultAgreement ? { agreement: defaultAgreement } : {}) }), [initial, create, defaultAgreement]);
  const required = (v: unknown) => (v === null || v === undefined || String(v).trim() === "" ? t("grants:validation.required") : null);
  const form = useForm<GrantValues>({
    mode: "controlled",
    initialValues: start,
    validate: {
      agreement: (v) => (create ? required(v) : null),
      donor: (v, all) => (create && all.agreement === STANDALONE ? required(v) : null),
      lead: (v, all) => (create && all.agreement === STANDALONE ? required(v) : null),
      donorReference: required,
      title: required,
      currencyCode: required,
      startDate: required,
      endDate: (v, all) => required(v) ?? (all.startDate && v && v <= all.startDate ? t("grants:validation.endAfterStart") : null),
      totalEligibleCosts: required,
      maxDonorContribution: required,
      coFinancingRate: required,
      reportingPeriodMonths: required,
    },
  });

  // After a Reload the record may have changed under the user: fields they
  // did not touch take the new values, what they typed stays.
  useFollowRecord(form, start);

  // Agreements to choose from, and the parties of a standalone grant.
  const agreements = useQuery(FrameworkAgreementService.method.listFrameworkAgreements, { pageSize: 200 }, { enabled: !!create });
  const donors = useQuery(
    OrganisationService.method.listOrganisations,
    { pageSize: 200, kind: OrganisationKind.DONOR },
    { enabled: !!create && form.values.agreement === STANDALONE },
  );
  const leads = useQuery(
    OrganisationService.method.listOrganisations,
    { pageSize: 200, kind: OrganisationKind.LEAD },
    { enabled: !!create && form.values.agreement === STANDALONE },
  );
  const members = useQuery(
    OrganisationService.method.listOrganisations,
    { pageSize: 200, kind: OrganisationKind.MEMBER },
    { enabled: !!create && form.values.agreement === STANDALONE },
  );
  const agreementList = agreements.data?.frameworkAgreements ?? [];
  const chosen = agreementList.find((a) => a.name === form.values.agreement);
  const orgOption = (o: { name: string; displayName: string; shortName: string }) => ({
    value: o.name,
    label: o.shortName ? `${o.displayName} (${o.shortName})` : o.displayName,
  });

  // A new grant takes its agreement's currency until the user picks another
  // (when the agreement chosen changes).
  const takeCurrency = useEffectEvent(() => {
    if (create && chosen?.currencyCode && !form.isDirty("currencyCode")) {
      form.setFieldValue("currencyCode", chosen.currencyCode);
      form.resetDirty({ ...form.getValues(), currencyCode: chosen.currencyCode });
    }
  });
  useEffect(() => takeCurrency(), [chosen?.name]);

  // The first field in error gets the focus (after a refused submission too).
  const [formRef, focusFirstError] = useErrorFocus();

  // The server's field errors, next to their fields.
  useServerFieldErrors(error, "grant.", byPaths(paths), (errors) => {
    form.setErrors(errors);
    focusFirstError();
  });

  const currency = form.values.currencyCode;
  const decimals = minorDigits(currency);
  const money = (key: "totalEligibleCosts" | "maxDonorContribution") => {
    const p = form.getInputProps(key);
    return {
      ...p,
      value: form.values[key],
      onChange: (v: string) => form.setFieldValue(key, v),
      decimals,
      rightSection: (
        <Text size="xs" c="dimmed">
          {currency}
        </Text>
      ),
      rightSectionWidth: 48,
    };
  };
  const dateProps = {
    valueFormat: "D MMM YYYY",
    clearable: true,
    placeholder: t("grants:form.pickDate"),
  };
  const standalone = form.values.agreement === STANDALONE;
  // Fields shown in this form: their errors are not repeated in the alert.
  const placed = Object.entries(paths)
    .filter(([k]) => create || (k !== "agreement" && k !== "donor" && k !== "lead"))
    .filter(([k]) => standalone || (k !== "donor" && k !== "lead"))
    .map(([, p]) => p);

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={form.onSubmit((values) => onSubmit(values, grantMask(start, values)), focusFirstError)}
      aria-label={submitLabel}
    >
      <Stack gap="md">
        {create && (
          <Fieldset legend={t("grants:form.agreementSection")} variant="filled">
            <Stack gap="sm">
              <Select
                label={t("grants:fields.agreement")}
                description={t("grants:help.agreement")}
                required
                searchable
                allowDeselect={false}
                placeholder={t("grants:form.chooseAgreement")}
                data={[
                  // A closed agreement takes no further grant.
                  ...agreementList.filter((a) => a.state !== FrameworkAgreementState.CLOSED).map((a) => ({ value: a.name, label: `${a.reference} – ${a.title}` })),
                  { value: STANDALONE, label: t("grants:form.standalone") },
                ]}
                nothingFoundMessage={t("common:empty")}
                {...form.getInputProps("agreement")}
              />
              {chosen && (
                <Text size="sm" c="dimmed">
                  {t("grants:form.partiesFromAgreement")}{" "}
                  <OrganisationName name={chosen.donor} link={false} /> · <OrganisationName name={chosen.leadOrganisation} link={false} />
                  {chosen.startDate && ` · ${fmt.date(chosen.startDate)} – ${fmt.date(chosen.endDate)}`}
                </Text>
              )}
              {standalone && (
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  <Stack gap={4}>
                    <Select
                      label={t("grants:fields.donor")}
                      required
                      searchable
                      data={withMade(donors.data?.organisations ?? [], [OrganisationKind.DONOR]).map(orgOption)}
                      nothingFoundMessage={t("common:empty")}
                      {...form.getInputProps("donor")}
                    />
                    <Anchor component="button" type="button" size="xs" style={{ alignSelf: "flex-start" }} onClick={() => setCreating("donor")}>
                      {t("setup:newOrganisation.link")}
                    </Anchor>
                  </Stack>
                  <Stack gap={4}>
                    <Select
                      label={t("grants:fields.lead")}
                      description={t("grants:help.lead")}
                      required
                      searchable
                      data={withMade([...(leads.data?.organisations ?? []), ...(members.data?.organisations ?? [])], [OrganisationKind.LEAD, OrganisationKind.MEMBER]).map(orgOption)}
                      nothingFoundMessage={t("common:empty")}
                      {...form.getInputProps("lead")}
                    />
                    <Anchor component="button" type="button" size="xs" style={{ alignSelf: "flex-start" }} onClick={() => setCreating("lead")}>
                      {t("setup:newOrganisation.link")}
                    </Anchor>
                  </Stack>
                </SimpleGrid>
              )}
            </Stack>
          </Fieldset>
        )}

        <Fieldset legend={t("grants:form.contractSection")} variant="filled">
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label={t("grants:fields.donorReference")}
                description={t("grants:help.donorReference")}
                required
                maxLength={100}
                spellCheck={false}
                {...form.getInputProps("donorReference")}
              />
              <Select
                label={t("grants:fields.currency")}
                description={t("grants:help.currency")}
                required
                searchable
                allowDeselect={false}
                data={currencies}
                limit={400}
                nothingFoundMessage={t("common:empty")}
                {...form.getInputProps("currencyCode")}
              />
            </SimpleGrid>
            <TextInput label={t("grants:fields.title")} description={t("grants:help.title")} required maxLength={500} {...form.getInputProps("title")} />
          </Stack>
        </Fieldset>

        <Fieldset legend={t("grants:form.periodSection")} variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <DateField label={t("grants:fields.startDate")} required {...dateProps} {...form.getInputProps("startDate")} />
            <DateField
              label={t("grants:fields.endDate")}
              required
              minDate={form.values.startDate ?? undefined}
              {...dateProps}
              {...form.getInputProps("endDate")}
            />
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt="xs">
            {t("grants:help.period")}
          </Text>
        </Fieldset>

        <Fieldset legend={t("grants:form.budgetSection")} variant="filled">
          <SimpleGrid cols={{ base: 1, sm: withoutIndirectRate ? 3 : 2 }} spacing="sm">
            <DecimalInput
              label={t("grants:fields.totalEligibleCosts")}
              description={t("grants:help.totalEligibleCosts")}
              required
              {...money("totalEligibleCosts")}
            />
            <DecimalInput
              label={t("grants:fields.maxDonorContribution")}
              description={t("grants:help.maxDonorContribution")}
              required
              {...money("maxDonorContribution")}
            />
            <DecimalInput
              label={t("grants:fields.coFinancingRate")}
              description={t("grants:help.coFinancingRate")}
              required
              {...form.getInputProps("coFinancingRate")}
              value={form.values.coFinancingRate}
              onChange={(v) => form.setFieldValue("coFinancingRate", v)}
              decimals={2}
              max={100}
              rightSection={
                <Text size="xs" c="dimmed">
                  %
                </Text>
              }
            />
            {!withoutIndirectRate && (
              <DecimalInput
                label={t("grants:fields.indirectCostRate")}
                description={t("grants:help.indirectCostRate")}
                {...form.getInputProps("indirectCostRate")}
                value={form.values.indirectCostRate}
                onChange={(v) => form.setFieldValue("indirectCostRate", v)}
                decimals={2}
                max={100}
                rightSection={
                  <Text size="xs" c="dimmed">
                    %
                  </Text>
                }
              />
            )}
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt="xs">
            {t("grants:help.budget")}
          </Text>
          <Checkbox mt="sm" label={t("finance:grant.fourEyes")} description={t("finance:grant.fourEyesHelp")} {...form.getInputProps("fourEyes", { type: "checkbox" })} />
        </Fieldset>

        <Fieldset legend={t("grants:form.reportingSection")} variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <NumberInput
              label={t("grants:fields.reportingPeriodMonths")}
              description={t("grants:help.reportingPeriodMonths")}
              required
              min={1}
              max={120}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps("reportingPeriodMonths")}
            />
            <NumberInput
              label={t("grants:fields.interimReportDueDays")}
              description={t("grants:help.interimReportDueDays")}
              min={0}
              max={365}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps("interimReportDueDays")}
            />
            <NumberInput
              label={t("grants:fields.finalReportDueMonths")}
              description={t("grants:help.finalReportDueMonths")}
              min={0}
              max={24}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps("finalReportDueMonths")}
            />
          </SimpleGrid>
          <Select
            mt="sm"
            maw={{ base: "100%", sm: "24rem" }}
            label={t("grants:fields.reportingLanguage")}
            description={t("grants:help.reportingLanguage")}
            allowDeselect={false}
            data={reportingLanguages.map((l) => ({ value: l, label: t(`grants:languages.${l}`) }))}
            {...form.getInputProps("reportingLanguage")}
          />
          <Text size="xs" c="dimmed" mt="xs">
            {t("grants:help.reporting")}
          </Text>
        </Fieldset>

        <MutationError error={error} onReload={onReload} reloading={reloading} reasonsNs="grants" prefix="grant." placed={placed} />
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
      {create && (
        <NewOrganisationModal
          opened={creating !== null}
          kind={creating === "donor" ? OrganisationKind.DONOR : OrganisationKind.LEAD}
          onClose={() => setCreating(null)}
          onCreated={(o) => {
            setMade((m) => [...m, o]);
            if (creating) form.setFieldValue(creating, o.name);
          }}
        />
      )}
    </form>
  );
}
