// /grants/:id/progress: the coordinator's view of a grant's progress
// updates: who has submitted, who is late, what awaits review (counts and
// one row per partner progress update milestone), and indicator progress
// against targets: number indicators as bars (summed over periods and
// projects), percentages and other types per project, never summed.
import { lazy, Suspense } from "react";
import { Anchor, Badge, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { Link, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ProgressUpdateService, ProgressUpdateState as S } from "../../gen/pactum/v1/progress_update_pb";
import { IndicatorType, ResultsService, type IndicatorRollup } from "../../gen/pactum/v1/results_pb";
import { useFormat } from "../../lib/format";
import { LoadError, PageHeader } from "../../components/shared/ui";
import { idOf } from "../../components/shared/requestId";
import { useGrants, useProjects } from "../../components/projects/lookups";
import { StateBadge } from "../../components/progress/state";
import { useUpdateTitle } from "../../components/progress/period";

const IndicatorChart = lazy(() => import("../../components/progress/IndicatorChart"));

export default function GrantProgress() {
  const { id } = useParams<{ id: string }>();
  const grant = `grants/${id}`;
  const { t } = useTranslation(["progress", "common"]);
  const fmt = useFormat();
  const titleOf = useUpdateTitle();
  const grants = useGrants();
  const g = grants.get(grant);
  const q = useQuery(ProgressUpdateService.method.getGrantProgressOverview, { grant }, { staleTime: 0 });
  const rollup = useQuery(ResultsService.method.getGrantResultsRollup, { grant });
  const o = q.data;
  const counts = o
    ? [
        { key: "submitted", n: o.submittedCount, colour: "#1864ab" },
        { key: "late", n: o.lateCount, colour: o.lateCount ? "#c92a2a" : undefined },
        { key: "awaiting", n: o.awaitingReviewCount, colour: "#a63f00" },
        { key: "approved", n: o.approvedCount, colour: "#1e6b30" },
      ]
    : [];
  const numbers = (rollup.data?.indicators ?? []).filter((i) => i.type === IndicatorType.NUMBER);
  const others = (rollup.data?.indicators ?? []).filter((i) => i.type !== IndicatorType.NUMBER);

  return (
    <Stack gap="lg">
      <PageHeader
        back={{ href: `/grants/${id}`, label: g ? g.title : t("common:actions.back") }}
        title={t("overview.title")}
        subtitle={g ? [g.donorReference, g.title].filter(Boolean).join(" – ") : undefined}
        actions={
          <Anchor component={Link} href={`/progress?grant=${id}`} size="sm">
            {t("overview.allUpdates")}
          </Anchor>
        }
      />
      {q.error && <LoadError error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending ? (
        <Stack gap="sm" aria-busy="true">
          <Skeleton h={80} />
          <Skeleton h={200} />
        </Stack>
      ) : (
        o && (
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" component="dl" m={0} aria-label={t("overview.counts")}>
              {counts.map((c) => (
                <Paper key={c.key} withBorder radius="md" p="sm" data-testid={`count-${c.key}`}>
                  <Text component="dt" size="sm" c="dimmed">
                    {t(`overview.count.${c.key}`)}
                  </Text>
                  <Text component="dd" m={0} fz={28} fw={700} c={c.colour}>
                    {fmt.number(c.n)}
                  </Text>
                </Paper>
              ))}
            </SimpleGrid>

            <section aria-labelledby="rows-title">
              <Title order={3} size="h4" id="rows-title" mb="xs">
                {t("overview.rowsTitle")}
              </Title>
              {o.rows.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("overview.noRows")}
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={760} type="native">
                  <Table verticalSpacing="xs" striped>
                    <Table.Caption className="pactum-sr-only">{t("overview.rowsTitle")}</Table.Caption>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t("columns.organisation")}</Table.Th>
                        <Table.Th scope="col">{t("columns.project")}</Table.Th>
                        <Table.Th scope="col">{t("columns.milestone")}</Table.Th>
                        <Table.Th scope="col">{t("columns.due")}</Table.Th>
                        <Table.Th scope="col">{t("columns.state")}</Table.Th>
                        <Table.Th scope="col">{t("columns.late")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {o.rows.map((r) => (
                        <Table.Tr key={r.milestone} data-testid="overview-row">
                          <Table.Td>{r.organisationDisplayName}</Table.Td>
                          <Table.Td>{r.projectDisplayName}</Table.Td>
                          <Table.Td>
                            {r.progressUpdate ? (
                              <Anchor component={Link} href={`/progress/${idOf(r.progressUpdate)}`} fz="sm">
                                {titleOf(r)}
                              </Anchor>
                            ) : (
                              titleOf(r)
                            )}
                          </Table.Td>
                          <Table.Td style={{ whiteSpace: "nowrap" }}>{fmt.date(r.dueDate)}</Table.Td>
                          <Table.Td>
                            <StateBadge state={r.state} size="sm" />
                          </Table.Td>
                          <Table.Td>
                            {r.daysOverdue > 0 ? (
                              <Badge size="sm" color="red.8" variant="filled" tt="none">
                                {t("overview.daysOverdue", { count: r.daysOverdue })}
                              </Badge>
                            ) : r.late ? (
                              <Text size="sm" c="#a63f00">
                                {t("overview.submittedLate")}
                              </Text>
                            ) : r.state === S.UNSPECIFIED ? (
                              ""
                            ) : (
                              <Text size="sm" c="dimmed">
                                {t("overview.onTime")}
                              </Text>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </section>
          </>
        )
      )}

      <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby="indicators-title">
        <Title order={3} size="h4" id="indicators-title" mb={4}>
          {t("overview.indicatorsTitle")}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t("overview.indicatorsHelp")}
        </Text>
        {rollup.error ? (
          <LoadError error={rollup.error} onRetry={() => void rollup.refetch()} />
        ) : rollup.isPending ? (
          <Skeleton h={240} />
        ) : numbers.length === 0 && others.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("overview.noIndicators")}
          </Text>
        ) : (
          <Stack gap="lg">
            {numbers.length > 0 && (
              <Suspense fallback={<Skeleton h={240} />}>
                <IndicatorChart indicators={numbers} />
              </Suspense>
            )}
            {others.length > 0 && <OtherIndicators indicators={others} />}
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}

// Percentages, yes/no and qualitative indicators: each project's value per
// period, side by side; adding them up would mean nothing.
function OtherIndicators({ indicators }: { indicators: IndicatorRollup[] }) {
  const { t } = useTranslation("progress");
  const projects = useProjects();
  const projectOf = (indicator: string) => {
    const p = projects.get(indicator.split("/indicators/")[0]);
    return p ? p.code || p.title : idOf(indicator.split("/indicators/")[0]);
  };
  const show = (i: IndicatorRollup, v: string) => (v === "" ? t("common:none") : i.type === IndicatorType.PERCENTAGE ? `${v} %` : i.type === IndicatorType.YES_NO ? (v === "1" ? t("indicators.yes") : t("indicators.no")) : v);
  return (
    <Stack gap="xs">
      <Title order={4} size="h5">
        {t("overview.notSummed")}
      </Title>
      <Table.ScrollContainer minWidth={560} type="native">
        <Table fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("overview.indicator")}</Table.Th>
              <Table.Th scope="col">{t("columns.project")}</Table.Th>
              <Table.Th scope="col">{t("overview.period")}</Table.Th>
              <Table.Th scope="col">{t("overview.chart.target")}</Table.Th>
              <Table.Th scope="col">{t("overview.chart.actual")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {indicators.flatMap((i) =>
              i.projectValues.map((v, k) => (
                <Table.Tr key={`${i.code}-${v.indicator}-${v.period}-${k}`}>
                  {k === 0 && (
                    <Table.Th scope="rowgroup" rowSpan={i.projectValues.length} fw={600} style={{ verticalAlign: "top" }}>
                      {[i.code, i.title].filter(Boolean).join(" · ")}
                    </Table.Th>
                  )}
                  <Table.Td>{projectOf(v.indicator)}</Table.Td>
                  <Table.Td>{v.period}</Table.Td>
                  <Table.Td>{show(i, v.target)}</Table.Td>
                  <Table.Td>{show(i, v.actual)}</Table.Td>
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
