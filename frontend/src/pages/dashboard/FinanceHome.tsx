// The home of finance staff: what awaits them now. Whether this month's
// InforEuro rates are loaded; then, for each grant whose expenditures they
// verify: how many wait for verification (a link to the queue), the drafts
// of ledger imports still to submit (each import submitted in one action),
// and the rates missing by currency and month, each with a field to enter
// the rate in place (the waiting expenditures are converted at once).
import { useState } from "react";
import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { ExpenditureService, ExpenditureStatus, type Expenditure } from "../../gen/pactum/v1/expenditure_pb";
import { ExchangeRateService } from "../../gen/pactum/v1/exchange_rate_pb";
import { GrantState, type Grant } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { errorMessage, fieldViolations } from "../../lib/errors";
import { showToast } from "../../lib/toast";
import { useGrants } from "../../components/projects/lookups";
import { newRequestId } from "../../components/shared/requestId";
import { DecimalInput } from "../../components/grants/MoneyInput";
import { refusal } from "../../components/expenditures/batch";

// Every expenditure query, finite or infinite: refreshed after a change.
const expenditureQueries = createConnectQueryKey({ schema: ExpenditureService, cardinality: undefined });

const thisMonth = () => new Date().toISOString().slice(0, 7);

export default function FinanceHome() {
  const { t } = useTranslation(["finance", "common"]);
  const grants = useGrants();
  const mine = grants.list.filter((g) => g.callerCanVerifyExpenditures && g.state !== GrantState.CLOSED);
  return (
    <Stack gap="lg" data-testid="finance-home">
      <div>
        <Title order={2}>{t("finance:home.title")}</Title>
        <Text c="gray.7">{t("finance:home.intro")}</Text>
      </div>
      <MonthRates grants={mine} />
      {grants.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(grants.error, t)}
        </Alert>
      )}
      {grants.isPending ? (
        <Skeleton h={160} radius="md" />
      ) : mine.length === 0 ? (
        <Text>{t("finance:home.noGrants")}</Text>
      ) : (
        mine.map((g) => <GrantWork key={g.name} grant={g} />)
      )}
    </Stack>
  );
}

// MonthRates says whether this month's rates per 1 unit of each grant
// currency (InforEuro for EUR) are loaded.
function MonthRates({ grants }: { grants: Grant[] }) {
  const { t } = useTranslation(["finance"]);
  const month = thisMonth();
  const base = grants[0]?.currencyCode || "EUR";
  const rates = useQuery(ExchangeRateService.method.listExchangeRates, { pageSize: 1, baseCurrency: base, fromMonth: month, toMonth: month }, { enabled: grants.length > 0 });
  if (grants.length === 0 || rates.isPending || rates.error) return null;
  const loaded = rates.data.exchangeRates.length > 0;
  const label = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
  return loaded ? (
    <Text size="sm" c="teal.9" data-testid="month-rates">
      {t("finance:home.ratesLoaded", { month: label, base })}
    </Text>
  ) : (
    <Alert color="orange" variant="light" title={t("finance:home.ratesMissingTitle", { month: label, base })} data-testid="month-rates">
      <Group justify="space-between" gap="xs">
        <Text size="sm">{t("finance:home.ratesMissingHelp")}</Text>
        <Button component={Link} href="/rates" size="xs" color="teal.9">
          {t("finance:home.loadRates")}
        </Button>
      </Group>
    </Alert>
  );
}

function GrantWork({ grant }: { grant: Grant }) {
  const { t } = useTranslation(["finance", "common"]);
  const fmt = useFormat();
  const id = grant.name.split("/").pop();
  const submitted = useQuery(ExpenditureService.method.listExpenditures, { parent: grant.name, status: ExpenditureStatus.SUBMITTED, pageSize: 1000 });
  const drafts = useQuery(ExpenditureService.method.listExpenditures, { parent: grant.name, status: ExpenditureStatus.DRAFT, pageSize: 1000 });
  const missing = useQuery(ExpenditureService.method.listExpenditures, { parent: grant.name, rateMissingOnly: true, pageSize: 1000 });
  const waiting = submitted.data?.expenditures ?? [];
  const more = (q: typeof submitted) => (q.data?.nextPageToken ? "+" : "");
  const mineToVerify = waiting.filter((e) => e.callerCanVerify).length;
  const imports = new Map<string, Expenditure[]>();
  for (const e of drafts.data?.expenditures ?? []) {
    if (!e.ledgerImport) continue;
    imports.set(e.ledgerImport, [...(imports.get(e.ledgerImport) ?? []), e]);
  }
  const gaps = new Map<string, { currency: string; month: string; items: Expenditure[] }>();
  for (const e of missing.data?.expenditures ?? []) {
    const month = e.expenseDate.slice(0, 7);
    const k = `${e.currencyCode}|${month}`;
    const g = gaps.get(k) ?? { currency: e.currencyCode, month, items: [] };
    g.items.push(e);
    gaps.set(k, g);
  }
  const error = submitted.error ?? drafts.error ?? missing.error;
  const pending = submitted.isPending || drafts.isPending || missing.isPending;

  return (
    <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby={`work-${id}`} data-testid="grant-work">
      <Stack gap="sm">
        <Group justify="space-between" align="baseline" gap="xs">
          <Title order={3} size="h4" id={`work-${id}`} style={{ overflowWrap: "anywhere" }}>
            {grant.donorReference} · {grant.title}
          </Title>
          <Anchor component={Link} href={`/grants/${id}/expenditures`} size="sm" c="teal.9">
            {t("finance:home.allExpenditures")}
          </Anchor>
        </Group>
        {error && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(error, t)}
          </Alert>
        )}
        {pending ? (
          <Skeleton h={80} />
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <Count
                label={t("finance:home.toVerify")}
                value={`${fmt.number(waiting.length)}${more(submitted)}`}
                help={
                  waiting.length > mineToVerify
                    ? t("finance:home.toVerifyFourEyes", { count: waiting.length - mineToVerify, formatted: fmt.number(waiting.length - mineToVerify) })
                    : undefined
                }
                action={
                  waiting.length > 0 ? (
                    <Button component={Link} href={`/grants/${id}/expenditures/verify`} size="xs" color="teal.9">
                      {t("finance:home.openQueue")}
                    </Button>
                  ) : undefined
                }
                testid="to-verify"
              />
              <Count label={t("finance:home.importDrafts")} value={`${fmt.number([...imports.values()].reduce((n, l) => n + l.length, 0))}${more(drafts)}`} testid="import-drafts" />
              <Count label={t("finance:home.missingRates")} value={`${fmt.number(missing.data?.rateMissingCount ?? 0)}`} testid="missing-rates" />
            </SimpleGrid>
            {[...imports.entries()].map(([name, items]) => (
              <ImportDrafts key={name} grant={grant} importName={name} items={items} />
            ))}
            {gaps.size > 0 && (
              <Stack gap={4}>
                <Text fw={600} size="sm">
                  {t("finance:home.missingTitle")}
                </Text>
                <Text size="sm" c="gray.7">
                  {t("finance:home.missingHelp", { base: grant.currencyCode })}
                </Text>
                <Table.ScrollContainer minWidth={320}>
                  <Table verticalSpacing={4}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t("finance:home.currency")}</Table.Th>
                        <Table.Th scope="col">{t("finance:home.month")}</Table.Th>
                        <Table.Th scope="col">{t("finance:home.waiting")}</Table.Th>
                        <Table.Th scope="col">{t("finance:home.rate", { base: grant.currencyCode })}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {[...gaps.values()]
                        .sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency))
                        .map((g) => (
                          <MissingRate key={`${g.currency}|${g.month}`} base={grant.currencyCode} currency={g.currency} month={g.month} count={g.items.length} />
                        ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}

function Count({ label, value, help, action, testid }: { label: string; value: string; help?: string; action?: React.ReactNode; testid: string }) {
  return (
    <Paper withBorder radius="sm" p="xs" data-testid={testid}>
      <Text size="sm" c="gray.7">
        {label}
      </Text>
      <Group justify="space-between" gap="xs">
        <Text fw={700} fz="xl">
          {value}
        </Text>
        {action}
      </Group>
      {help && (
        <Text size="xs" c="gray.7">
          {help}
        </Text>
      )}
    </Paper>
  );
}

// ImportDrafts offers to submit every draft of one ledger import at once.
function ImportDrafts({ grant, importName, items }: { grant: Grant; importName: string; items: Expenditure[] }) {
  const { t } = useTranslation(["finance", "common"]);
  const fmt = useFormat();
  const qc = useQueryClient();
  const submit = useMutation(ExpenditureService.method.batchSubmitExpenditures);
  const [requestId] = useState(newRequestId);
  const first = items.reduce((d, e) => (e.expenseDate < d ? e.expenseDate : d), items[0].expenseDate);
  const last = items.reduce((d, e) => (e.expenseDate > d ? e.expenseDate : d), items[0].expenseDate);
  const refused = submit.data?.results.filter((r) => !r.done) ?? [];
  return (
    <Paper withBorder radius="sm" p="xs" bg="gray.0" data-testid="import-row">
      <Group justify="space-between" gap="xs">
        <Text size="sm">{t("finance:home.importLine", { count: items.length, formatted: fmt.number(items.length), from: fmt.date(first), to: fmt.date(last) })}</Text>
        <Button
          size="xs"
          color="teal.9"
          loading={submit.isPending}
          onClick={() =>
            submit.mutate(
              { parent: grant.name, ledgerImport: importName, requestId },
              {
                onSuccess: (res) => {
                  showToast({ color: res.refusedCount > 0 ? "orange" : "teal", message: t("finance:home.importSubmitted", { count: res.doneCount, formatted: fmt.number(res.doneCount) }) });
                  void qc.invalidateQueries({ queryKey: expenditureQueries });
                },
              },
            )
          }
        >
          {t("finance:home.submitImport")}
        </Button>
      </Group>
      {grant.fourEyes && (
        <Text size="xs" c="gray.7">
          {t("finance:home.submitFourEyes")}
        </Text>
      )}
      {submit.error && (
        <Text size="sm" c="red.9" role="alert">
          {errorMessage(submit.error, t)}
        </Text>
      )}
      {refused.length > 0 && (
        <Text size="sm" c="red.9" role="alert">
          {t("finance:queue.refusedCount", { count: refused.length, formatted: fmt.number(refused.length) })}: {refusal(refused[0], t)}
        </Text>
      )}
    </Paper>
  );
}

// MissingRate enters the rate of one currency and month in place.
function MissingRate({ base, currency, month, count }: { base: string; currency: string; month: string; count: number }) {
  const { t } = useTranslation(["finance", "common"]);
  const fmt = useFormat();
  const qc = useQueryClient();
  const set = useMutation(ExchangeRateService.method.setExchangeRate);
  const [rate, setRate] = useState("");
  const [error, setError] = useState("");
  const label = new Intl.DateTimeFormat(fmt.locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
  const save = () => {
    if (!rate.trim() || Number(rate) <= 0) {
      setError(t("finance:home.rateRequired", { base, currency }));
      return;
    }
    setError("");
    set.mutate(
      { exchangeRate: { baseCurrency: base, currencyCode: currency, month, rate, source: t("finance:home.rateSource") } },
      {
        onSuccess: (res) => {
          showToast({ color: "teal", message: t("finance:home.rateSaved", { count: res.reconvertedCount, formatted: fmt.number(res.reconvertedCount), currency, month: label }) });
          void qc.invalidateQueries({ queryKey: expenditureQueries });
        },
        onError: (err) => {
          const fv = fieldViolations(err, "exchange_rate.");
          setError(fv.rate ? t("finance:home.rateInvalid", { base, currency }) : errorMessage(err, t));
        },
      },
    );
  };
  return (
    <Table.Tr>
      <Table.Td>
        <Badge variant="light" color="orange">
          {currency}
        </Badge>
      </Table.Td>
      <Table.Td>{label}</Table.Td>
      <Table.Td>{fmt.number(count)}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" align="flex-start">
          <DecimalInput
            size="xs"
            w={130}
            aria-label={t("finance:home.rateFor", { base, currency, month: label })}
            value={rate}
            onChange={setRate}
            decimals={10}
            error={error || undefined}
          />
          <Button size="xs" variant="default" loading={set.isPending} onClick={save}>
            {t("common:actions.save")}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
