// What awaits a coordinator now, at the top of their dashboard: partners'
// progress updates awaiting their review (oldest submission first), the
// partners late with theirs (from each grant's progress overview), and the
// donor-rule findings of each grant they manage, with links. Shown only
// where the caller reviews something or manages a grant.
import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { callUnaryMethod, useTransport } from "@connectrpc/connect-query";
import { useQueries } from "@tanstack/react-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { GrantState, type Grant } from "../../gen/pactum/v1/grant_pb";
import { FinanceService, FindingSeverity } from "../../gen/pactum/v1/finance_pb";
import { ProgressUpdateService, type ProgressUpdate } from "../../gen/pactum/v1/progress_update_pb";
import { useFormat } from "../../lib/format";
import { idOf } from "../../components/shared/requestId";
import { usePeriodLabel, useUpdateTitle } from "../../components/progress/period";

const shown = 10;

export function CoordinatorWork({ grants, toReview }: { grants: Grant[]; toReview: ProgressUpdate[] }) {
  const { t } = useTranslation("dashboard");
  const fmt = useFormat();
  const periodLabel = usePeriodLabel();
  const titleOf = useUpdateTitle();
  const transport = useTransport();
  const managed = grants.filter((g) => g.callerCanUpdate && g.state === GrantState.ACTIVE);
  const overviews = useQueries({
    queries: managed.map((g) => ({
      queryKey: ["coordinatorWork", "overview", g.name],
      queryFn: ({ signal }: { signal: AbortSignal }) => callUnaryMethod(transport, ProgressUpdateService.method.getGrantProgressOverview, { grant: g.name }, { signal }),
    })),
  });
  const compliance = useQueries({
    queries: managed.map((g) => ({
      queryKey: ["coordinatorWork", "compliance", g.name],
      queryFn: ({ signal }: { signal: AbortSignal }) => callUnaryMethod(transport, FinanceService.method.checkCompliance, { grant: g.name }, { signal }),
      retry: false,
    })),
  });
  if (managed.length === 0 && toReview.length === 0) return null;

  const awaiting = [...toReview].sort((a, b) => when(a) - when(b));
  const late = overviews
    .flatMap((q, i) => (q.data?.rows ?? []).filter((r) => r.daysOverdue > 0).map((r) => ({ row: r, grant: managed[i] })))
    .sort((a, b) => b.row.daysOverdue - a.row.daysOverdue);
  const findings = managed.map((g, i) => {
    const list = compliance[i].data?.findings ?? [];
    return {
      grant: g,
      loaded: !!compliance[i].data,
      violations: list.filter((f) => f.severity === FindingSeverity.VIOLATION).length,
      warnings: list.filter((f) => f.severity === FindingSeverity.WARNING).length,
    };
  });

  return (
    <Stack gap="md" component="section" aria-labelledby="coord-work" data-testid="coordinator-work">
      <Title order={3} id="coord-work">
        {t("coordinatorWork.title")}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby="coord-review">
          <Group justify="space-between" align="baseline" mb="xs">
            <Title order={4} size="h5" id="coord-review">
              {t("coordinatorWork.review", { count: awaiting.length, formatted: fmt.number(awaiting.length) })}
            </Title>
            <Anchor component={Link} href="/progress" size="sm" c="teal.9">
              {t("coordinatorWork.allUpdates")}
            </Anchor>
          </Group>
          {awaiting.length === 0 ? (
            <Text size="sm" c="gray.7">
              {t("coordinatorWork.noReview")}
            </Text>
          ) : (
            <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: "none" }}>
              {awaiting.slice(0, shown).map((u) => (
                <Group component="li" key={u.name} justify="space-between" gap="xs" wrap="nowrap" data-testid="review-item">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                      {u.organisationDisplayName}
                    </Text>
                    <Text size="xs" c="gray.7">
                      {[titleOf(u), periodLabel(u), u.submitTime ? t("coordinatorWork.submitted", { date: fmt.dateTime(timestampDate(u.submitTime)) }) : ""].filter(Boolean).join(" · ")}
                    </Text>
                  </div>
                  <Button component={Link} href={`/progress/${idOf(u.name)}`} size="xs" color="teal.9" aria-label={`${t("coordinatorWork.reviewIt")}: ${u.organisationDisplayName}, ${titleOf(u)}`} style={{ flexShrink: 0 }}>
                    {t("coordinatorWork.reviewIt")}
                  </Button>
                </Group>
              ))}
              {awaiting.length > shown && (
                <Text size="sm" c="gray.7">
                  {t("coordinatorWork.more", { count: awaiting.length - shown, formatted: fmt.number(awaiting.length - shown) })}
                </Text>
              )}
            </Stack>
          )}
        </Paper>

        <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby="coord-late">
          <Title order={4} size="h5" id="coord-late" mb="xs">
            {t("coordinatorWork.late", { count: late.length, formatted: fmt.number(late.length) })}
          </Title>
          {overviews.some((q) => q.isPending) ? (
            <Text size="sm" c="gray.7" aria-busy="true">
              {t("common:loading")}
            </Text>
          ) : late.length === 0 ? (
            <Text size="sm" c="gray.7">
              {t("coordinatorWork.noneLate")}
            </Text>
          ) : (
            <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: "none" }}>
              {late.slice(0, shown).map(({ row, grant }) => (
                <Group component="li" key={row.milestone} justify="space-between" gap="xs" wrap="nowrap" data-testid="late-item">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                      {row.organisationDisplayName}
                    </Text>
                    <Text size="xs" c="gray.7">
                      {[titleOf(row), t("coordinatorWork.dueOn", { date: fmt.date(row.dueDate) })].join(" · ")}
                    </Text>
                  </div>
                  <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
                    <Badge color="red.8" variant="filled" tt="none">
                      {t("coordinatorWork.daysLate", { count: row.daysOverdue, formatted: fmt.number(row.daysOverdue) })}
                    </Badge>
                    <Anchor component={Link} href={`/grants/${idOf(grant.name)}/progress`} size="sm" c="teal.9">
                      {t("coordinatorWork.overview")}
                    </Anchor>
                  </Group>
                </Group>
              ))}
            </Stack>
          )}
        </Paper>
      </SimpleGrid>

      {managed.length > 0 && (
        <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby="coord-findings">
          <Title order={4} size="h5" id="coord-findings" mb="xs">
            {t("coordinatorWork.findings")}
          </Title>
          <Table.ScrollContainer minWidth={360} type="native">
            <Table verticalSpacing={4}>
              <Table.Caption className="pactum-sr-only">{t("coordinatorWork.findings")}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("coordinatorWork.grant")}</Table.Th>
                  <Table.Th scope="col">{t("coordinatorWork.violations")}</Table.Th>
                  <Table.Th scope="col">{t("coordinatorWork.warnings")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {findings.map((f) => (
                  <Table.Tr key={f.grant.name} data-testid="findings-row">
                    <Table.Td>
                      <Anchor component={Link} href={`/grants/${idOf(f.grant.name)}/budget`} size="sm" c="teal.9">
                        {f.grant.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {!f.loaded ? "…" : f.violations > 0 ? (
                        <Badge color="red.8" variant="filled" tt="none">
                          {fmt.number(f.violations)}
                        </Badge>
                      ) : (
                        fmt.number(0)
                      )}
                    </Table.Td>
                    <Table.Td>{!f.loaded ? "…" : fmt.number(f.warnings)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}

function when(u: ProgressUpdate): number {
  return u.submitTime ? timestampDate(u.submitTime).getTime() : 0;
}
