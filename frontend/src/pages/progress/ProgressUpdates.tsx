// /progress: progress updates. A partner sees their organisation's progress
// update milestones, each with its update's state, due date and one clear
// action (Start, Continue or View); cards, for phones. Coordinators see the
// updates, those awaiting their review first, filterable by grant and state,
// with a link to each grant's overview.
import { useRef, useState } from "react";
import { Alert, Anchor, Badge, Button, Group, Paper, Select, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { callUnaryMethod, useMutation, useQuery as useConnectQuery, useTransport } from "@connectrpc/connect-query";
import { useQuery } from "@tanstack/react-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Link, useLocation, useSearchParams } from "wouter";
import { useTranslation } from "react-i18next";
import { MilestoneKind, MilestoneService, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import { ProgressUpdateService, ProgressUpdateState as S, type ProgressUpdate } from "../../gen/pactum/v1/progress_update_pb";
import { Role, type User } from "../../gen/pactum/v1/user_pb";
import { errorMessage } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { isPartner, partnerOrganisations, useSession } from "../../lib/session";
import { idOf, newRequestId } from "../../components/shared/requestId";
import { MutationError } from "../../components/grants/MutationError";
import { useGrants } from "../../components/projects/lookups";
import { StateBadge, awaitsReview, stateKeys } from "../../components/progress/state";
import { useMilestoneTitle } from "../../components/milestones/MilestoneCard";
import { usePeriodLabel, useUpdateTitle } from "../../components/progress/period";

export default function ProgressUpdates() {
  const { user } = useSession();
  if (!user) return null;
  return isPartner(user) ? <PartnerUpdates user={user} /> : <ReviewList />;
}

const pageSize = 500;

function PartnerUpdates({ user }: { user: User }) {
  const { t } = useTranslation("progress");
  const titleOf = useMilestoneTitle();
  const fmt = useFormat();
  const periodLabel = usePeriodLabel();
  const transport = useTransport();
  const [, navigate] = useLocation();
  const orgs = partnerOrganisations(user);
  const editorOf = new Set(user.memberships.filter((m) => m.role === Role.PARTNER_EDITOR).map((m) => m.organisation));
  const each = <T,>(call: (org: string, signal: AbortSignal) => Promise<T>) => (ctx: { signal: AbortSignal }) => Promise.all(orgs.map((o) => call(o, ctx.signal)));
  const milestones = useQuery({
    queryKey: ["progress", "milestones", orgs],
    queryFn: each((o, signal) =>
      callUnaryMethod(transport, MilestoneService.method.listMilestones, { responsibleOrganisation: o, kind: MilestoneKind.PARTNER_PROGRESS_UPDATE, pageSize }, { signal }),
    ),
  });
  const updates = useQuery({
    queryKey: ["progress", "updates", orgs],
    queryFn: each((o, signal) => callUnaryMethod(transport, ProgressUpdateService.method.listProgressUpdates, { organisation: o, pageSize }, { signal })),
    staleTime: 0,
  });
  const start = useMutation(ProgressUpdateService.method.createProgressUpdate);
  const [starting, setStarting] = useState("");
  // A request_id per milestone until its update is made: a retry returns it.
  const intents = useRef(new Map<string, string>());

  const list = (milestones.data ?? []).flatMap((r) => r.milestones).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const byMilestone = new Map((updates.data ?? []).flatMap((r) => r.progressUpdates).map((u) => [u.milestone, u]));
  const error = milestones.error ?? updates.error;

  const open = (m: Milestone) => {
    setStarting(m.name);
    const requestId = intents.current.get(m.name) ?? newRequestId();
    intents.current.set(m.name, requestId);
    start.mutate(
      { progressUpdate: { milestone: m.name }, requestId },
      {
        onSuccess: (r) => {
          intents.current.delete(m.name);
          if (r.progressUpdate) navigate(`/progress/${idOf(r.progressUpdate.name)}`);
        },
        onSettled: () => setStarting(""),
      },
    );
  };

  // Open ones first (by due date), then approved ones.
  const done = (m: Milestone) => byMilestone.get(m.name)?.state === S.APPROVED;
  const sorted = [...list.filter((m) => !done(m)), ...list.filter(done)];

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{t("title")}</Title>
        <Text c="dimmed" size="sm">
          {t("partner.intro")}
        </Text>
      </div>
      {error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(error, t)}
        </Alert>
      )}
      <MutationError error={start.error} reasonsNs="progress" />
      {milestones.isPending || updates.isPending ? (
        <Stack gap="sm" aria-busy="true">
          <Skeleton h={96} radius="md" />
          <Skeleton h={96} radius="md" />
        </Stack>
      ) : sorted.length === 0 ? (
        !error && <Text>{t("partner.none")}</Text>
      ) : (
        <ul className="pactum-card-list" aria-label={t("title")}>
          {sorted.map((m) => {
            const u = byMilestone.get(m.name);
            const canEdit = u ? u.callerCanEdit : editorOf.has(m.responsibleOrganisation);
            const late = u ? u.late : m.dueDate < today();
            return (
              <li key={m.name}>
                <Paper withBorder radius="md" p="sm" data-testid="progress-card" data-milestone={m.name}>
                  <Stack gap={6}>
                    <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
                      <Title order={3} size="h5" style={{ overflowWrap: "anywhere" }}>
                        {titleOf(m)}
                      </Title>
                      <StateBadge state={u?.state ?? S.UNSPECIFIED} size="sm" />
                    </Group>
                    <Text size="sm" c="dimmed">
                      {[u?.projectDisplayName, periodLabel(u ?? m)].filter(Boolean).join(" · ")}
                    </Text>
                    <Group justify="space-between" align="center" gap="xs" wrap="wrap">
                      <Text size="sm">
                        {t("fields.due")}: <strong>{fmt.date(m.dueDate)}</strong>
                        {late && (!u || u.state === S.DRAFT || u.state === S.RETURNED) && (
                          <Badge ml="xs" size="sm" color="red.8" variant="filled" tt="none">
                            {t("late")}
                          </Badge>
                        )}
                      </Text>
                      {u ? (
                        <Button
                          component={Link}
                          href={`/progress/${idOf(u.name)}`}
                          size="sm"
                          color="teal.9"
                          variant={canEdit ? "filled" : "default"}
                          aria-label={`${canEdit ? t("actions.continue") : t("actions.view")}: ${titleOf(m)}`}
                        >
                          {canEdit ? t("actions.continue") : t("actions.view")}
                        </Button>
                      ) : canEdit ? (
                        <Button size="sm" color="teal.9" onClick={() => open(m)} loading={starting === m.name} disabled={!!starting && starting !== m.name} aria-label={`${t("actions.start")}: ${titleOf(m)}`}>
                          {t("actions.start")}
                        </Button>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t("partner.notStarted")}
                        </Text>
                      )}
                    </Group>
                  </Stack>
                </Paper>
              </li>
            );
          })}
        </ul>
      )}
    </Stack>
  );
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

const states = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED, S.APPROVED];

function ReviewList() {
  const { t } = useTranslation("progress");
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const grant = params.get("grant") ?? "";
  const state = Number(params.get("state") ?? 0) || 0;
  const grants = useGrants();
  const q = useConnectQuery(ProgressUpdateService.method.listProgressUpdates, { pageSize, grant: grant ? `grants/${grant}` : "", state }, { staleTime: 0 });
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
  const updates = q.data?.progressUpdates ?? [];
  const awaiting = updates.filter((u) => awaitsReview(u.state)).sort((a, b) => submitted(a) - submitted(b));
  const rest = updates.filter((u) => !awaitsReview(u.state)).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const grantOptions = [...grants.list]
    .sort((a, b) => a.title.localeCompare(b.title))
    .map((g) => ({ value: idOf(g.name), label: g.donorReference ? `${g.title} (${g.donorReference})` : g.title }));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={2}>{t("title")}</Title>
          <Text c="dimmed" size="sm">
            {t("review.intro")}
          </Text>
        </div>
        {grant && (
          <Button component={Link} href={`/grants/${grant}/progress`} variant="default">
            {t("overview.link")}
          </Button>
        )}
      </Group>
      <Group align="flex-end" gap="sm" role="search" aria-label={t("filters.label")}>
        <Select
          label={t("filters.grant")}
          placeholder={t("filters.anyGrant")}
          data={grantOptions}
          value={grant || null}
          onChange={(v) => set("grant", v)}
          clearable
          searchable
          w={{ base: "100%", sm: 320 }}
        />
        <Select
          label={t("filters.state")}
          placeholder={t("filters.anyState")}
          data={states.map((s) => ({ value: String(s), label: t(`state.${stateKeys[s]}`) }))}
          value={state ? String(state) : null}
          onChange={(v) => set("state", v)}
          clearable
          w={{ base: "100%", sm: 200 }}
        />
      </Group>
      {q.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(q.error, t)}
        </Alert>
      )}
      {q.isPending ? (
        <Stack gap="xs" aria-busy="true">
          <Skeleton h={40} />
          <Skeleton h={40} />
        </Stack>
      ) : (
        <>
          <section aria-labelledby="awaiting-title">
            <Title order={3} size="h4" id="awaiting-title" mb="xs">
              {t("review.awaiting", { count: awaiting.length })}
            </Title>
            {awaiting.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t("review.noneAwaiting")}
              </Text>
            ) : (
              <UpdateTable updates={awaiting} caption={t("review.awaitingCaption")} fmt={fmt} />
            )}
          </section>
          <section aria-labelledby="others-title">
            <Title order={3} size="h4" id="others-title" mb="xs">
              {t("review.others")}
            </Title>
            {rest.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t("review.noneOthers")}
              </Text>
            ) : (
              <UpdateTable updates={rest} caption={t("review.others")} fmt={fmt} />
            )}
          </section>
        </>
      )}
    </Stack>
  );
}

function submitted(u: ProgressUpdate): number {
  return u.submitTime ? timestampDate(u.submitTime).getTime() : 0;
}

function UpdateTable({ updates, caption, fmt }: { updates: ProgressUpdate[]; caption: string; fmt: ReturnType<typeof useFormat> }) {
  const { t } = useTranslation("progress");
  const periodLabel = usePeriodLabel();
  const titleOf = useUpdateTitle();
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table verticalSpacing="xs" striped highlightOnHover>
        <Table.Caption className="pactum-sr-only">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("columns.update")}</Table.Th>
            <Table.Th scope="col">{t("columns.organisation")}</Table.Th>
            <Table.Th scope="col">{t("columns.due")}</Table.Th>
            <Table.Th scope="col">{t("columns.state")}</Table.Th>
            <Table.Th scope="col">{t("columns.submitted")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {updates.map((u) => (
            <Table.Tr key={u.name} data-testid="update-row">
              <Table.Td>
                <Anchor component={Link} href={`/progress/${idOf(u.name)}`} fz="sm">
                  {titleOf(u)}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {[u.projectDisplayName, periodLabel(u)].filter(Boolean).join(" · ")}
                </Text>
              </Table.Td>
              <Table.Td>{u.organisationDisplayName}</Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                {fmt.date(u.dueDate)}
                {u.late && (
                  <Badge ml={6} size="xs" color="red.8" variant="filled" tt="none">
                    {t("late")}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <StateBadge state={u.state} size="sm" />
              </Table.Td>
              <Table.Td>{u.submitTime ? fmt.dateTime(timestampDate(u.submitTime)) : t("common:none")}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
