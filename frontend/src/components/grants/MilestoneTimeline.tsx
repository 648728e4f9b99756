// MilestoneTimeline: a grant's reporting milestones by due date, each with
// its status in colour (overdue red, due soon orange, submitted blue,
// accepted green, upcoming grey), how far off or late it is, the period it
// covers and who must deliver it.
import { useState, type ReactNode } from "react";
import { Group, Stack, Switch, Text, Timeline } from "@mantine/core";
import { IconAlertTriangle, IconCalendar, IconCheck, IconClock, IconSend, IconX } from "@tabler/icons-react";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import { MilestoneKindSchema, MilestoneService, MilestoneStatus, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import { enumLabel } from "../../lib/enums";
import { useFormat } from "../../lib/format";
import { OrganisationName } from "../organisations/OrganisationName";
import { MilestoneStatusBadge, milestoneColours } from "./badges";
import { daysBetween, todayISO } from "./period";
import { Empty, LoadError, LoadMore } from "../shared/ui";
import { CancelNote } from "../milestones/CancelNote";

const icons: Record<number, typeof IconCheck> = {
  [MilestoneStatus.OVERDUE]: IconAlertTriangle,
  [MilestoneStatus.DUE_SOON]: IconClock,
  [MilestoneStatus.SUBMITTED]: IconSend,
  [MilestoneStatus.ACCEPTED]: IconCheck,
  [MilestoneStatus.UPCOMING]: IconCalendar,
  [MilestoneStatus.CANCELLED]: IconX,
};

const open = (s: MilestoneStatus) => s === MilestoneStatus.OVERDUE || s === MilestoneStatus.DUE_SOON || s === MilestoneStatus.UPCOMING;

// actions: what the user may do with a milestone (edit, cancel), if anything.
export function MilestoneTimeline({ grant, actions }: { grant: string; actions?: (m: Milestone) => ReactNode }) {
  const { t } = useTranslation(["grants", "common"]);
  const fmt = useFormat();
  const [onlyOpen, setOnlyOpen] = useState(false);
  const q = useInfiniteQuery(
    MilestoneService.method.listMilestones,
    { grant, pageSize: 100, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const all = q.data?.pages.flatMap((p) => p.milestones) ?? [];
  const items = onlyOpen ? all.filter((m) => open(m.status)) : all;
  const today = todayISO();
  const rel = new Intl.RelativeTimeFormat(fmt.locale, { numeric: "auto" });

  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  if (q.isLoading) return <Empty>{t("common:loading")}</Empty>;
  return (
    <Stack gap="md">
      <Group justify="space-between" gap="xs">
        <Text size="sm" c="dimmed">
          {t("grants:milestones.summary", {
            open: all.filter((m) => open(m.status)).length,
            overdue: all.filter((m) => m.status === MilestoneStatus.OVERDUE).length,
          })}
        </Text>
        <Switch label={t("grants:milestones.onlyOpen")} checked={onlyOpen} onChange={(e) => setOnlyOpen(e.currentTarget.checked)} />
      </Group>
      {items.length === 0 ? (
        <Empty>{onlyOpen ? t("grants:milestones.noneOpen") : t("grants:milestones.none")}</Empty>
      ) : (
        <Timeline active={items.length - 1} bulletSize={26} lineWidth={2} role="list" aria-label={t("grants:milestones.title")}>
          {items.map((m) => {
            const Icon = icons[m.status] ?? IconCalendar;
            const days = m.dueDate ? daysBetween(today, m.dueDate) : 0;
            const isOpen = open(m.status);
            // Generated milestones are named by their kind, in the user's
            // language; hand-made (or edited) ones keep their title.
            const kind = enumLabel(t, "milestoneKind", MilestoneKindSchema, m.kind);
            const named = !(m.generated && !m.edited) && !!m.title;
            return (
              <Timeline.Item
                key={m.name}
                role="listitem"
                color={m.status === MilestoneStatus.UPCOMING || m.status === MilestoneStatus.CANCELLED ? "gray.5" : (milestoneColours[m.status] ?? "gray")}
                bullet={<Icon size={14} aria-hidden />}
                title={
                  <Group gap="xs" wrap="wrap">
                    <Text fw={600} size="sm" component="span" style={{ overflowWrap: "anywhere" }}>
                      {named ? m.title : kind}
                    </Text>
                    <MilestoneStatusBadge status={m.status} />
                  </Group>
                }
              >
                <Text size="sm">
                  <Text span fw={600}>
                    {t("grants:milestones.due", { date: fmt.date(m.dueDate) })}
                  </Text>
                  {isOpen && m.dueDate && (
                    <Text span c={m.status === MilestoneStatus.OVERDUE ? "red.8" : "dimmed"}>
                      {" "}
                      ({rel.format(days, "day")})
                    </Text>
                  )}
                </Text>
                <Text size="xs" c="dimmed" mt={2}>
                  {[named ? kind : "", m.periodStartDate ? t("grants:milestones.period", { start: fmt.date(m.periodStartDate), end: fmt.date(m.periodEndDate) }) : ""]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
                {m.responsibleOrganisation && (
                  <Text size="xs" c="dimmed" mt={2}>
                    {t("grants:milestones.responsible")} <OrganisationName name={m.responsibleOrganisation} short />
                  </Text>
                )}
                <CancelNote milestone={m} />
                {actions && <div style={{ marginTop: 6 }}>{actions(m)}</div>}
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
      <LoadMore hasMore={q.hasNextPage} loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} />
    </Stack>
  );
}
