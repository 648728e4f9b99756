// /activities: the activities of every project the user may read, filtered
// by project, country, type and period (kept in the address, so a filtered
// list can be shared), with the participant totals of everything the filter
// matches, by sex and by age group, newest first. Cards on phones, a table
// on wider screens. "Log an activity" for those who may.
import { DateField } from "../../components/shared/DateField";
import { useMemo } from "react";
import { Alert, Badge, Button, Group, Paper, Select, SimpleGrid, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { Link, useSearchParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ActivityService, type Activity } from "../../gen/pactum/v1/activity_pb";
import { errorMessage } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { useProjects } from "../../components/projects/lookups";
import { useCountryName } from "../../components/projects/Countries";
import { RecordLink } from "../../components/projects/RecordLink";
import { LoadMore } from "../../components/shared/ui";
import { typeLabel, typeOptions } from "../../components/activities/labels";

// "projects/p1/activities/a1" -> "/projects/p1/activities/a1"
const href = (a: Activity) => `/${a.name}`;
const projectOf = (a: Activity) => a.name.split("/activities/")[0];

export default function Activities() {
  const { t } = useTranslation(["activities", "common"]);
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const project = params.get("project") ?? "";
  const country = params.get("country") ?? "";
  const type = params.get("type") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const projects = useProjects();
  const countryName = useCountryName();
  const narrow = useMediaQuery("(max-width: 48em)", window.matchMedia("(max-width: 48em)").matches, { getInitialValueInEffect: false });

  const validDate = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? s : "");
  const q = useInfiniteQuery(
    ActivityService.method.listActivities,
    {
      parent: project ? `projects/${project}` : "projects/-",
      pageSize: 100,
      pageToken: "",
      countryCode: country,
      type: Number(type) || 0,
      startDate: validDate(from),
      endDate: validDate(to),
      orderBy: "start_date desc",
    },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const activities = q.data?.pages.flatMap((p) => p.activities) ?? [];
  const first = q.data?.pages[0];
  const totals = first?.participantTotals;

  // Age groups over every matching activity, as the server adds them up.
  const ages = useMemo(
    () =>
      (first?.participantsByAgeTotals ?? [])
        .map((g) => [g.ageGroup, g.count] as const)
        .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })),
    [first],
  );

  const set = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const filtered = !!(project || country || type || from || to);

  const projectOptions = [...projects.list]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((p) => ({ value: p.name.slice("projects/".length), label: p.code ? `${p.code} – ${p.title}` : p.title }));
  const countryOptions = [...new Set(projects.list.flatMap((p) => p.countryCodes).concat(country ? [country] : []))]
    .map((c) => ({ value: c, label: countryName(c) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const loggable = projects.list.filter((p) => p.callerCanLogActivities);
  const logHref = (() => {
    const chosen = project ? loggable.find((p) => p.name === `projects/${project}`) : loggable.length === 1 ? loggable[0] : undefined;
    return chosen ? `/${chosen.name}/activities/new` : undefined;
  })();
  const projectCode = (a: Activity) => projects.get(projectOf(a))?.code ?? "";
  const dates = (a: Activity) => (a.endDate && a.endDate !== a.startDate ? `${fmt.date(a.startDate)} – ${fmt.date(a.endDate)}` : fmt.date(a.startDate));
  const where = (a: Activity) => [a.place, a.countryCode ? countryName(a.countryCode) : ""].filter(Boolean).join(", ");

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Title order={2}>{t("activities:title")}</Title>
        {logHref ? (
          <Button component={Link} href={logHref}>
            {t("activities:log")}
          </Button>
        ) : (
          loggable.length > 1 && (
            <Text size="sm" c="dimmed">
              {t("activities:chooseProjectToLog")}
            </Text>
          )
        )}
      </Group>

      <Paper withBorder radius="md" p="sm" role="search" aria-label={t("activities:filters.label")}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
          <Select
            label={t("activities:filters.project")}
            placeholder={t("activities:filters.anyProject")}
            data={projectOptions}
            value={project || null}
            onChange={(v) => set("project", v)}
            clearable
            searchable
            nothingFoundMessage={t("common:empty")}
            clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
          />
          <Select
            label={t("activities:filters.country")}
            placeholder={t("activities:filters.anyCountry")}
            data={countryOptions}
            value={country || null}
            onChange={(v) => set("country", v)}
            clearable
            searchable
            nothingFoundMessage={t("common:empty")}
            clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
          />
          <Select
            label={t("activities:filters.type")}
            placeholder={t("activities:filters.anyType")}
            data={typeOptions(t)}
            value={type || null}
            onChange={(v) => set("type", v)}
            clearable
            clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
          />
          <DateField label={t("activities:filters.from")} value={from} onChange={(v) => set("from", v ?? "")} maxDate={to || undefined} />
          <DateField label={t("activities:filters.to")} value={to} onChange={(v) => set("to", v ?? "")} minDate={from || undefined} />
        </SimpleGrid>
        {filtered && (
          <Group justify="flex-end" mt="xs">
            <Button variant="default" size="xs" onClick={() => setParams({}, { replace: true })}>
              {t("common:actions.clear")}
            </Button>
          </Group>
        )}
      </Paper>

      {q.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(q.error, t)}
        </Alert>
      )}

      {first && (
        <section aria-labelledby="activity-totals">
          <Title order={3} size="h5" mb="xs" id="activity-totals">
            {filtered ? t("activities:totals.titleFiltered") : t("activities:totals.title")}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm" data-testid="activity-totals">
            <Stat label={t("activities:totals.activities")} value={fmt.number(first.totalSize)} testId="total-activities" />
            <Stat label={t("activities:totals.participants")} value={fmt.number(totals?.total ?? 0)} strong testId="total-participants" />
            <Stat label={t("activities:participants.women")} value={fmt.number(totals?.women ?? 0)} />
            <Stat label={t("activities:participants.men")} value={fmt.number(totals?.men ?? 0)} />
            <Stat label={t("activities:participants.other")} value={fmt.number(totals?.otherOrNotStated ?? 0)} />
          </SimpleGrid>
          {ages.length > 0 && (
            <Text size="sm" c="gray.7" mt="xs">
              {t("activities:totals.ages")}: {ages.map(([g, n]) => `${g}: ${fmt.number(n)}`).join(" · ")}
              {first && first.participantsWithoutAge > 0 && ` · ${t("activities:totals.withoutAge", { n: fmt.number(first.participantsWithoutAge) })}`}
            </Text>
          )}
        </section>
      )}

      {q.isPending ? (
        <Stack gap="xs" aria-busy="true">
          <Skeleton h={48} />
          <Skeleton h={48} />
          <Skeleton h={48} />
        </Stack>
      ) : activities.length === 0 ? (
        <Text>{filtered ? t("activities:noneMatch") : t("activities:none")}</Text>
      ) : narrow ? (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }} aria-label={t("activities:title")}>
          {activities.map((a) => (
            <Paper component="li" key={a.name} withBorder radius="md" p="sm">
              <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                <RecordLink href={href(a)} fw={600} style={{ overflowWrap: "anywhere" }}>
                  {a.title}
                </RecordLink>
                <Badge variant="light" color="teal" style={{ flexShrink: 0 }}>
                  {typeLabel(t, a.type)}
                </Badge>
              </Group>
              <Text size="sm" c="gray.7">
                {[projectCode(a), dates(a), where(a)].filter(Boolean).join(" · ")}
              </Text>
              <Text size="sm">{t("activities:participants.summary", { total: fmt.number(a.participants?.total ?? 0), women: fmt.number(a.participants?.women ?? 0), men: fmt.number(a.participants?.men ?? 0) })}</Text>
            </Paper>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Caption style={{ captionSide: "top", textAlign: "start" }}>
              {t("activities:count", { count: activities.length, total: first?.totalSize ?? activities.length })}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("activities:fields.title")}</Table.Th>
                <Table.Th scope="col">{t("activities:fields.type")}</Table.Th>
                <Table.Th scope="col">{t("activities:columns.project")}</Table.Th>
                <Table.Th scope="col">{t("activities:fields.dates")}</Table.Th>
                <Table.Th scope="col">{t("activities:columns.where")}</Table.Th>
                <Table.Th scope="col" ta="end">
                  {t("activities:participants.women")}
                </Table.Th>
                <Table.Th scope="col" ta="end">
                  {t("activities:participants.men")}
                </Table.Th>
                <Table.Th scope="col" ta="end">
                  {t("activities:participants.total")}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {activities.map((a) => (
                <Table.Tr key={a.name}>
                  <Table.Td>
                    <RecordLink href={href(a)} fw={500}>
                      {a.title}
                    </RecordLink>
                  </Table.Td>
                  <Table.Td>{typeLabel(t, a.type)}</Table.Td>
                  <Table.Td>{projectCode(a)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{dates(a)}</Table.Td>
                  <Table.Td>{where(a)}</Table.Td>
                  <Table.Td ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {fmt.number(a.participants?.women ?? 0)}
                  </Table.Td>
                  <Table.Td ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {fmt.number(a.participants?.men ?? 0)}
                  </Table.Td>
                  <Table.Td ta="end" fw={600} style={{ fontVariantNumeric: "tabular-nums" }}>
                    {fmt.number(a.participants?.total ?? 0)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore hasMore={q.hasNextPage} loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} />
    </Stack>
  );
}

function Stat({ label, value, strong, testId }: { label: string; value: string; strong?: boolean; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="xs">
      <Text size="xs" c="gray.7">
        {label}
      </Text>
      <Text size="lg" fw={strong ? 700 : 600} style={{ fontVariantNumeric: "tabular-nums" }} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}
