// The milestones calendar: a month (with @mantine/dates) whose days carry a
// dot per milestone due, coloured by status, and the milestones of the
// chosen day (or of the month shown) listed below with their status in
// words. Its own chunk: only loaded when someone opens the calendar.
import "@mantine/dates/styles.css";
import "dayjs/locale/fr";
import "dayjs/locale/es";
import "dayjs/locale/pt-br";
import { useEffect, useMemo, useState } from "react";
import { Alert, Box, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { Calendar, DatesProvider } from "@mantine/dates";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import { MilestoneService, MilestoneStatus, MilestoneStatusSchema, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import { enumLabel } from "../../lib/enums";
import { errorMessage } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { MilestoneActions, type Done } from "./MilestoneActions";
import { CardList, MilestoneCard, type Names } from "./MilestoneCard";
import { statusColour } from "./MilestoneStatusBadge";
import { todayISO } from "./milestoneRules";

export interface Filters {
  grant: string;
  status: number;
  kind: number;
}

const dayjsLocale: Record<string, string> = { en: "en", fr: "fr", es: "es", pt: "pt-br" };
// Most urgent first, for the order of a day's dots.
const urgency: Record<number, number> = {
  [MilestoneStatus.OVERDUE]: 0,
  [MilestoneStatus.DUE_SOON]: 1,
  [MilestoneStatus.UPCOMING]: 2,
  [MilestoneStatus.SUBMITTED]: 3,
  [MilestoneStatus.ACCEPTED]: 4,
};

const legend = [MilestoneStatus.OVERDUE, MilestoneStatus.DUE_SOON, MilestoneStatus.UPCOMING, MilestoneStatus.SUBMITTED, MilestoneStatus.ACCEPTED];

interface Props {
  filters: Filters;
  names: Names;
  onDone: (d: Done) => void;
}

export default function MilestoneCalendar({ filters, names, onDone }: Props) {
  const { t, i18n } = useTranslation("milestones");
  const f = useFormat();
  const today = todayISO();
  const [month, setMonth] = useState(today.slice(0, 7) + "-01");
  const [selected, setSelected] = useState<string | null>(null);

  // Every milestone matching the filters, a page of 1000 at a time (the
  // list has no date filter).
  const q = useInfiniteQuery(
    MilestoneService.method.listMilestones,
    { pageSize: 1000, pageToken: "", ...filters },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = q;
  const pages = q.data?.pages.length ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && pages < 20) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, pages]);

  const byDay = useMemo(() => {
    const m = new Map<string, Milestone[]>();
    for (const p of q.data?.pages ?? [])
      for (const x of p.milestones) {
        if (!x.dueDate) continue;
        const l = m.get(x.dueDate) ?? [];
        l.push(x);
        m.set(x.dueDate, l);
      }
    for (const l of m.values()) l.sort((a, b) => (urgency[a.status] ?? 9) - (urgency[b.status] ?? 9));
    return m;
  }, [q.data]);

  const monthKey = month.slice(0, 7);
  const shown: Milestone[] = selected
    ? (byDay.get(selected) ?? [])
    : [...byDay.entries()].filter(([d]) => d.startsWith(monthKey)).sort(([a], [b]) => a.localeCompare(b)).flatMap(([, l]) => l);
  const nextDay = selected ? undefined : [...byDay.keys()].filter((d) => d.slice(0, 7) > monthKey).sort()[0];
  const monthLabel = new Intl.DateTimeFormat(f.locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1)),
  );

  return (
    <DatesProvider settings={{ locale: dayjsLocale[i18n.language] ?? "en", firstDayOfWeek: 1 }}>
      <Stack gap="md">
        {q.error && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(q.error, t)}
          </Alert>
        )}
        <Paper withBorder radius="md" p={{ base: 4, sm: "md" }} aria-busy={q.isPending || q.hasNextPage}>
          <Calendar
            date={month}
            onDateChange={(d) => {
              setMonth(d);
              setSelected(null);
            }}
            fullWidth
            size="md"
            highlightToday
            weekendDays={[]}
            hideOutsideDates
            styles={{
              weekday: { color: "var(--mantine-color-gray-7)", fontWeight: 600 },
              day: { width: "100%", height: 54, borderRadius: 8 },
            }}
            ariaLabels={{
              nextMonth: t("calendar.nextMonth"),
              previousMonth: t("calendar.previousMonth"),
              nextYear: t("calendar.nextYear"),
              previousYear: t("calendar.previousYear"),
              nextDecade: t("calendar.nextDecade"),
              previousDecade: t("calendar.previousDecade"),
              monthLevelControl: t("calendar.chooseMonth"),
              yearLevelControl: t("calendar.chooseYear"),
            }}
            getDayProps={(date) => ({
              selected: date === selected,
              onClick: () => setSelected(date === selected ? null : date),
              "aria-pressed": date === selected,
            })}
            getDayAriaLabel={(date) => {
              const n = byDay.get(date)?.length ?? 0;
              return n ? t("calendar.dayWith", { date: f.date(date), count: n }) : f.date(date);
            }}
            renderDay={(date) => {
              const list = byDay.get(date) ?? [];
              return (
                <Box style={{ display: "flex", flexDirection: "column", alignItems: "center", gap: 2, lineHeight: 1 }}>
                  <span>{Number(date.slice(8, 10))}</span>
                  <span style={{ display: "flex", gap: 3, height: 8 }} aria-hidden>
                    {list.slice(0, 4).map((m) => (
                      <span key={m.name} style={{ width: 8, height: 8, borderRadius: 8, background: statusColour(m.status), boxShadow: "0 0 0 1px #fff" }} />
                    ))}
                  </span>
                </Box>
              );
            }}
          />
          <Group gap="md" justify="center" mt="xs" px="xs" aria-hidden>
            {legend.map((st) => (
              <Group key={st} gap={6} wrap="nowrap">
                <span style={{ width: 10, height: 10, borderRadius: 10, background: statusColour(st), display: "inline-block" }} />
                <Text size="xs" c="gray.7">
                  {enumLabel(t, "milestoneStatus", MilestoneStatusSchema, st)}
                </Text>
              </Group>
            ))}
          </Group>
        </Paper>

        <Stack gap="sm" component="section" aria-labelledby="calendar-day" aria-live="polite">
          <Group justify="space-between" align="baseline">
            <Title order={3} size="h4" id="calendar-day">
              {selected ? t("calendar.onDay", { date: f.date(selected) }) : t("calendar.inMonth", { month: monthLabel })}
            </Title>
            {selected && (
              <Button variant="default" size="xs" onClick={() => setSelected(null)}>
                {t("calendar.wholeMonth")}
              </Button>
            )}
          </Group>
          {q.isPending ? (
            <Text c="gray.7">{t("common:loading")}</Text>
          ) : shown.length === 0 ? (
            <Group gap="sm">
              <Text>{selected ? t("calendar.noneOnDay") : t("calendar.noneInMonth")}</Text>
              {nextDay && (
                <Button variant="default" size="xs" onClick={() => setMonth(nextDay.slice(0, 7) + "-01")}>
                  {t("calendar.nextDue", { date: f.date(nextDay) })}
                </Button>
              )}
            </Group>
          ) : (
            <CardList>
              {shown.map((m) => (
                <MilestoneCard key={m.name} milestone={m} names={names} actions={<MilestoneActions milestone={m} onDone={onDone} />} />
              ))}
            </CardList>
          )}
        </Stack>
      </Stack>
    </DatesProvider>
  );
}
