// /projects/:id/results: a project's results framework (logframe) as a
// tree: the overall objective, its specific objectives and their outputs,
// each with the indicators that measure it (unit, type, baseline, target
// and actual per period, the actual's breakdown, flagged when it does not
// add up). The grant's coordinators add and edit results and indicators in
// modal forms; everyone else reads.
import { useMemo, useState, type ReactNode } from "react";
import { Badge, Box, Button, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { skipToken, useQuery } from "@connectrpc/connect-query";
import { Link, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { ProjectService } from "../../gen/pactum/v1/project_pb";
import { ResultLevel, ResultsService, type Indicator, type Result } from "../../gen/pactum/v1/results_pb";
import { Empty, LoadError, PageHeader } from "../../components/shared/ui";
import { reportingPeriods } from "../../components/report/periods";
import { IndicatorView } from "../../components/results/IndicatorView";
import { IndicatorModal, ResultModal, type IndicatorTarget, type ResultTarget } from "../../components/results/ResultsForms";
import { levelLabel } from "../../components/results/indicators";

const levelColour: Record<number, string> = {
  [ResultLevel.OVERALL_OBJECTIVE]: "grape",
  [ResultLevel.SPECIFIC_OBJECTIVE]: "blue",
  [ResultLevel.OUTPUT]: "teal",
};

export default function ProjectResults() {
  const { id } = useParams<{ id: string }>();
  const projectName = `projects/${id}`;
  const { t } = useTranslation(["results", "common"]);
  const projectQ = useQuery(ProjectService.method.getProject, { name: projectName });
  const project = projectQ.data?.project;
  const grantQ = useQuery(GrantService.method.getGrant, project?.grant ? { name: project.grant } : skipToken);
  const grant = grantQ.data?.grant;
  const resultsQ = useQuery(ResultsService.method.listResults, { parent: projectName, pageSize: 1000 });
  const indicatorsQ = useQuery(ResultsService.method.listIndicators, { parent: projectName, pageSize: 1000 });
  const [resultTarget, setResultTarget] = useState<ResultTarget>();
  const [indicatorTarget, setIndicatorTarget] = useState<Omit<IndicatorTarget, "results" | "periods">>();

  const results = useMemo(() => resultsQ.data?.results ?? [], [resultsQ.data]);
  const indicators = useMemo(() => indicatorsQ.data?.indicators ?? [], [indicatorsQ.data]);
  const periods = useMemo(() => (grant ? reportingPeriods(grant.startDate, grant.endDate, grant.reportingPeriodMonths) : []), [grant]);
  const manage = !!project?.callerCanManageResults;

  const byParent = useMemo(() => {
    const m = new Map<string, Result[]>();
    for (const r of results) m.set(r.parentResult, [...(m.get(r.parentResult) ?? []), r]);
    for (const list of m.values()) list.sort((a, b) => a.code.localeCompare(b.code, undefined, { numeric: true }) || a.title.localeCompare(b.title));
    return m;
  }, [results]);
  const indicatorsOf = useMemo(() => {
    const m = new Map<string, Indicator[]>();
    for (const i of indicators) m.set(i.result, [...(m.get(i.result) ?? []), i]);
    for (const list of m.values()) list.sort((a, b) => a.code.localeCompare(b.code, undefined, { numeric: true }));
    return m;
  }, [indicators]);
  // Results whose parent is not listed (should not happen) still show.
  const names = new Set(results.map((r) => r.name));
  const roots = results.filter((r) => !r.parentResult || !names.has(r.parentResult));
  roots.sort((a, b) => a.level - b.level || a.code.localeCompare(b.code, undefined, { numeric: true }));

  const back = { href: `/projects/${id}`, label: project ? `${project.code} – ${project.title}` : t("results:project") };
  if (projectQ.isPending) {
    return (
      <Stack gap="md" aria-busy="true">
        <Skeleton h={36} w="60%" />
        <Skeleton h={220} />
      </Stack>
    );
  }
  if (!project) {
    return (
      <>
        <PageHeader title={t("results:title")} back={{ href: "/projects", label: t("results:projects") }} />
        <LoadError error={projectQ.error} onRetry={() => void projectQ.refetch()} />
      </>
    );
  }

  const childLevel = (l: ResultLevel) => (l === ResultLevel.OVERALL_OBJECTIVE ? ResultLevel.SPECIFIC_OBJECTIVE : l === ResultLevel.SPECIFIC_OBJECTIVE ? ResultLevel.OUTPUT : undefined);

  const node = (r: Result, depth: number): ReactNode => {
    const children = byParent.get(r.name) ?? [];
    const inds = indicatorsOf.get(r.name) ?? [];
    const next = childLevel(r.level);
    return (
      <Box
        key={r.name}
        component="li"
        style={{ listStyle: "none", borderInlineStart: depth ? `3px solid var(--mantine-color-${levelColour[r.level] ?? "gray"}-3)` : undefined }}
        ps={depth ? { base: 6, sm: "md" } : 0}
      >
        <Paper withBorder={depth === 0} radius="md" p={depth === 0 ? { base: "sm", sm: "md" } : 0} py={depth ? "xs" : undefined} component="section" aria-label={`${levelLabel(t, r.level)} ${r.code} ${r.title}`}>
          <Group justify="space-between" align="flex-start" gap="xs">
            <Stack gap={4} style={{ flex: "1 1 16rem", minWidth: 0 }}>
              <Group gap={6}>
                <Badge color={levelColour[r.level] ?? "gray"} variant="light" radius="sm">
                  {levelLabel(t, r.level)}
                </Badge>
                {r.code && (
                  <Text size="sm" fw={700} c="gray.8">
                    {r.code}
                  </Text>
                )}
              </Group>
              <Title order={depth === 0 ? 3 : depth === 1 ? 4 : 5} size={depth === 0 ? "h4" : "h5"} style={{ overflowWrap: "anywhere" }}>
                {r.title}
              </Title>
              {r.description && (
                <Text size="sm" c="gray.7" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                  {r.description}
                </Text>
              )}
            </Stack>
            {manage && (
              <Group gap={6}>
                <Button size="compact-sm" variant="default" onClick={() => setResultTarget({ project: projectName, result: r })} aria-label={t("results:form.editNamed", { name: r.code || r.title })}>
                  {t("common:actions.edit")}
                </Button>
              </Group>
            )}
          </Group>
          {(inds.length > 0 || manage) && (
            <Stack gap="xs" mt="xs" component="section" aria-label={t("results:indicatorsOf", { name: r.code || r.title })}>
              {inds.map((i) => (
                <IndicatorView
                  key={i.name}
                  indicator={i}
                  periods={periods}
                  actions={
                    manage && (
                      <Button size="compact-xs" variant="subtle" onClick={() => setIndicatorTarget({ project: projectName, indicator: i })} aria-label={t("results:form.editNamed", { name: i.code || i.title })}>
                        {t("common:actions.edit")}
                      </Button>
                    )
                  }
                />
              ))}
              {manage && (
                <Group gap="xs">
                  <Button size="compact-sm" variant="light" onClick={() => setIndicatorTarget({ project: projectName, result: r.name })} aria-label={t("results:form.addIndicatorTo", { name: r.code || r.title })}>
                    + {t("results:form.addIndicator")}
                  </Button>
                  {next && (
                    <Button size="compact-sm" variant="light" color={levelColour[next]} onClick={() => setResultTarget({ project: projectName, level: next, parent: r.name })}>
                      + {next === ResultLevel.OUTPUT ? t("results:form.addOutput") : t("results:form.addSpecific")}
                    </Button>
                  )}
                </Group>
              )}
            </Stack>
          )}
          {children.length > 0 && (
            <Stack component="ul" gap="sm" mt="sm" p={0} m={0}>
              {children.map((c) => node(c, depth + 1))}
            </Stack>
          )}
        </Paper>
      </Box>
    );
  };

  return (
    <>
      <PageHeader
        title={t("results:title")}
        back={back}
        subtitle={`${project.code} · ${project.title}`}
        actions={
          <>
            <Button component={Link} href={`/activities?project=${id}`} variant="default">
              {t("results:activitiesLink")}
            </Button>
            {project.grant && (
              <Button component={Link} href={`/${project.grant}/results`} variant="default">
                {t("results:grantRollupLink")}
              </Button>
            )}
            {manage && !results.some((r) => r.level === ResultLevel.OVERALL_OBJECTIVE) && !resultsQ.isPending && (
              <Button onClick={() => setResultTarget({ project: projectName, level: ResultLevel.OVERALL_OBJECTIVE })}>+ {t("results:form.addOverall")}</Button>
            )}
          </>
        }
      />
      {!manage && (
        <Text size="sm" c="gray.7" mb="sm">
          {t("results:readOnly")}
        </Text>
      )}
      {resultsQ.error || indicatorsQ.error ? (
        <LoadError error={resultsQ.error ?? indicatorsQ.error} onRetry={() => void (resultsQ.refetch(), indicatorsQ.refetch())} />
      ) : resultsQ.isPending || indicatorsQ.isPending ? (
        <Stack gap="sm" aria-busy="true">
          <Skeleton h={120} />
          <Skeleton h={120} />
        </Stack>
      ) : results.length === 0 ? (
        <Empty>{manage ? t("results:emptyManage") : t("results:empty")}</Empty>
      ) : (
        <Stack component="ul" gap="md" p={0} m={0} aria-label={t("results:title")}>
          {roots.map((r) => node(r, 0))}
        </Stack>
      )}
      <ResultModal target={resultTarget} onClose={() => setResultTarget(undefined)} />
      <IndicatorModal target={indicatorTarget && { ...indicatorTarget, results, periods }} onClose={() => setIndicatorTarget(undefined)} />
    </>
  );
}
