// A budget line of a draft version: its heading, code and description (a
// line usually found under the heading can be taken as a start), unit,
// number of units and unit cost, and its allocation to a project and a
// partner organisation. The total is the server's (units × unit cost,
// rounded once to the currency's cent); the form shows what it will be.
// An update sends only the fields the user changed, with the line's etag;
// when someone else changed the line meanwhile, Reload takes their version
// for the fields the user did not touch and keeps what they typed.
import { useMemo } from "react";
import { Button, Grid, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";
import type { BudgetLine, BudgetTemplateHeading } from "../../gen/pactum/v1/budget_pb";
import { useFormat } from "../../lib/format";
import { minorDigits } from "../grants/currencies";
import { DecimalInput } from "../grants/MoneyInput";
import { MutationError } from "../grants/MutationError";
import { byPaths, useErrorFocus, useFollowRecord, useServerFieldErrors } from "../shared/forms";
import { mulRound } from "../../lib/decimal";

export interface LineValues {
  headingCode: string;
  code: string;
  description: string;
  unit: string;
  units: string;
  unitCost: string;
  project: string;
  organisation: string;
}

// Form keys and the API's field paths (relative to "budget_line.").
export const linePaths: Record<keyof LineValues, string> = {
  headingCode: "heading_code",
  code: "code",
  description: "description",
  unit: "unit",
  units: "units",
  unitCost: "unit_cost",
  project: "project",
  organisation: "organisation",
};

export function lineValues(l?: Partial<BudgetLine>): LineValues {
  return {
    headingCode: l?.headingCode ?? "",
    code: l?.code ?? "",
    description: l?.description ?? "",
    unit: l?.unit ?? "",
    units: l?.units ?? "",
    unitCost: l?.unitCost ?? "",
    project: l?.project ?? "",
    organisation: l?.organisation ?? "",
  };
}

export function lineMask(before: LineValues, after: LineValues): string[] {
  return (Object.keys(linePaths) as (keyof LineValues)[]).filter((k) => before[k] !== after[k]).map((k) => linePaths[k]);
}

export interface Option {
  value: string;
  label: string;
}

export function LineForm({
  initial,
  headings,
  currency,
  projects,
  organisations,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  onReload,
  reloading,
}: {
  // The line as it was when editing began (or a new line's heading).
  initial: Partial<BudgetLine>;
  // Headings a line may be under (direct, contingency, indirect).
  headings: BudgetTemplateHeading[];
  currency: string;
  projects: Option[];
  // Partner organisations by project ("" for any project).
  organisations: (project: string) => Option[];
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: LineValues, mask: string[]) => void;
  onCancel: () => void;
  onReload?: () => void;
  reloading?: boolean;
}) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const start = useMemo(() => lineValues(initial), [initial]);
  const required = (v: string) => (v.trim() === "" ? t("line.required") : null);
  const form = useForm<LineValues>({
    mode: "controlled",
    initialValues: start,
    validate: { headingCode: required, description: required, units: required, unitCost: required },
  });

  // After a Reload: the fields the user did not touch follow the record.
  useFollowRecord(form, start);

  const [formRef, focusFirstError] = useErrorFocus();

  // The server's field errors, next to their fields.
  useServerFieldErrors(error, "budget_line.", byPaths(linePaths), (errors) => {
    form.setErrors(errors);
    focusFirstError();
  });

  const heading = headings.find((h) => h.code === form.values.headingCode);
  const usual = heading?.usualLines ?? [];
  const decimals = minorDigits(currency);
  const total = mulRound(form.values.units, form.values.unitCost, decimals);
  const orgOptions = organisations(form.values.project);
  const takeUsual = (code: string | null) => {
    const u = usual.find((x) => x.code === code);
    if (!u) return;
    form.setFieldValue("code", u.code);
    form.setFieldValue("description", u.description);
  };

  return (
    <form
      ref={formRef}
      noValidate
      aria-label={submitLabel}
      onSubmit={form.onSubmit((values) => onSubmit(values, lineMask(start, values)), focusFirstError)}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t("line.heading")}
            required
            allowDeselect={false}
            data={headings.map((h) => ({ value: h.code, label: `${h.code}. ${h.title}` }))}
            {...form.getInputProps("headingCode")}
          />
          {usual.length > 0 ? (
            <Select
              label={t("line.usual")}
              description={t("line.usualHelp")}
              clearable
              searchable
              value={null}
              onChange={takeUsual}
              data={usual.map((u) => ({ value: u.code, label: `${u.code} ${u.description}` }))}
              nothingFoundMessage={t("common:empty")}
            />
          ) : (
            <div />
          )}
        </SimpleGrid>
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, sm: 3 }}>
            <TextInput label={t("line.code")} description={t("line.codeHelp")} maxLength={20} spellCheck={false} {...form.getInputProps("code")} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 9 }}>
            <TextInput label={t("line.description")} description={t("line.descriptionHelp")} required maxLength={500} {...form.getInputProps("description")} />
          </Grid.Col>
        </Grid>
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
          <TextInput label={t("line.unit")} description={t("line.unitHelp")} maxLength={50} {...form.getInputProps("unit")} />
          <DecimalInput
            label={t("line.units")}
            description={t("line.unitsHelp")}
            required
            decimals={4}
            {...form.getInputProps("units")}
            value={form.values.units}
            onChange={(v) => form.setFieldValue("units", v)}
          />
          <DecimalInput
            label={t("line.unitCost")}
            description={t("line.unitCostHelp", { currency })}
            required
            decimals={decimals}
            {...form.getInputProps("unitCost")}
            value={form.values.unitCost}
            onChange={(v) => form.setFieldValue("unitCost", v)}
            rightSection={
              <Text size="xs" c="dimmed">
                {currency}
              </Text>
            }
            rightSectionWidth={48}
          />
        </SimpleGrid>
        <Paper withBorder radius="sm" px="sm" py={6} bg="gray.0">
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed">
              {t("line.total")}
            </Text>
            <Text fw={700} style={{ fontVariantNumeric: "tabular-nums" }} aria-live="polite" data-testid="line-total-preview">
              {total ? fmt.money(total, currency) : t("common:none")}
            </Text>
          </Group>
        </Paper>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t("line.project")}
            description={t("line.projectHelp")}
            clearable
            searchable
            data={projects}
            nothingFoundMessage={t("common:empty")}
            {...form.getInputProps("project")}
            value={form.values.project || null}
            onChange={(v) => form.setFieldValue("project", v ?? "")}
          />
          <Select
            label={t("line.organisation")}
            description={t("line.organisationHelp")}
            clearable
            searchable
            data={orgOptions}
            nothingFoundMessage={t("common:empty")}
            {...form.getInputProps("organisation")}
            value={form.values.organisation || null}
            onChange={(v) => form.setFieldValue("organisation", v ?? "")}
          />
        </SimpleGrid>
        <MutationError error={error} onReload={onReload} reloading={reloading} reasonsNs="budget" prefix="budget_line." placed={Object.values(linePaths)} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={pending}>
            {t("common:actions.cancel")}
          </Button>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
