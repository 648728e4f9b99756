// The expenditure form, to record one and to change a draft or rejected one:
// when (inside the grant's implementation period), on which line of the
// latest adopted budget (partners: only the lines allocated to them), for
// which project and partner (taken from the line's allocation), how much in
// the currency it was paid in (no more decimals than that currency has), to
// whom, what for, and the voucher's reference. The server's field errors are
// placed next to their fields; after a Reload (someone else changed the
// record) the fields the user did not touch take the new values.
import { useMemo } from "react";
import { Alert, Button, Fieldset, Group, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";
import type { Grant } from "../../gen/pactum/v1/grant_pb";
import { BudgetHeadingKind } from "../../gen/pactum/v1/budget_pb";
import { useFormat } from "../../lib/format";
import { isPartner, partnerOrganisations, useSession } from "../../lib/session";
import { DatesSetup } from "../grants/DatesSetup";
import { DecimalInput } from "../grants/MoneyInput";
import { MutationError } from "../grants/MutationError";
import { minorDigits, useCurrencies } from "../grants/currencies";
import { useOrganisations } from "../projects/lookups";
import { byPaths, useErrorFocus, useFollowRecord, useServerFieldErrors } from "../shared/forms";
import { expenditureMask, paths, type ExpenditureValues } from "./expenditureValues";
import { lineLabel, linesFor, projectRef, useGrantParties, useLatestBudget, warning, pickerStyles } from "./shared";
import { DateField } from "../shared/DateField";

export interface ExpenditureFormProps {
  grant: Grant;
  start: ExpenditureValues;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ExpenditureValues, mask: string[]) => void;
  onCancel?: () => void;
  onReload?: () => void;
  reloading?: boolean;
}

export default function ExpenditureForm(props: ExpenditureFormProps) {
  return (
    <DatesSetup>
      <Form {...props} />
    </DatesSetup>
  );
}

function Form({ grant, start, submitLabel, pending, error, onSubmit, onCancel, onReload, reloading }: ExpenditureFormProps) {
  const { t } = useTranslation(["expenditures", "common"]);
  const fmt = useFormat();
  const { user } = useSession();
  const currencies = useCurrencies();
  const budget = useLatestBudget(grant.name);
  const parties = useGrantParties(grant.name);
  const organisations = useOrganisations();
  const partner = isPartner(user);

  const required = (v: unknown) => (v === null || v === undefined || String(v).trim() === "" ? t("expenditures:validation.required") : null);
  const form = useForm<ExpenditureValues>({
    mode: "controlled",
    initialValues: start,
    validate: {
      expenseDate: (v) =>
        required(v) ??
        ((grant.startDate && v && v < grant.startDate) || (grant.endDate && v && v > grant.endDate)
          ? t("expenditures:validation.outsidePeriod", { start: fmt.date(grant.startDate), end: fmt.date(grant.endDate) })
          : null),
      budgetLineKey: required,
      currencyCode: required,
      amount: (v) => required(v) ?? (/^0*(\.0*)?$/.test(v) ? t("expenditures:validation.positive") : null),
      organisation: (v) => (partner ? required(v) : null),
    },
  });

  // After a Reload: what the user did not touch follows the record.
  useFollowRecord(form, start);

  const [formRef, focusFirstError] = useErrorFocus();

  // The server's field errors, next to their fields.
  useServerFieldErrors(error, "expenditure.", byPaths(paths), (errors) => {
    form.setErrors(errors);
    focusFirstError();
  });

  // Lines grouped by heading, in the budget's order.
  const lines = useMemo(() => linesFor(user, budget.lines), [user, budget.lines]);
  const offered = useMemo(() => {
    const headings = (budget.version?.headings ?? []).filter(
      (h) => h.kind === BudgetHeadingKind.DIRECT || h.kind === BudgetHeadingKind.CONTINGENCY || h.kind === BudgetHeadingKind.INDIRECT,
    );
    const groups = headings
      .map((h) => ({
        group: `${h.code}. ${h.title}`,
        items: lines.filter((l) => l.headingCode === h.code).map((l) => ({ value: l.lineKey, label: lineLabel(l) })),
      }))
      .filter((g) => g.items.length > 0);
    const placed = new Set(groups.flatMap((g) => g.items.map((i) => i.value)));
    const rest = lines.filter((l) => !placed.has(l.lineKey)).map((l) => ({ value: l.lineKey, label: lineLabel(l) }));
    return [...groups, ...rest];
  }, [budget.version, lines]);
  // A line no longer offered (e.g. after an addendum) stays visible while
  // it is the one chosen.
  const current = form.values.budgetLineKey;
  const lineOptions = current && !lines.some((l) => l.lineKey === current) ? [...offered, { value: current, label: lineLabel(budget.line(current), current) }] : offered;

  const chooseLine = (key: string | null) => {
    form.setFieldValue("budgetLineKey", key ?? "");
    const l = key ? budget.line(key) : undefined;
    if (l?.project) form.setFieldValue("project", projectRef(grant.name, l.project));
    if (l?.organisation) form.setFieldValue("organisation", l.organisation);
  };
  const chosenLine = budget.line(form.values.budgetLineKey);

  const orgLabel = (name: string) => {
    const o = organisations.get(name);
    return o ? (o.shortName && o.shortName !== o.displayName ? `${o.displayName} (${o.shortName})` : o.displayName) : name;
  };
  const orgNames = partner
    ? partnerOrganisations(user)
    : [...new Set([...parties.organisations, grant.leadOrganisation, form.values.organisation].filter(Boolean))];
  const orgOptions = orgNames.map((n) => ({ value: n, label: orgLabel(n) })).sort((a, b) => a.label.localeCompare(b.label));
  const projectOptions = parties.projects.map((p) => ({ value: projectRef(grant.name, p.name), label: p.code ? `${p.code} – ${p.title}` : p.title }));
  if (form.values.project && !projectOptions.some((o) => o.value === form.values.project)) {
    projectOptions.push({ value: form.values.project, label: form.values.project });
  }

  const currency = form.values.currencyCode;
  const decimals = minorDigits(currency);
  const placed = Object.values(paths);

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={form.onSubmit((values) => onSubmit(values, expenditureMask(start, values)), focusFirstError)}
      aria-label={submitLabel}
    >
      <Stack gap="md">
        {budget.noBudget && (
          <Alert {...warning} title={t("expenditures:form.noBudget")}>
            {t("expenditures:form.noBudgetHelp")}
          </Alert>
        )}
        {!budget.noBudget && !budget.isLoading && lines.length === 0 && (
          <Alert {...warning} title={t("expenditures:form.noLines")}>
            {t("expenditures:form.noLinesHelp")}
          </Alert>
        )}

        <Fieldset legend={t("expenditures:form.whatSection")} variant="filled">
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <DateField
                styles={pickerStyles}
                label={t("expenditures:fields.expenseDate")}
                description={t("expenditures:help.expenseDate", { start: fmt.date(grant.startDate), end: fmt.date(grant.endDate) })}
                required
                valueFormat="D MMM YYYY"
                placeholder={t("expenditures:form.pickDate")}
                minDate={grant.startDate || undefined}
                maxDate={grant.endDate || undefined}
                clearable
                clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                {...form.getInputProps("expenseDate")}
              />
              <TextInput
                label={t("expenditures:fields.documentRef")}
                description={t("expenditures:help.documentRef")}
                maxLength={100}
                spellCheck={false}
                {...form.getInputProps("documentRef")}
              />
            </SimpleGrid>
            <Select
              label={t("expenditures:fields.budgetLine")}
              description={partner ? t("expenditures:help.budgetLinePartner") : t("expenditures:help.budgetLine")}
              required
              searchable
              allowDeselect={false}
              placeholder={budget.isLoading ? t("common:loading") : t("expenditures:form.chooseLine")}
              data={lineOptions}
              limit={500}
              nothingFoundMessage={t("common:empty")}
              {...form.getInputProps("budgetLineKey")}
              value={form.values.budgetLineKey || null}
              onChange={chooseLine}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Select
                label={t("expenditures:fields.project")}
                description={chosenLine?.project ? t("expenditures:help.fromAllocation") : undefined}
                clearable
                searchable
                placeholder={t("expenditures:form.noProject")}
                data={projectOptions}
                nothingFoundMessage={t("common:empty")}
                clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                {...form.getInputProps("project")}
                value={form.values.project || null}
                onChange={(v) => form.setFieldValue("project", v ?? "")}
              />
              <Select
                label={t("expenditures:fields.partner")}
                description={chosenLine?.organisation ? t("expenditures:help.fromAllocation") : undefined}
                required={partner}
                clearable={!partner}
                searchable
                placeholder={t("expenditures:form.choosePartner")}
                data={orgOptions}
                nothingFoundMessage={t("common:empty")}
                clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                {...form.getInputProps("organisation")}
                value={form.values.organisation || null}
                onChange={(v) => form.setFieldValue("organisation", v ?? "")}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>

        <Fieldset legend={t("expenditures:form.amountSection")} variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label={t("expenditures:fields.currency")}
              description={t("expenditures:help.currency")}
              required
              searchable
              allowDeselect={false}
              data={currencies}
              limit={400}
              nothingFoundMessage={t("common:empty")}
              {...form.getInputProps("currencyCode")}
              value={form.values.currencyCode || null}
              placeholder={t("expenditures:form.chooseCurrency")}
              onChange={(v) => {
                form.setFieldValue("currencyCode", v ?? "");
                // Fewer decimals in the new currency: cut what no longer fits.
                const d = minorDigits(v ?? "");
                const a = form.getValues().amount;
                const [i, f = ""] = a.split(".");
                if (f.length > d) form.setFieldValue("amount", d === 0 ? i : `${i}.${f.slice(0, d)}`);
              }}
            />
            <DecimalInput
              label={t("expenditures:fields.amount")}
              description={currency ? t(decimals === 0 ? "expenditures:help.amountWhole" : "expenditures:help.amount", { decimals, currency }) : undefined}
              required
              {...form.getInputProps("amount")}
              value={form.values.amount}
              onChange={(v) => form.setFieldValue("amount", v)}
              decimals={decimals}
              fixedDecimalScale
              rightSection={
                <Text size="xs" c="dimmed">
                  {currency}
                </Text>
              }
              rightSectionWidth={48}
              styles={{ input: { textAlign: "right", fontVariantNumeric: "tabular-nums" } }}
            />
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt="xs">
            {t("expenditures:help.conversion", { currency: grant.currencyCode })}
          </Text>
        </Fieldset>

        <Fieldset legend={t("expenditures:form.payeeSection")} variant="filled">
          <Stack gap="sm">
            <TextInput label={t("expenditures:fields.payee")} description={t("expenditures:help.payee")} maxLength={300} {...form.getInputProps("payee")} />
            <Textarea
              label={t("expenditures:fields.description")}
              description={t("expenditures:help.description")}
              autosize
              minRows={2}
              maxRows={6}
              maxLength={2000}
              {...form.getInputProps("description")}
            />
          </Stack>
        </Fieldset>

        <MutationError error={error} onReload={onReload} reloading={reloading} reasonsNs="expenditures" prefix="expenditure." placed={placed} />
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
    </form>
  );
}
