// /grants/:id/forecast/:period: the forecast of spending for a reporting
// period (2 or later), which goes with every request for further
// pre-financing (ForecastService). Per heading and line of the latest
// adopted budget: the budget, what was spent up to the period's start, what
// remains, the suggestion from the line's burn, and finance's own figure
// (empty: the suggestion stands). Heading subtotals and the total follow
// what is typed, added up exactly (decimal strings, never floats). Saving
// sends every line with the etag; after someone else's save, Reload keeps
// what the user typed. Auditors read it; partners are refused by the
// server. On phones each line is a card.
import { useMemo, useState } from "react";
import { Alert, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "wouter";
import { ForecastService, type Forecast, type ForecastHeading, type ForecastLine } from "../../gen/pactum/v1/forecast_pb";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { cmp, isDecimal, sumDecimals } from "../../lib/decimal";
import { fieldViolations } from "../../lib/errors";
import { showToast } from "../../lib/toast";
import { DecimalInput } from "../../components/grants/MoneyInput";
import { MutationError } from "../../components/grants/MutationError";
import { reportingPeriods } from "../../components/report/periods";
import { ScrollTable } from "../../components/budget/ui";
import { Empty, LoadError, PageHeader, Section } from "../../components/shared/ui";
import { PageLoader } from "../../components/PageLoader";

const num = { textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" } as const;

export default function ForecastPage() {
  const { id, period } = useParams<{ id: string; period: string }>();
  const grantName = `grants/${id}`;
  const name = `${grantName}/forecasts/${period}`;
  const { t } = useTranslation(["forecast", "common"]);
  const fmt = useFormat();
  const [, navigate] = useLocation();
  const g = useQuery(GrantService.method.getGrant, { name: grantName });
  const q = useQuery(ForecastService.method.getForecast, { name }, { retry: false });
  const grant = g.data?.grant;
  const forecast = q.data?.forecast;
  const periods = useMemo(
    () => (grant ? reportingPeriods(grant.startDate, grant.endDate, grant.reportingPeriodMonths).filter((p) => p.n >= 2) : []),
    [grant],
  );

  const back = { href: `/grants/${id}/report`, label: t("forecast:backToReport") };
  if (g.isLoading || q.isLoading) return <PageLoader />;
  if (!grant || !forecast) {
    return (
      <>
        <PageHeader title={t("forecast:title")} back={grant ? back : { href: "/grants", label: t("common:nav.grants") }} />
        <LoadError error={g.error ?? q.error} onRetry={() => void (grant ? q.refetch() : g.refetch())} />
      </>
    );
  }
  const currency = forecast.currencyCode || grant.currencyCode;
  return (
    <>
      <PageHeader
        title={t("forecast:title")}
        back={back}
        subtitle={`${grant.donorReference} · ${grant.title} · ${t("forecast:currency", { currency })}`}
        actions={
          <Button component={Link} href={`/grants/${id}/budget`} variant="default">
            {t("forecast:openBudget")}
          </Button>
        }
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }}>
          <Stack gap="xs">
            <Select
              label={t("forecast:period")}
              data={periods.map((p) => ({ value: String(p.n), label: t("forecast:periodOption", { n: fmt.number(p.n), from: fmt.date(p.from), to: fmt.date(p.to) }) }))}
              value={String(forecast.period)}
              onChange={(v) => v && navigate(`/grants/${id}/forecast/${v}`)}
              allowDeselect={false}
              maw={520}
            />
            <Text size="sm">
              {t("forecast:basis", {
                months: fmt.number(forecast.months),
                count: forecast.months,
                asOf: fmt.date(forecast.basisAsOf),
                elapsed: fmt.number(forecast.monthsElapsed),
              })}
            </Text>
            {forecast.updateTime ? (
              <Text size="xs" c="dimmed">
                {t("forecast:lastSaved", { when: fmt.dateTime(new Date(Number(forecast.updateTime.seconds) * 1000)) })}
              </Text>
            ) : (
              <Text size="xs" c="dimmed">
                {t("forecast:neverSaved")}
              </Text>
            )}
          </Stack>
        </Paper>
        {/* A new period (or a saved answer) starts a new editor. */}
        <ForecastEditor key={forecast.name} initial={forecast} currency={currency} refetch={async () => (await q.refetch()).data?.forecast} />
      </Stack>
    </>
  );
}

type Values = Record<string, string>;

const valuesOf = (f: Forecast): Values => Object.fromEntries(f.lines.map((l) => [l.lineKey, l.amount]));

function ForecastEditor({ initial, currency, refetch }: { initial: Forecast; currency: string; refetch: () => Promise<Forecast | undefined> }) {
  const { t } = useTranslation(["forecast", "common"]);
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const narrow = useMediaQuery("(max-width: 48em)", window.matchMedia("(max-width: 48em)").matches, { getInitialValueInEffect: false });
  const [base, setBase] = useState(initial);
  const [values, setValues] = useState<Values>(() => valuesOf(initial));
  const [reloading, setReloading] = useState(false);
  const update = useMutation(ForecastService.method.updateForecast);
  const editable = base.callerCanUpdate;
  const money = (v: string) => fmt.money(v, currency);

  const startValues = useMemo(() => valuesOf(base), [base]);
  const dirty = base.lines.some((l) => (values[l.lineKey] ?? "") !== (startValues[l.lineKey] ?? ""));
  const violations = fieldViolations(update.error, "forecast.");
  const indexOf = new Map(base.lines.map((l, i) => [l.lineKey, i]));
  const errorOf = (l: ForecastLine) => {
    const d = violations[`lines[${indexOf.get(l.lineKey)}].amount`];
    return d ? `${t("common:errors.field")}: ${d}` : undefined;
  };

  // What each line forecasts as typed: the amount, else the suggestion.
  const valueOf = (l: ForecastLine) => {
    const v = values[l.lineKey] ?? "";
    return v !== "" && isDecimal(v) ? v : l.suggested;
  };
  const headingTotal = (h: ForecastHeading) => sumDecimals(base.lines.filter((l) => l.headingCode === h.code).map(valueOf), 2);
  const total = sumDecimals(base.lines.map(valueOf), 2);

  const save = () => {
    update.mutate(
      { forecast: { name: base.name, etag: base.etag, lines: base.lines.map((l) => ({ lineKey: l.lineKey, amount: values[l.lineKey] ?? "" })) } },
      {
        onSuccess: (r) => {
          if (r.forecast) {
            setBase(r.forecast);
            setValues(valuesOf(r.forecast));
          }
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("forecast:saved") });
        },
      },
    );
  };
  // After someone else's save: the fresh forecast becomes the base; the
  // lines the user did not touch take its values, what they typed stays.
  const reload = async () => {
    setReloading(true);
    try {
      const fresh = await refetch();
      if (fresh) {
        const old = valuesOf(base);
        const next = valuesOf(fresh);
        setValues((cur) => {
          const out: Values = { ...next };
          for (const [k, v] of Object.entries(cur)) if (k in next && v !== (old[k] ?? "")) out[k] = v;
          return out;
        });
        setBase(fresh);
        update.reset();
      }
    } finally {
      setReloading(false);
    }
  };
  const fillSuggestions = () => setValues(Object.fromEntries(base.lines.map((l) => [l.lineKey, l.inBudget ? l.suggested : (values[l.lineKey] ?? "")])));

  const lineLabel = (l: ForecastLine) => [l.code, l.description].filter(Boolean).join(" ");
  const headingLabel = (h: ForecastHeading) => [h.code, h.title].filter(Boolean).join(" ");
  const input = (l: ForecastLine) =>
    editable ? (
      <DecimalInput
        aria-label={t("forecast:amountFor", { line: lineLabel(l) })}
        value={values[l.lineKey] ?? ""}
        onChange={(v) => setValues((cur) => ({ ...cur, [l.lineKey]: v }))}
        decimals={2}
        placeholder={l.inBudget ? money(l.suggested) : undefined}
        error={errorOf(l)}
        size="sm"
        miw={narrow ? undefined : 150}
        styles={{ input: { textAlign: "right", fontVariantNumeric: "tabular-nums" } }}
      />
    ) : (
      <Text size="sm" style={num}>
        {money(valueOf(l))}
      </Text>
    );
  const source = (l: ForecastLine) =>
    (values[l.lineKey] ?? "") === "" ? (
      <Text span size="xs" c="dimmed">
        {t("forecast:usesSuggestion")}
      </Text>
    ) : null;
  const notInBudget = (l: ForecastLine) =>
    !l.inBudget && (
      <Badge color="orange" variant="light" size="sm" ml={6}>
        {t("forecast:notInBudget")}
      </Badge>
    );

  const actions = editable && (
    <Stack gap="xs">
      <MutationError error={update.error} onReload={() => void reload()} reloading={reloading} placed={Object.keys(violations)} prefix="forecast." />
      <Group gap="sm">
        <Button onClick={save} loading={update.isPending} disabled={!dirty}>
          {t("forecast:save")}
        </Button>
        <Button variant="default" onClick={fillSuggestions} disabled={update.isPending}>
          {t("forecast:useSuggestions")}
        </Button>
        {dirty && (
          <Button variant="subtle" onClick={() => setValues(startValues)} disabled={update.isPending}>
            {t("forecast:discard")}
          </Button>
        )}
      </Group>
    </Stack>
  );

  if (base.lines.length === 0) {
    return (
      <Section title={t("forecast:linesTitle")} id="forecast-lines">
        <Empty>{t("forecast:noBudget")}</Empty>
      </Section>
    );
  }

  return (
    <Section title={t("forecast:linesTitle")} id="forecast-lines">
      <Stack gap="md">
        {!editable && (
          <Alert color="blue" variant="light">
            <Text size="sm">{t("forecast:readOnly")}</Text>
          </Alert>
        )}
        {editable && (
          <Text size="sm" c="dimmed">
            {t("forecast:help")}
          </Text>
        )}
        {narrow ? (
          <Stack gap="md">
            {base.headings.map((h) => (
              <Stack key={h.code} gap="xs" role="group" aria-label={headingLabel(h)}>
                <Text fw={700}>{headingLabel(h)}</Text>
                {base.lines
                  .filter((l) => l.headingCode === h.code)
                  .map((l) => (
                    <Paper key={l.lineKey} withBorder radius="md" p="sm">
                      <Text size="sm" fw={600}>
                        {lineLabel(l)}
                        {notInBudget(l)}
                      </Text>
                      <SimpleGrid cols={2} spacing={4} verticalSpacing={2} my={6}>
                        <Figure label={t("forecast:col.budget")} value={money(l.budget)} />
                        <Figure label={t("forecast:col.spent")} value={money(l.spentToDate)} />
                        <Figure label={t("forecast:col.remaining")} value={money(l.remaining)} alert={cmp(l.remaining, "0") < 0} />
                        <Figure label={t("forecast:col.suggested")} value={money(l.suggested)} />
                      </SimpleGrid>
                      <Text size="xs" fw={600} mb={2}>
                        {t("forecast:col.forecast")} {source(l)}
                      </Text>
                      {input(l)}
                    </Paper>
                  ))}
                <Group justify="space-between" px="xs">
                  <Text size="sm" fw={700}>
                    {t("forecast:subtotal", { heading: h.code })}
                  </Text>
                  <Text size="sm" fw={700} style={num}>
                    {money(headingTotal(h))}
                  </Text>
                </Group>
              </Stack>
            ))}
            <Paper withBorder radius="md" p="sm" bg="gray.1">
              <Group justify="space-between">
                <Text fw={700}>{t("forecast:total")}</Text>
                <Text fw={700} style={num} data-testid="forecast-total">
                  {money(total)}
                </Text>
              </Group>
            </Paper>
          </Stack>
        ) : (
          <ScrollTable minWidth={820} label={t("forecast:linesTitle")}>
            <Table verticalSpacing={6} horizontalSpacing="xs" withRowBorders fz="sm">
              <VisuallyHidden component="caption">{t("forecast:linesTitle")}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr style={{ whiteSpace: "nowrap" }}>
                  <Table.Th scope="col" miw={200}>
                    {t("forecast:col.line")}
                  </Table.Th>
                  <Table.Th scope="col" style={num}>
                    {t("forecast:col.budget")}
                  </Table.Th>
                  <Table.Th scope="col" style={num}>
                    {t("forecast:col.spent")}
                  </Table.Th>
                  <Table.Th scope="col" style={num}>
                    {t("forecast:col.remaining")}
                  </Table.Th>
                  <Table.Th scope="col" style={num}>
                    {t("forecast:col.suggested")}
                  </Table.Th>
                  <Table.Th scope="col" style={num}>
                    {t("forecast:col.forecast")}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              {base.headings.map((h) => (
                <Table.Tbody key={h.code}>
                  <Table.Tr bg="gray.0">
                    <Table.Th scope="colgroup" colSpan={6} fw={700}>
                      {headingLabel(h)}
                    </Table.Th>
                  </Table.Tr>
                  {base.lines
                    .filter((l) => l.headingCode === h.code)
                    .map((l) => (
                      <Table.Tr key={l.lineKey}>
                        <Table.Th scope="row" fw={500} style={{ paddingInlineStart: 20 }}>
                          {lineLabel(l)}
                          {notInBudget(l)}
                        </Table.Th>
                        <Table.Td style={num}>{money(l.budget)}</Table.Td>
                        <Table.Td style={num}>{money(l.spentToDate)}</Table.Td>
                        <Table.Td style={num} c={cmp(l.remaining, "0") < 0 ? "red.9" : undefined}>
                          {money(l.remaining)}
                        </Table.Td>
                        <Table.Td style={num}>{money(l.suggested)}</Table.Td>
                        <Table.Td>
                          <Stack gap={2} align="flex-end">
                            {input(l)}
                            {editable && source(l)}
                          </Stack>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  <Table.Tr style={{ borderTop: "1px solid var(--mantine-color-gray-4)" }}>
                    <Table.Th scope="row" fw={700}>
                      {t("forecast:subtotal", { heading: headingLabel(h) })}
                    </Table.Th>
                    <Table.Td style={num} fw={700}>
                      {money(h.budget)}
                    </Table.Td>
                    <Table.Td style={num} fw={700}>
                      {money(h.spentToDate)}
                    </Table.Td>
                    <Table.Td style={num} fw={700}>
                      {money(h.remaining)}
                    </Table.Td>
                    <Table.Td style={num} fw={700}>
                      {money(h.suggested)}
                    </Table.Td>
                    <Table.Td style={num} fw={700}>
                      {money(headingTotal(h))}
                    </Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              ))}
              <Table.Tfoot>
                <Table.Tr bg="gray.1" style={{ borderTop: "2px solid var(--mantine-color-gray-5)" }}>
                  <Table.Th scope="row" fw={700}>
                    {t("forecast:total")}
                  </Table.Th>
                  <Table.Td style={num} fw={700}>
                    {money(base.totals?.budget ?? "")}
                  </Table.Td>
                  <Table.Td style={num} fw={700}>
                    {money(base.totals?.spentToDate ?? "")}
                  </Table.Td>
                  <Table.Td style={num} fw={700}>
                    {money(base.totals?.remaining ?? "")}
                  </Table.Td>
                  <Table.Td style={num} fw={700}>
                    {money(base.totals?.suggested ?? "")}
                  </Table.Td>
                  <Table.Td style={num} fw={700} data-testid="forecast-total">
                    {money(total)}
                  </Table.Td>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </ScrollTable>
        )}
        {actions}
      </Stack>
    </Section>
  );
}

function Figure({ label, value, alert }: { label: string; value: string; alert?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" c={alert ? "red.9" : undefined} style={{ fontVariantNumeric: "tabular-nums" }}>
        {value}
      </Text>
    </div>
  );
}
