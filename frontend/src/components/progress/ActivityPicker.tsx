// The period's activities, picked from the project's activity log: by
// default those that take place within the update's period or in the month
// around it, with "show all" for the rest. The ones already picked always
// show. Read-only, the picked ones as a list.
import { useState } from "react";
import { Alert, Anchor, Checkbox, Group, Loader, Stack, Switch, Text } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { ActivityService, type Activity } from "../../gen/pactum/v1/activity_pb";
import { errorMessage } from "../../lib/errors";
import { useFormat } from "../../lib/format";

const dayMs = 86_400_000;
const margin = 31 * dayMs;

function day(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, (m || 1) - 1, d || 1);
}

// near: the activity overlaps the period widened by a month either side.
function near(a: Activity, start: string, end: string): boolean {
  if (!start || !end || !a.startDate) return true;
  const aStart = day(a.startDate);
  const aEnd = day(a.endDate || a.startDate);
  return aEnd >= day(start) - margin && aStart <= day(end) + margin;
}

function activityPath(name: string): string {
  // "projects/{p}/activities/{a}" -> "/projects/{p}/activities/{a}"
  return `/${name}`;
}

export function ActivityPicker({
  project,
  periodStart,
  periodEnd,
  selected,
  editable,
  onChange,
}: {
  project: string;
  periodStart: string;
  periodEnd: string;
  selected: string[];
  editable: boolean;
  onChange: (v: string[]) => void;
}) {
  const { t } = useTranslation("progress");
  const fmt = useFormat();
  const [all, setAll] = useState(false);
  const q = useQuery(ActivityService.method.listActivities, { parent: project, pageSize: 1000 }, { enabled: !!project });
  const activities = q.data?.activities ?? [];
  const picked = new Set(selected);
  const shown = activities.filter((a) => picked.has(a.name) || all || near(a, periodStart, periodEnd));
  const hiddenCount = activities.length - shown.length;
  const dates = (a: Activity) => (a.endDate && a.endDate !== a.startDate ? `${fmt.date(a.startDate)} – ${fmt.date(a.endDate)}` : fmt.date(a.startDate));
  const detail = (a: Activity) =>
    [dates(a), a.place, a.participants?.total ? t("activities.participants", { count: a.participants.total, formatted: fmt.number(a.participants.total) }) : ""]
      .filter(Boolean)
      .join(" · ");

  if (q.isLoading) return <Loader size="sm" aria-label={t("common:loading")} />;
  if (q.error) {
    return (
      <Alert color="red" variant="light" role="alert">
        {errorMessage(q.error, t)}
      </Alert>
    );
  }

  if (!editable) {
    const list = activities.filter((a) => picked.has(a.name));
    // Picked activities the caller cannot list (or since removed) by name.
    const unknown = selected.filter((n) => !activities.some((a) => a.name === n));
    if (list.length === 0 && unknown.length === 0) {
      return (
        <Text size="sm" c="dimmed">
          {t("activities.nonePicked")}
        </Text>
      );
    }
    return (
      <ul className="pactum-plain-list">
        {list.map((a) => (
          <li key={a.name}>
            <Anchor component={Link} href={activityPath(a.name)} fz="sm">
              {a.title}
            </Anchor>
            <Text size="xs" c="dimmed">
              {detail(a)}
            </Text>
          </li>
        ))}
        {unknown.map((n) => (
          <li key={n}>
            <Text size="sm">{n}</Text>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm" c="dimmed">
          {all ? t("activities.showingAll") : t("activities.showingPeriod", { start: fmt.date(periodStart), end: fmt.date(periodEnd) })}
        </Text>
        <Switch label={t("activities.showAll")} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
      </Group>
      {shown.length === 0 ? (
        <Text size="sm" c="dimmed">
          {activities.length === 0 ? t("activities.noneInLog") : t("activities.noneInPeriod", { count: hiddenCount })}
        </Text>
      ) : (
        <Stack gap="xs" role="group" aria-label={t("sections.activities")}>
          {shown.map((a) => (
            <Checkbox
              key={a.name}
              checked={picked.has(a.name)}
              onChange={(e) => onChange(e.currentTarget.checked ? [...selected, a.name] : selected.filter((x) => x !== a.name))}
              label={a.title}
              description={detail(a)}
            />
          ))}
        </Stack>
      )}
      {!all && hiddenCount > 0 && shown.length > 0 && (
        <Text size="xs" c="dimmed">
          {t("activities.hidden", { count: hiddenCount })}
        </Text>
      )}
    </Stack>
  );
}
