// The dashboard of coordinators, finance officers, auditors and admins:
// a few counts, their grants with how much of each implementation period
// has passed, and what falls due in the next 60 days (overdue first).
import { useState } from "react";
import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery, useQuery } from "@connectrpc/connect-query";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { GrantState, GrantStateSchema, type Grant } from "../../gen/pactum/v1/grant_pb";
import { MilestoneService, MilestoneStatus } from "../../gen/pactum/v1/milestone_pb";
import { ProgressUpdateService, ProgressUpdateState } from "../../gen/pactum/v1/progress_update_pb";
import { enumLabel } from "../../lib/enums";
import { errorMessage } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { DoneMessage, type Done } from "../../components/milestones/MilestoneActions";
import { MilestoneTable } from "../../components/milestones/MilestoneTable";
import { daysBetween, elapsedPercent, idOf, todayISO } from "../../components/milestones/milestoneRules";
import { useGrants, useOrganisations, useProjects } from "../../components/projects/lookups";
import { RecordLink } from "../../components/projects/RecordLink";
import { DashboardBurn } from "../../components/budget/DashboardBurn";
import { CoordinatorWork } from "./CoordinatorWork";

const stateLook: Record<number, { bg: string; fg: string; bd: string }> = {
  [GrantState.ACTIVE]: { bg: "#ebfbee", fg: "#1e6b30", bd: "#b2f2bb" },
  [GrantState.DRAFT]: { bg: "#f1f3f5", fg: "#495057", bd: "#dee2e6" },
  [GrantState.CLOSED]: { bg: "#343a40", fg: "#ffffff", bd: "#343a40" },
};
const stateOrder: Record<number, number> = { [GrantState.ACTIVE]: 0, [GrantState.DRAFT]: 1, [GrantState.CLOSED]: 2 };

export default function CoordinatorDashboard() {
  const { t } = useTranslation(["dashboard", "milestones"]);
  const grants = useGrants();
  const projects = useProjects();
  const organisations = useOrganisations();
  const due = useInfiniteQuery(
    MilestoneService.method.listDueMilestones,
    { withinDays: 60, pageSize: 100, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const [done, setDone] = useState<Done | null>(null);
  // Partners' updates waiting for this user's review (first and later rounds).
  const submitted = useQuery(ProgressUpdateService.method.listProgressUpdates, { pageSize: 100, state: ProgressUpdateState.SUBMITTED });
  const resubmitted = useQuery(ProgressUpdateService.method.listProgressUpdates, { pageSize: 100, state: ProgressUpdateState.RESUBMITTED });
  const reviewList = [...(submitted.data?.progressUpdates ?? []), ...(resubmitted.data?.progressUpdates ?? [])].filter((u) => u.callerCanReview);

  const milestones = due.data?.pages.flatMap((p) => p.milestones) ?? [];
  const overdue = milestones.filter((m) => m.status === MilestoneStatus.OVERDUE).length;
  const more = due.hasNextPage ? "+" : "";
  const sorted = [...grants.list].sort((a, b) => (stateOrder[a.state] ?? 9) - (stateOrder[b.state] ?? 9));
  const active = grants.list.filter((g) => g.state === GrantState.ACTIVE).length;
  const names = { grant: grants.get, project: projects.get, organisation: organisations.get };

  return (
    <Stack gap="xl">
      <Title order={2}>{t("coordinator.title")}</Title>

      <SimpleGrid cols={3} spacing={{ base: 6, sm: "sm" }} component="section" aria-label={t("coordinator.summary")}>
        <Stat label={t("coordinator.activeGrants")} value={grants.isPending ? null : String(active)} />
        <Stat
          label={t("coordinator.overdue")}
          value={due.isPending ? null : `${overdue}${more}`}
          alert={overdue > 0}
          help={overdue > 0 ? t("coordinator.overdueHelp") : t("coordinator.noneOverdue")}
        />
        <Stat label={t("coordinator.dueSoon")} value={due.isPending ? null : `${milestones.length - overdue}${more}`} help={t("coordinator.dueSoonHelp")} />
      </SimpleGrid>

      <CoordinatorWork grants={grants.list} toReview={reviewList} />

      <Stack gap="sm" component="section" aria-labelledby="dash-grants">
        <Group justify="space-between" align="baseline">
          <Title order={3} id="dash-grants">
            {t("coordinator.grantsTitle")}
          </Title>
          <RecordLink href="/grants" size="sm">
            {t("coordinator.allGrants")}
          </RecordLink>
        </Group>
        {grants.error && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(grants.error, t)}
          </Alert>
        )}
        {grants.isPending ? (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
            <Skeleton h={200} radius="md" />
            <Skeleton h={200} radius="md" />
          </SimpleGrid>
        ) : sorted.length === 0 ? (
          <Text>{t("coordinator.noGrants")}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
            {sorted.map((g) => (
              <GrantCard key={g.name} grant={g} />
            ))}
          </SimpleGrid>
        )}
      </Stack>

      <Stack gap="sm" component="section" aria-labelledby="dash-due">
        <Group justify="space-between" align="baseline">
          <div>
            <Title order={3} id="dash-due">
              {t("coordinator.dueTitle")}
            </Title>
            <Text size="sm" c="gray.7">
              {t("coordinator.dueHelp")}
            </Text>
          </div>
          <RecordLink href="/milestones" size="sm">
            {t("coordinator.allMilestones")}
          </RecordLink>
        </Group>
        <DoneMessage done={done} onClose={() => setDone(null)} />
        {due.error && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(due.error, t)}
          </Alert>
        )}
        {due.isPending ? (
          <Skeleton h={160} radius="md" />
        ) : milestones.length === 0 ? (
          <Text>{t("coordinator.nothingDue")}</Text>
        ) : (
          <MilestoneTable milestones={milestones} names={names} onDone={setDone} caption={t("coordinator.dueTitle")} />
        )}
        {due.hasNextPage && (
          <Group>
            <Button variant="default" loading={due.isFetchingNextPage} onClick={() => void due.fetchNextPage()}>
              {t("common:actions.more")}
            </Button>
          </Group>
        )}
      </Stack>
    </Stack>
  );
}

function Stat({ label, value, help, alert }: { label: string; value: string | null; help?: string; alert?: boolean }) {
  return (
    <Paper withBorder radius="md" p={{ base: "xs", sm: "md" }} style={alert ? { borderColor: "#c92a2a", borderLeftWidth: 4 } : undefined}>
      <Text fz={{ base: "xs", sm: "sm" }} c={alert ? "red.9" : "gray.7"} fw={500} lh={1.3}>
        {alert && <IconAlertTriangle size={14} stroke={2.2} style={{ verticalAlign: -2, marginInlineEnd: 4 }} aria-hidden />}
        {label}
      </Text>
      {value === null ? <Skeleton h={32} w={60} mt={4} /> : (
        <Text fz={{ base: 24, sm: 28 }} fw={700} c={alert ? "red.9" : undefined} lh={1.3}>
          {value}
        </Text>
      )}
      {help && (
        <Text size="xs" c="gray.7" visibleFrom="sm">
          {help}
        </Text>
      )}
    </Paper>
  );
}

function GrantCard({ grant: g }: { grant: Grant }) {
  const { t } = useTranslation("dashboard");
  const f = useFormat();
  const today = todayISO();
  const pct = elapsedPercent(g.startDate, g.endDate, today);
  const look = stateLook[g.state] ?? stateLook[GrantState.DRAFT];
  const notStarted = g.startDate && today < g.startDate;
  const ended = g.endDate && today > g.endDate;
  const left = g.endDate ? daysBetween(today, g.endDate) : 0;
  const periodText = notStarted
    ? t("coordinator.startsOn", { date: f.date(g.startDate) })
    : ended
      ? t("coordinator.periodEnded", { date: f.date(g.endDate) })
      : t("coordinator.elapsed", { percent: f.number(pct) });

  return (
    <Paper component="li" withBorder radius="md" p="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <div style={{ minWidth: 0 }}>
            <RecordLink href={`/grants/${idOf(g.name)}`} fw={600} size="lg" style={{ overflowWrap: "anywhere" }}>
              {g.title}
            </RecordLink>
            <Text size="sm" c="gray.7" ff="monospace">
              {g.donorReference}
            </Text>
          </div>
          <Badge radius="sm" variant="outline" style={{ "--badge-bg": look.bg, "--badge-color": look.fg, "--badge-bd": `1px solid ${look.bd}`, flexShrink: 0, minWidth: "max-content" } as React.CSSProperties}>
            {enumLabel(t, "grantState", GrantStateSchema, g.state)}
          </Badge>
        </Group>
        <SimpleGrid cols={2} spacing="sm">
          <div>
            <Text size="xs" c="gray.7">
              {t("coordinator.maxContribution")}
            </Text>
            <Text fw={600}>{f.money(g.maxDonorContribution, g.currencyCode) || t("common:none")}</Text>
          </div>
          <div>
            <Text size="xs" c="gray.7">
              {t("coordinator.period")}
            </Text>
            <Text size="sm">
              {f.date(g.startDate)} – {f.date(g.endDate)}
            </Text>
          </div>
        </SimpleGrid>
        <div>
          <Group justify="space-between" gap="xs" mb={4}>
            <Text size="sm" id={`elapsed-${idOf(g.name)}`}>
              {periodText}
            </Text>
            {!notStarted && !ended && g.endDate && (
              <Text size="sm" c="gray.7">
                {t("coordinator.daysLeft", { count: left, formatted: f.number(left) })}
              </Text>
            )}
          </Group>
          <Progress value={pct} color="teal.9" size="md" radius="xl" aria-label={t("coordinator.elapsedLabel")} />
        </div>
        <DashboardBurn grant={g} elapsedPercent={pct} />
      </Stack>
    </Paper>
  );
}
