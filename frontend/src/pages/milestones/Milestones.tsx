// Milestones, as a list (filtered by grant, status and kind, a page at a
// time) or as a month calendar (loaded on demand, with @mantine/dates), with
// Submit and Accept for those who may. Filters and the view live in the
// address.
import { lazy, Suspense, useState } from "react";
import { Alert, Button, Group, SegmentedControl, Select, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "wouter";
import { MilestoneKindSchema, MilestoneService, MilestoneStatusSchema } from "../../gen/pactum/v1/milestone_pb";
import { enumOptions } from "../../lib/enums";
import { errorMessage } from "../../lib/errors";
import { useMilestoneDialogs } from "../../components/milestones/MilestoneDialogs";
import { DoneMessage, type Done } from "../../components/milestones/MilestoneActions";
import { MilestoneTable } from "../../components/milestones/MilestoneTable";
import { idOf } from "../../components/milestones/milestoneRules";
import type { Filters } from "../../components/milestones/MilestoneCalendar";
import { useGrants, useOrganisations, useProjects } from "../../components/projects/lookups";

const MilestoneCalendar = lazy(() => import("../../components/milestones/MilestoneCalendar"));

export default function Milestones() {
  const { t } = useTranslation(["milestones", "setup"]);
  const [params, setParams] = useSearchParams();
  const view = params.get("view") === "calendar" ? "calendar" : "list";
  const grant = params.get("grant") ?? "";
  const status = Number(params.get("status") ?? 0) || 0;
  const kind = Number(params.get("kind") ?? 0) || 0;
  const grants = useGrants();
  const projects = useProjects();
  const organisations = useOrganisations();
  const [done, setDone] = useState<Done | null>(null);
  const names = { grant: grants.get, project: projects.get, organisation: organisations.get };
  const filters: Filters = { grant: grant ? `grants/${grant}` : "", status, kind };
  const dialogs = useMilestoneDialogs({ grant: filters.grant || undefined });

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
  const filtered = grant !== "" || status !== 0 || kind !== 0;

  const grantOptions = [...grants.list]
    .sort((a, b) => a.title.localeCompare(b.title))
    .map((g) => ({ value: idOf(g.name), label: g.donorReference ? `${g.title} (${g.donorReference})` : g.title }));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center" gap="sm">
        <Title order={2}>{t("title")}</Title>
        <Group gap="sm">
        {grants.list.some((g) => g.callerCanUpdate) && <Button onClick={dialogs.add}>{t("setup:milestone.add")}</Button>}
        <SegmentedControl
          aria-label={t("view.label")}
          value={view}
          onChange={(v) => set("view", v === "calendar" ? "calendar" : null)}
          data={[
            { value: "list", label: t("view.list") },
            { value: "calendar", label: t("view.calendar") },
          ]}
          color="teal.9"
        />
        </Group>
      </Group>

      <Group align="flex-end" gap="sm" role="search" aria-label={t("filters")}>
        <Select
          label={t("filterGrant")}
          placeholder={t("anyGrant")}
          data={grantOptions}
          value={grant || null}
          onChange={(v) => set("grant", v)}
          clearable
          searchable
          nothingFoundMessage={t("nothingFound")}
          w={{ base: "100%", sm: 320 }}
        />
        <Select
          label={t("filterStatus")}
          placeholder={t("anyStatus")}
          data={enumOptions(t, "milestoneStatus", MilestoneStatusSchema)}
          value={status ? String(status) : null}
          onChange={(v) => set("status", v)}
          clearable
          w={{ base: "100%", sm: 180 }}
        />
        <Select
          label={t("filterKind")}
          placeholder={t("anyKind")}
          data={enumOptions(t, "milestoneKind", MilestoneKindSchema)}
          value={kind ? String(kind) : null}
          onChange={(v) => set("kind", v)}
          clearable
          w={{ base: "100%", sm: 260 }}
        />
        {filtered && (
          <Button variant="default" onClick={() => setParams(view === "calendar" ? { view } : {}, { replace: true })}>
            {t("common:actions.clear")}
          </Button>
        )}
      </Group>

      <DoneMessage done={done} onClose={() => setDone(null)} />

      {view === "calendar" ? (
        <Suspense fallback={<Skeleton h={360} radius="md" />}>
          <MilestoneCalendar filters={filters} names={names} onDone={setDone} />
        </Suspense>
      ) : (
        <MilestoneList filters={filters} names={names} onDone={setDone} filtered={filtered} manage={dialogs.actions} />
      )}
      {dialogs.dialogs}
    </Stack>
  );
}

function MilestoneList({
  filters,
  names,
  onDone,
  filtered,
  manage,
}: {
  filters: Filters;
  names: Parameters<typeof MilestoneTable>[0]["names"];
  onDone: (d: Done) => void;
  filtered: boolean;
  manage: Parameters<typeof MilestoneTable>[0]["manage"];
}) {
  const { t } = useTranslation("milestones");
  const q = useInfiniteQuery(
    MilestoneService.method.listMilestones,
    { pageSize: 50, pageToken: "", ...filters },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const milestones = q.data?.pages.flatMap((p) => p.milestones) ?? [];
  if (q.isPending) {
    return (
      <Stack gap="xs" aria-busy="true">
        <Skeleton h={48} />
        <Skeleton h={48} />
        <Skeleton h={48} />
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      {q.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(q.error, t)}
        </Alert>
      )}
      {milestones.length === 0 ? (
        !q.error && <Text>{filtered ? t("noneMatch") : t("none")}</Text>
      ) : (
        <>
          <Text size="sm" c="gray.7" aria-live="polite">
            {t("count", { count: milestones.length, more: q.hasNextPage ? "+" : "" })}
          </Text>
          <MilestoneTable milestones={milestones} names={names} onDone={onDone} caption={t("title")} manage={manage} />
        </>
      )}
      {q.hasNextPage && (
        <Group>
          <Button variant="default" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
            {t("common:actions.more")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
