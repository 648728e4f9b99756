// The grant's rule set (BudgetService.GetGrantRules / UpdateGrantRules):
// the donor template, the flexibility threshold between headings, the caps
// on indirect costs and contingency, the pre-financing threshold, and the
// exchange-rate policy with its fixed contract rates. Saving a new policy or
// new rates converts the grant's expenditures again; the screen says how
// many. Only the fields changed are sent, with the etag; after someone
// else's change, Reload keeps what the user typed.
import { useMemo, useState } from "react";
import { ActionIcon, Alert, Anchor, Button, Fieldset, Group, Paper, Radio, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { BudgetService, ExchangeRatePolicy, type GrantRules } from "../../gen/pactum/v1/budget_pb";
import { fieldViolations } from "../../lib/errors";
import { useSession } from "../../lib/session";
import { showToast } from "../../lib/toast";
import { useCurrencies } from "../grants/currencies";
import { DecimalInput } from "../grants/MoneyInput";
import { MutationError } from "../grants/MutationError";
import { idOf } from "../shared/requestId";
import { byPaths, useEtagEdit, useFollowRecord, useServerFieldErrors, type Place } from "../shared/forms";
import { Detail, Details, Empty, LoadError, Section } from "../shared/ui";
import { useNumbers } from "./numbers";
import { darkTitle, fieldError } from "./ui";

interface RateRow {
  currencyCode: string;
  rate: string;
  source: string;
}

interface RulesValues {
  budgetTemplate: string;
  flexibility: string;
  indirectCap: string;
  contingencyCap: string;
  prefinancingThreshold: string;
  policy: string;
  fixedRates: RateRow[];
}

const paths: Record<keyof RulesValues, string> = {
  budgetTemplate: "budget_template",
  flexibility: "flexibility",
  indirectCap: "indirect_cap",
  contingencyCap: "contingency_cap",
  prefinancingThreshold: "prefinancing_threshold",
  policy: "exchange_rate_policy",
  fixedRates: "fixed_rates",
};

const policyKey: Record<number, string> = {
  [ExchangeRatePolicy.MONTHLY]: "MONTHLY",
  [ExchangeRatePolicy.PERIOD_AVERAGE]: "PERIOD_AVERAGE",
  [ExchangeRatePolicy.FIXED]: "FIXED",
  [ExchangeRatePolicy.TRANSFER]: "TRANSFER",
};
const policies = [ExchangeRatePolicy.MONTHLY, ExchangeRatePolicy.PERIOD_AVERAGE, ExchangeRatePolicy.FIXED, ExchangeRatePolicy.TRANSFER];

function rulesValues(r?: GrantRules): RulesValues {
  return {
    budgetTemplate: r?.budgetTemplate ?? "",
    flexibility: r?.flexibility ?? "",
    indirectCap: r?.indirectCap ?? "",
    contingencyCap: r?.contingencyCap ?? "",
    prefinancingThreshold: r?.prefinancingThreshold ?? "",
    policy: r?.exchangeRatePolicy ? String(r.exchangeRatePolicy) : String(ExchangeRatePolicy.MONTHLY),
    fixedRates: (r?.fixedRates ?? []).map((f) => ({ currencyCode: f.currencyCode, rate: f.rate, source: f.source })),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// placeErrors: the server's field errors on the form's fields, the fixed
// rates' ("fixed_rates[2].rate") on their row's.
const placeErrors: Place = (v, say) => {
  const errors = byPaths(paths)(v, say);
  for (const [path, d] of Object.entries(v)) {
    const m = /^fixed_rates[[.](\d+)\]?\.(currency_code|rate|source)$/.exec(path);
    if (m) errors[`fixedRates.${m[1]}.${m[2] === "currency_code" ? "currencyCode" : m[2]}`] = say(d);
  }
  return errors;
};

export default function RulesEditor({ grantName, manage }: { grantName: string; manage: boolean }) {
  const { t } = useTranslation("budget");
  const name = `${grantName}/rules`;
  const q = useQuery(BudgetService.method.getGrantRules, { name });
  const templates = useQuery(BudgetService.method.listBudgetTemplates, { pageSize: 1000 }, { staleTime: 30 * 60_000 });
  const n = useNumbers();
  const rules = q.data?.grantRules;
  const templateName = (tn: string) => templates.data?.budgetTemplates.find((x) => x.name === tn)?.displayName ?? tn;

  if (q.isLoading) return <Empty>{t("common:loading")}</Empty>;
  if (!rules) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;

  if (!manage) {
    return (
      <Section title={t("rules.title")} id="rules">
        <Details>
          <Detail label={t("rules.template")}>
            <Anchor component={Link} href={`/budget-templates/${idOf(rules.budgetTemplate)}`} size="sm">
              {templateName(rules.budgetTemplate)}
            </Anchor>
          </Detail>
          <Detail label={t("rules.flexibility")}>{n.pct(rules.flexibility)}</Detail>
          <Detail label={t("rules.indirectCap")}>{n.pct(rules.indirectCap)}</Detail>
          <Detail label={t("rules.contingencyCap")}>{n.pct(rules.contingencyCap)}</Detail>
          <Detail label={t("rules.prefinancingThreshold")}>{n.pct(rules.prefinancingThreshold)}</Detail>
          <Detail label={t("rules.policy")}>{t(`rules.policies.${policyKey[rules.exchangeRatePolicy] ?? "MONTHLY"}.label`)}</Detail>
        </Details>
        {rules.exchangeRatePolicy === ExchangeRatePolicy.FIXED && rules.fixedRates.length > 0 && (
          <Stack gap={4} mt="md">
            <Text size="sm" fw={600}>
              {t("rules.fixedRates")}
            </Text>
            {rules.fixedRates.map((f) => (
              <Text size="sm" key={f.currencyCode} style={{ fontVariantNumeric: "tabular-nums" }}>
                {t("rules.rateLine", { rate: f.rate, currency: f.currencyCode, grantCurrency: rules.currencyCode })}
                {f.source && ` (${f.source})`}
              </Text>
            ))}
          </Stack>
        )}
      </Section>
    );
  }
  return <RulesForm rules={rules} refetch={q.refetch} templates={(templates.data?.budgetTemplates ?? []).map((x) => ({ value: x.name, label: x.displayName }))} />;
}

function RulesForm({
  rules,
  refetch,
  templates,
}: {
  rules: GrantRules;
  refetch: () => Promise<{ data?: { grantRules?: GrantRules } }>;
  templates: { value: string; label: string }[];
}) {
  const { t } = useTranslation(["budget", "templates"]);
  const { permissions } = useSession();
  const n = useNumbers();
  const queryClient = useQueryClient();
  const currencies = useCurrencies();
  const [reconverted, setReconverted] = useState<number>();
  const update = useMutation(BudgetService.method.updateGrantRules);
  // The rules are always being edited: a save's answer or a Reload gives
  // the base (and the etag to send).
  const edit = useEtagEdit<GrantRules>({
    initial: rules,
    refetch: async () => (await refetch()).data?.grantRules,
    reset: update.reset,
  });
  const base = edit.base ?? rules;
  const start = useMemo(() => rulesValues(base), [base]);
  const form = useForm<RulesValues>({ mode: "controlled", initialValues: start });

  // After a Reload or a save: untouched fields follow the record.
  useFollowRecord(form, start, same);

  // The server's field errors, next to their fields (none clears them).
  const v = fieldViolations(update.error, "grant_rules.");
  useServerFieldErrors(update.error, "grant_rules.", placeErrors, form.setErrors, { always: true });

  const mask = (vals: RulesValues) => (Object.keys(paths) as (keyof RulesValues)[]).filter((k) => !same(vals[k], start[k])).map((k) => paths[k]);
  const submit = (vals: RulesValues) => {
    const m = mask(vals);
    if (m.length === 0) return;
    setReconverted(undefined);
    update.mutate(
      {
        grantRules: {
          name: base.name,
          etag: base.etag,
          budgetTemplate: vals.budgetTemplate,
          flexibility: vals.flexibility,
          indirectCap: vals.indirectCap,
          contingencyCap: vals.contingencyCap,
          prefinancingThreshold: vals.prefinancingThreshold,
          exchangeRatePolicy: Number(vals.policy),
          fixedRates: vals.fixedRates.map((r) => ({ currencyCode: r.currencyCode, rate: r.rate, source: r.source.trim() })),
        },
        updateMask: { paths: m },
      },
      {
        onSuccess: (r) => {
          void queryClient.invalidateQueries();
          setReconverted(r.reconvertedCount);
          if (r.grantRules) {
            edit.setBase(r.grantRules);
            form.resetDirty(rulesValues(r.grantRules));
          }
          showToast({ color: "teal", message: t("rules.saved") });
        },
      },
    );
  };


  const pctInput = (key: "flexibility" | "indirectCap" | "contingencyCap" | "prefinancingThreshold") => ({
    ...form.getInputProps(key),
    value: form.values[key],
    onChange: (x: string) => form.setFieldValue(key, x),
    decimals: 2,
    max: 100,
    rightSection: (
      <Text size="xs" c="dimmed">
        %
      </Text>
    ),
  });
  const fixed = form.values.policy === String(ExchangeRatePolicy.FIXED);
  const dirty = mask(form.values).length > 0;

  return (
    <Section title={t("rules.title")} id="rules">
      <form noValidate onSubmit={form.onSubmit(submit)} aria-label={t("rules.title")}>
        <Stack gap="md">
          {reconverted !== undefined && (
            <Alert color="teal" variant="light" role="status" title={t("rules.savedTitle")} styles={darkTitle} withCloseButton onClose={() => setReconverted(undefined)}>
              {reconverted > 0 ? t("rules.reconverted", { count: reconverted, formatted: n.count(reconverted) }) : t("rules.reconvertedNone")}
            </Alert>
          )}
          <Group align="flex-end" gap="md" wrap="wrap">
            <Select
              label={t("rules.template")}
              description={t("rules.templateHelp")}
              allowDeselect={false}
              data={templates.length ? templates : [{ value: start.budgetTemplate, label: start.budgetTemplate }]}
              w={480}
              maw="100%"
              {...form.getInputProps("budgetTemplate")}
            />
            <Group gap="md" mb={8} wrap="wrap">
              <Anchor component={Link} href={`/budget-templates/${idOf(form.values.budgetTemplate)}`} size="sm">
                {t("templates:rules.seeTemplate")}
              </Anchor>
              {!!permissions?.manageBudgetTemplates && (
                <Anchor component={Link} href={`/budget-templates/new?from=${encodeURIComponent(idOf(form.values.budgetTemplate))}`} size="sm">
                  {t("templates:rules.newTemplate")}
                </Anchor>
              )}
            </Group>
          </Group>
          <Fieldset legend={t("rules.limits")} variant="filled">
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
              <DecimalInput label={t("rules.flexibility")} description={t("rules.flexibilityHelp")} {...pctInput("flexibility")} />
              <DecimalInput label={t("rules.indirectCap")} description={t("rules.indirectCapHelp")} {...pctInput("indirectCap")} />
              <DecimalInput label={t("rules.contingencyCap")} description={t("rules.contingencyCapHelp")} {...pctInput("contingencyCap")} />
              <DecimalInput label={t("rules.prefinancingThreshold")} description={t("rules.prefinancingThresholdHelp")} {...pctInput("prefinancingThreshold")} />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend={t("rules.rates")} variant="filled">
            <Radio.Group label={t("rules.policy")} description={t("rules.policyHelp")} {...form.getInputProps("policy")}>
              <Stack gap="sm" mt="xs">
                {policies.map((p) => (
                  <Radio
                    key={p}
                    value={String(p)}
                    label={t(`rules.policies.${policyKey[p]}.label`)}
                    description={t(`rules.policies.${policyKey[p]}.help`)}
                  />
                ))}
              </Stack>
            </Radio.Group>
            {fixed && (
              <Stack gap="xs" mt="md">
                <Text size="sm" fw={600} id="fixed-rates-title">
                  {t("rules.fixedRates")}
                </Text>
                <Text size="xs" c="dimmed">
                  {t("rules.fixedRatesHelp", { grantCurrency: rules.currencyCode })}
                </Text>
                {form.values.fixedRates.map((r, i) => (
                  <Paper key={i} withBorder radius="sm" p="xs" role="group" aria-label={t("rules.rateRow", { number: i + 1 })}>
                    <Group align="flex-start" gap="sm" wrap="nowrap">
                      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" style={{ flex: 1 }}>
                        <Select
                          label={t("rules.currency")}
                          required
                          searchable
                          allowDeselect={false}
                          limit={400}
                          data={currencies.filter((c) => c.value !== rules.currencyCode)}
                          nothingFoundMessage={t("common:empty")}
                          {...form.getInputProps(`fixedRates.${i}.currencyCode`)}
                        />
                        <DecimalInput
                          label={t("rules.rate", { grantCurrency: rules.currencyCode })}
                          required
                          decimals={10}
                          {...form.getInputProps(`fixedRates.${i}.rate`)}
                          value={r.rate}
                          onChange={(x) => form.setFieldValue(`fixedRates.${i}.rate`, x)}
                        />
                        <TextInput label={t("rules.source")} placeholder={t("rules.sourcePlaceholder")} maxLength={200} {...form.getInputProps(`fixedRates.${i}.source`)} />
                      </SimpleGrid>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        c="red.9"
                        mt={26}
                        onClick={() => form.removeListItem("fixedRates", i)}
                        aria-label={t("rules.removeRate", { currency: r.currencyCode || i + 1 })}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Group>
                  </Paper>
                ))}
                {v["fixed_rates"] && (
                  <Text size="sm" c="red.9">
                    {fieldError(t, v, "fixed_rates")}
                  </Text>
                )}
                <div>
                  <Button
                    variant="default"
                    size="xs"
                    leftSection={<IconPlus size={14} aria-hidden />}
                    onClick={() => form.insertListItem("fixedRates", { currencyCode: "", rate: "", source: "" })}
                  >
                    {t("rules.addRate")}
                  </Button>
                </div>
              </Stack>
            )}
          </Fieldset>
          <MutationError
            error={update.error}
            onReload={() => void edit.reload()}
            reloading={edit.reloading}
            reasonsNs="budget"
            prefix="grant_rules."
            placed={Object.keys(v).filter((p) => Object.values(paths).includes(p) || p.startsWith("fixed_rates"))}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => form.setValues(start)} disabled={!dirty || update.isPending}>
              {t("rules.undo")}
            </Button>
            <Button type="submit" loading={update.isPending} disabled={!dirty}>
              {t("common:actions.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
