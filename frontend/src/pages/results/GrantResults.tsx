// /grants/:id/results: a grant's indicators rolled up across its projects
// (GetGrantResultsRollup), grouped by indicator code. Numbers are summed
// per period and in total, target against actual with a progress bar;
// percentages, yes/no and qualitative indicators are listed per project and
// labelled "not summed". Breakdowns that do not add up are flagged with the
// project and period to correct. The logframe workbook is downloaded here,
// and the indicator sheet for OPSYS is a screen of its own.
import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { Link, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { IndicatorType, ResultsService, type IndicatorRollup } from "../../gen/pactum/v1/results_pb";
import { useFormat } from "../../lib/format";
import { Empty, LoadError, PageHeader } from "../../components/shared/ui";
import { useProjects } from "../../components/projects/lookups";
import { reportingPeriods } from "../../components/report/periods";
import { formatValue, indicatorTypeLabel, progress } from "../../components/results/indicators";
import { WorkbookButton } from "../../components/results/WorkbookButton";

const projectOf = (indicator: string) => indicator.split("/indicators/")[0];

export default function GrantResults() {
  const { id } = useParams<{ id: string }>();
  const name = `grants/${id}`;
  const { t } = useTranslation(["results", "common"]);
  const grantQ = useQuery(GrantService.method.getGrant, { name });
  const grant = grantQ.data?.grant;
  const q = useQuery(ResultsService.method.getGrantResultsRollup, { grant: name });
  const projects = useProjects();
  const rollups = q.data?.indicators ?? [];
  const numbers = rollups.filter((r) => r.type === IndicatorType.NUMBER);
  const others = rollups.filter((r) => r.type !== IndicatorType.NUMBER);
  const periods = grant ? reportingPeriods(grant.startDate, grant.endDate, grant.reportingPeriodMonths) : [];
  const projectCode = (indicator: string) => {
    const p = projects.get(projectOf(indicator));
    return p?.code || p?.title || projectOf(indicator);
  };

  return (
    <>
      <PageHeader
        title={t("results:rollup.title")}
        back={{ href: `/grants/${id}`, label: grant?.title ?? t("results:grant") }}
        subtitle={grant ? `${grant.donorReference} · ${grant.title}` : undefined}
        actions={
          <Group gap="sm" align="flex-start">
            <Button component={Link} href={`/grants/${id}/progress`} variant="default">
              {t("common:nav.progressUpdates")}
            </Button>
            <WorkbookButton kind="logframe" grant={name} />
            {/* The OPSYS sheet holds every partner's values: full readers only. */}
            {grant?.callerCanReadBudget && (
              <Button component={Link} href={`/grants/${id}/results/opsys`} variant="default" data-testid="opsys-link">
                {t("results:opsys.title")}
              </Button>
            )}
          </Group>
        }
      />
      <Text size="sm" c="gray.7" mb="md">
        {t("results:rollup.help")}
      </Text>
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.isPending ? (
        <Stack gap="sm" aria-busy="true">
          <Skeleton h={160} />
          <Skeleton h={160} />
        </Stack>
      ) : rollups.length === 0 ? (
        <Empty>{t("results:rollup.empty")}</Empty>
      ) : (
        <Stack gap="xl">
          {numbers.length > 0 && (
            <Stack gap="sm" component="section" aria-labelledby="rollup-numbers">
              <Title order={3} size="h4" id="rollup-numbers">
                {t("results:rollup.numbers")}
              </Title>
              <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
                {numbers.map((r) => (
                  <NumberRollup key={`${r.code}|${r.unit}`} r={r} periods={periods} projectCode={projectCode} />
                ))}
              </SimpleGrid>
            </Stack>
          )}
          {others.length > 0 && (
            <Stack gap="sm" component="section" aria-labelledby="rollup-others">
              <Title order={3} size="h4" id="rollup-others">
                {t("results:rollup.others")}
              </Title>
              <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
                {others.map((r) => (
                  <OtherRollup key={`${r.code}|${r.unit}|${r.type}`} r={r} projectCode={projectCode} />
                ))}
              </SimpleGrid>
            </Stack>
          )}
        </Stack>
      )}
    </>
  );
}

function Heading({ r, children }: { r: IndicatorRollup; children?: React.ReactNode }) {
  const { t } = useTranslation(["results", "common"]);
  return (
    <Stack gap={4} mb="xs">
      <Group gap={6} wrap="wrap">
        {r.code && (
          <Badge variant="outline" color="dark" radius="sm">
            {r.code}
          </Badge>
        )}
        <Badge variant="light" color="indigo" radius="sm">
          {indicatorTypeLabel(t, r.type)}
        </Badge>
        {children}
      </Group>
      <Title order={4} size="h5" style={{ overflowWrap: "anywhere" }}>
        {r.title}
      </Title>
      <Text size="xs" c="gray.7">
        {[r.unit && t("results:fields.unitIs", { unit: r.unit }), t("results:rollup.projects", { count: r.indicators.length })].filter(Boolean).join(" · ")}
      </Text>
    </Stack>
  );
}

function Mismatches({ r, projectCode }: { r: IndicatorRollup; projectCode: (i: string) => string }) {
  const { t } = useTranslation(["results", "common"]);
  const fmt = useFormat();
  if (r.mismatches.length === 0) return null;
  return (
    <Alert color="red" variant="light" mt="sm" p="xs" title={t("results:mismatch.title")} data-testid="rollup-mismatches">
      <Stack gap={2}>
        {r.mismatches.map((m) => (
          <Text size="xs" key={`${m.indicator}|${m.period}|${m.disaggregation}`}>
            {t("results:mismatch.rollupLine", {
              project: projectCode(m.indicator),
              period: m.period,
              disaggregation: m.disaggregation,
              sum: formatValue(t, fmt.locale, r.type, m.sum),
              total: formatValue(t, fmt.locale, r.type, m.total),
            })}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

function NumberRollup({ r, periods, projectCode }: { r: IndicatorRollup; periods: ReturnType<typeof reportingPeriods>; projectCode: (i: string) => string }) {
  const { t } = useTranslation(["results", "common"]);
  const fmt = useFormat();
  const v = (s: string) => formatValue(t, fmt.locale, r.type, s);
  const dates = (n: number) => {
    const p = periods.find((x) => x.n === n);
    return p ? `${fmt.date(p.from)} – ${fmt.date(p.to)}` : "";
  };
  const bar = (target: string, actual: string, label: string) => {
    const pc = progress(r.type, target, actual);
    return pc === undefined ? null : (
      <Group gap={6} wrap="nowrap">
        <Progress value={pc} size="md" style={{ flex: 1, minWidth: 40 }} color={pc >= 100 ? "teal" : "blue"} aria-label={label} />
        <Text size="xs" c="gray.7" style={{ fontVariantNumeric: "tabular-nums" }} w="3rem" ta="end">
          {pc} %
        </Text>
      </Group>
    );
  };
  return (
    <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="article" data-testid="rollup-number" aria-label={`${r.code} ${r.title}`}>
      <Heading r={r}>
        <Badge variant="light" color="teal" radius="sm">
          {t("results:rollup.summed")}
        </Badge>
      </Heading>
      <Table verticalSpacing={6} horizontalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("results:fields.period")}</Table.Th>
            <Table.Th scope="col" ta="end">
              {t("results:fields.target")}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t("results:fields.actual")}
            </Table.Th>
            <Table.Th scope="col" w="35%">
              {t("results:fields.progress")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {r.periods.map((p) => (
            <Table.Tr key={p.period}>
              <Table.Td title={dates(p.period)}>{p.period}</Table.Td>
              <Table.Td ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                {v(p.target)}
              </Table.Td>
              <Table.Td ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                {v(p.actual)}
              </Table.Td>
              <Table.Td>{bar(p.target, p.actual, t("results:progressOf", { period: p.period }))}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row">{t("results:rollup.total")}</Table.Th>
            <Table.Td ta="end" fw={700} style={{ fontVariantNumeric: "tabular-nums" }} data-testid="rollup-total-target">
              {v(r.totalTarget)}
            </Table.Td>
            <Table.Td ta="end" fw={700} style={{ fontVariantNumeric: "tabular-nums" }} data-testid="rollup-total-actual">
              {v(r.totalActual)}
            </Table.Td>
            <Table.Td>{bar(r.totalTarget, r.totalActual, t("results:rollup.totalProgress"))}</Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
      <Mismatches r={r} projectCode={projectCode} />
    </Paper>
  );
}

function OtherRollup({ r, projectCode }: { r: IndicatorRollup; projectCode: (i: string) => string }) {
  const { t } = useTranslation(["results", "common"]);
  const fmt = useFormat();
  const v = (s: string) => formatValue(t, fmt.locale, r.type, s);
  const rows = [...r.projectValues].sort((a, b) => projectCode(a.indicator).localeCompare(projectCode(b.indicator)) || a.period - b.period);
  return (
    <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="article" data-testid="rollup-other" aria-label={`${r.code} ${r.title}`}>
      <Heading r={r}>
        <Badge variant="filled" color="orange" radius="sm" data-testid="not-summed">
          {t("results:rollup.notSummed")}
        </Badge>
      </Heading>
      <Text size="xs" c="gray.7" mb={4}>
        {t("results:rollup.notSummedHelp")}
      </Text>
      <Table verticalSpacing={4} horizontalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("results:rollup.project")}</Table.Th>
            <Table.Th scope="col">{t("results:fields.period")}</Table.Th>
            <Table.Th scope="col">{t("results:fields.target")}</Table.Th>
            <Table.Th scope="col">{t("results:fields.actual")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((p) => (
            <Table.Tr key={`${p.indicator}|${p.period}`}>
              <Table.Td>
                <Link href={`/${projectOf(p.indicator)}/results`} style={{ color: "var(--mantine-color-teal-9)" }}>
                  {projectCode(p.indicator)}
                </Link>
              </Table.Td>
              <Table.Td>{p.period}</Table.Td>
              <Table.Td style={{ overflowWrap: "anywhere" }}>{v(p.target) || t("common:none")}</Table.Td>
              <Table.Td style={{ overflowWrap: "anywhere" }}>{v(p.actual) || t("common:none")}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Mismatches r={r} projectCode={projectCode} />
    </Paper>
  );
}
