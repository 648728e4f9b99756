// /grants/:id/budget: a grant's money as coordinators, finance staff and
// auditors see it. Four tabs (the tab is in the address, ?tab=...):
// budget versus actual with the donor's rules checked and the monthly
// spending; the budget's versions and their lines; the grant's rule set;
// the pre-financing instalments. Partners are refused these by the server
// and get no link to them. The tabs other than the first load their own
// chunks.
import "@mantine/core/styles/Tabs.css";
import { lazy, Suspense, useMemo, useState } from "react";
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Tabs, Text } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "wouter";
import { BudgetService } from "../../gen/pactum/v1/budget_pb";
import { BudgetGrouping } from "../../gen/pactum/v1/finance_pb";
import { GrantService, type Grant } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { elapsed } from "../../components/grants/period";
import { Empty, LoadError, PageHeader, Section } from "../../components/shared/ui";
import { PageLoader } from "../../components/PageLoader";
import { BudgetVsActualTable, BurnSummary, GroupingSwitch, IndirectCostsNote, IneligibleWarning, RateMissingWarning, useBudgetVsActual } from "../../components/budget/BudgetVsActual";
import { ComplianceFindings } from "../../components/budget/Findings";
import { cmp } from "../../lib/decimal";
import { versionName } from "../../components/budget/versions";

const BudgetEditor = lazy(() => import("../../components/budget/BudgetEditor"));
const RulesEditor = lazy(() => import("../../components/budget/RulesEditor"));
const Prefinancing = lazy(() => import("../../components/budget/Prefinancing"));
const SpendingChart = lazy(() => import("../../components/budget/SpendingChart"));

const tabs = ["overview", "versions", "rules", "prefinancing"] as const;
type Tab = (typeof tabs)[number];

export default function BudgetPage() {
  const { id } = useParams<{ id: string }>();
  const name = `grants/${id}`;
  const { t } = useTranslation(["budget", "grants", "common"]);
  const [params, setParams] = useSearchParams();
  const tab: Tab = (tabs as readonly string[]).includes(params.get("tab") ?? "") ? (params.get("tab") as Tab) : "overview";
  const setTab = (x: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (!x || x === "overview") next.delete("tab");
        else next.set("tab", x);
        return next;
      },
      { replace: true },
    );
  const q = useQuery(GrantService.method.getGrant, { name });
  const grant = q.data?.grant;
  // What the caller may do with the grant's money, as the server decides it.
  const readable = !!grant?.callerCanReadBudget;
  const manage = !!grant?.callerCanManageBudget;
  const rules = useQuery(BudgetService.method.getGrantRules, { name: `${name}/rules` }, { enabled: readable, retry: false });

  if (grant && !readable) {
    return (
      <>
        <PageHeader title={t("budget:page.title")} back={{ href: `/grants/${id}`, label: t("budget:page.backToGrant") }} />
        <Alert color="red" variant="light" role="alert" title={t("common:errors.permissionDenied")} />
      </>
    );
  }
  if (q.isLoading) return <PageLoader />;
  if (!grant) {
    return (
      <>
        <PageHeader title={t("budget:page.title")} back={{ href: "/grants", label: t("grants:title") }} />
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t("budget:page.title")}
        back={{ href: `/grants/${id}`, label: grant.title }}
        subtitle={`${grant.donorReference} · ${grant.title} · ${t("budget:page.currency", { currency: grant.currencyCode })}`}
        actions={
          <Button component={Link} href={`/grants/${id}/report`} variant="default">
            {t("common:nav.financialReport")}
          </Button>
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false} variant="outline">
        <Tabs.List mb="md" style={{ overflowX: "auto", flexWrap: "nowrap" }}>
          {tabs.map((x) => (
            <Tabs.Tab key={x} value={x} style={{ whiteSpace: "nowrap" }}>
              {t(`budget:tabs.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Overview grant={grant} manage={manage} onPrepare={() => setTab("versions")} />
        </Tabs.Panel>
        <Tabs.Panel value="versions">
          <Suspense fallback={<PageLoader />}>
            {rules.isLoading ? <PageLoader /> : <BudgetEditor grant={grant} rules={rules.data?.grantRules} manage={manage} />}
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="rules">
          <Suspense fallback={<PageLoader />}>
            <RulesEditor grantName={name} manage={manage} />
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="prefinancing">
          <Suspense fallback={<PageLoader />}>
            <Prefinancing grantName={name} currency={grant.currencyCode} manage={manage} />
          </Suspense>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function Overview({ grant, manage, onPrepare }: { grant: Grant; manage: boolean; onPrepare: () => void }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const id = grant.name.slice(grant.name.lastIndexOf("/") + 1);
  const [groupBy, setGroupBy] = useState(BudgetGrouping.HEADING);
  const bva = useBudgetVsActual(grant.name, groupBy);
  const byHeading = useBudgetVsActual(grant.name, BudgetGrouping.HEADING);
  const versions = useQuery(BudgetService.method.listBudgetVersions, { parent: grant.name, pageSize: 1000 }, { retry: false });
  const data = bva.data;
  const currency = data?.currencyCode || grant.currencyCode;
  const headingLabels = useMemo(() => new Map((byHeading.data?.rows ?? []).map((r) => [r.headingCode || r.key, r.label])), [byHeading.data]);
  const compared = versions.data?.budgetVersions.find((v) => v.name === data?.budgetVersion);
  const period = elapsed(grant.startDate, grant.endDate);
  const total = data?.total;

  return (
    <Stack gap="md">
      {bva.error ? (
        <LoadError error={bva.error} onRetry={() => void bva.refetch()} />
      ) : !data ? (
        <Empty>{t("common:loading")}</Empty>
      ) : (
        <>
          {!data.budgetVersion && (
            <Alert color="blue" variant="light" title={t("bva.noBudget")}>
              <Text size="sm">{manage ? t("bva.noBudgetManage") : t("bva.noBudgetRead")}</Text>
              {manage && (
                <Button size="xs" mt="xs" onClick={onPrepare}>
                  {t("bva.prepare")}
                </Button>
              )}
            </Alert>
          )}
          {total && data.budgetVersion && (
            <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: "xs", sm: "md" }} role="group" aria-label={t("bva.summary")}>
              <Figure label={t("bva.col.budget")} value={fmt.money(total.budget, currency)} />
              <Figure label={t("bva.col.spent")} value={fmt.money(total.spent, currency)} strong />
              <Figure label={t("bva.col.remaining")} value={fmt.money(total.remaining, currency)} alert={cmp(total.remaining, "0") < 0} />
              <Figure label={t("bva.col.projected")} value={fmt.money(total.projectedAtEnd, currency)} alert={cmp(total.projectedAtEnd, total.budget) > 0} />
            </SimpleGrid>
          )}
          {total && data.budgetVersion && (
            <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }}>
              <BurnSummary total={total} currency={currency} elapsedPercent={period ? period.percent : undefined} />
              <Text size="xs" c="dimmed" mt={6}>
                {[
                  compared && t("bva.comparedWith", { version: versionName(t, compared) }),
                  data.asOf && t("bva.asOf", { date: fmt.date(data.asOf) }),
                  t("bva.months", { elapsed: fmt.number(data.monthsElapsed), left: fmt.number(data.monthsLeft) }),
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </Text>
            </Paper>
          )}
          <RateMissingWarning count={data.rateMissingCount} grantId={id} />
          <IneligibleWarning spending={data.ineligible} currency={currency} />
          <IndirectCostsNote indirect={data.indirectCosts} currency={currency} />
        </>
      )}

      <Section title={t("findings.title")} id="compliance">
        <ComplianceFindings grantId={id} currency={currency} headingLabels={headingLabels} hide={[...(data && data.rateMissingCount > 0 ? ["RATE_MISSING"] : []), ...(data?.ineligible?.count ? ["OUTSIDE_ELIGIBILITY"] : [])]} />
      </Section>

      {data && (data.budgetVersion || data.rows.length > 0) && (
        <Section title={t("bva.title")} id="bva" actions={<GroupingSwitch value={groupBy} onChange={setGroupBy} />}>
          {bva.isFetching && bva.isPlaceholderData ? (
            <Empty>{t("common:loading")}</Empty>
          ) : data.rows.length === 0 ? (
            <Empty>{t("bva.noRows")}</Empty>
          ) : (
            <BudgetVsActualTable rows={data.rows} total={data.total} currency={currency} groupBy={groupBy} caption={t("bva.title")} />
          )}
          <Text size="xs" c="dimmed" mt="xs">
            {t("bva.note")}
          </Text>
        </Section>
      )}

      {data && data.months.length > 0 && (
        <Section title={t("chart.title")} id="monthly">
          <Suspense fallback={<Empty>{t("common:loading")}</Empty>}>
            <SpendingChart months={data.months} currency={currency} />
          </Suspense>
        </Section>
      )}
    </Stack>
  );
}

function Figure({ label, value, strong, alert }: { label: string; value: string; strong?: boolean; alert?: boolean }) {
  return (
    <Paper withBorder radius="md" p={{ base: "xs", sm: "md" }} bg={strong ? "teal.0" : undefined} style={alert ? { borderColor: "var(--mantine-color-red-8)", borderLeftWidth: 4 } : undefined}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.03em" }}>
        {label}
      </Text>
      <Group gap={4}>
        <Text fz={{ base: "md", sm: "xl" }} fw={700} mt={2} c={alert ? "red.9" : undefined} style={{ fontVariantNumeric: "tabular-nums", overflowWrap: "anywhere" }}>
          {value}
        </Text>
      </Group>
    </Paper>
  );
}
