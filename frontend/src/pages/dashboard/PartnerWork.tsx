// The partner's progress updates on their home page, in the order they
// need doing: those returned by the coordinator first (with what to
// correct), then those due (late ones first, with the due date), then the
// other drafts. One request per organisation for the updates and one for
// their milestones; cards, for phones.
import { useRef, useState } from "react";
import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { callUnaryMethod, useMutation, useTransport } from "@connectrpc/connect-query";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "wouter";
import { MilestoneKind, MilestoneService, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import { ProgressUpdateService, ProgressUpdateState as S, type ProgressUpdate } from "../../gen/pactum/v1/progress_update_pb";
import { Role, type User } from "../../gen/pactum/v1/user_pb";
import { partnerOrganisations } from "../../lib/session";
import { errorMessage } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { idOf, newRequestId } from "../../components/shared/requestId";
import { StateBadge } from "../../components/progress/state";
import { usePeriodLabel, useUpdateTitle } from "../../components/progress/period";
import { useMilestoneTitle } from "../../components/milestones/MilestoneCard";
import { todayISO } from "../../components/milestones/milestoneRules";

const pageSize = 500;
const soonDays = 60;

function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// excerpt clips a comment to a few lines' worth, at a word.
function excerpt(s: string, max = 220): string {
  const one = s.replace(/\s+/g, " ").trim();
  if (one.length <= max) return one;
  const cut = one.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max - 30))}…`;
}

interface Item {
  kind: "returned" | "due" | "draft";
  milestone?: Milestone;
  update?: ProgressUpdate;
  due: string;
}

export function PartnerWork({ user }: { user: User }) {
  const { t } = useTranslation("dashboard");
  const transport = useTransport();
  const orgs = partnerOrganisations(user);
  const editorOf = new Set(user.memberships.filter((m) => m.role === Role.PARTNER_EDITOR).map((m) => m.organisation));
  const each = <T,>(call: (org: string, signal: AbortSignal) => Promise<T>) => (ctx: { signal: AbortSignal }) => Promise.all(orgs.map((o) => call(o, ctx.signal)));
  const updates = useQuery({
    queryKey: ["progress", "updates", orgs],
    queryFn: each((o, signal) => callUnaryMethod(transport, ProgressUpdateService.method.listProgressUpdates, { organisation: o, pageSize }, { signal })),
    staleTime: 0,
  });
  const milestones = useQuery({
    queryKey: ["progress", "milestones", orgs],
    queryFn: each((o, signal) =>
      callUnaryMethod(transport, MilestoneService.method.listMilestones, { responsibleOrganisation: o, kind: MilestoneKind.PARTNER_PROGRESS_UPDATE, pageSize }, { signal }),
    ),
  });

  const today = todayISO();
  const soon = addDays(today, soonDays);
  const list = (updates.data ?? []).flatMap((r) => r.progressUpdates);
  const byMilestone = new Map(list.map((u) => [u.milestone, u]));
  const items: Item[] = [];
  for (const u of list) {
    if (u.state === S.RETURNED) items.push({ kind: "returned", update: u, due: u.dueDate });
    else if (u.state === S.DRAFT) items.push({ kind: u.dueDate <= soon ? "due" : "draft", update: u, due: u.dueDate });
  }
  for (const m of (milestones.data ?? []).flatMap((r) => r.milestones)) {
    if (!byMilestone.has(m.name) && m.dueDate && m.dueDate <= soon) items.push({ kind: "due", milestone: m, due: m.dueDate });
  }
  const order = { returned: 0, due: 1, draft: 2 };
  items.sort((a, b) => order[a.kind] - order[b.kind] || a.due.localeCompare(b.due));
  const error = updates.error ?? milestones.error;
  const loading = updates.isPending || milestones.isPending;

  return (
    <Stack gap="sm" component="section" aria-labelledby="partner-updates">
      <div>
        <Title order={3} id="partner-updates">
          {t("partnerWork.title")}
        </Title>
        <Text size="sm" c="gray.7">
          {t("partnerWork.help")}
        </Text>
      </div>
      {error ? (
        <Text c="red.8" role="alert">
          {errorMessage(error, t)}
        </Text>
      ) : loading ? (
        <Text c="gray.7" aria-busy="true">
          {t("common:loading")}
        </Text>
      ) : items.length === 0 ? (
        <Text>{t("partnerWork.none")}</Text>
      ) : (
        <WorkList items={items} today={today} editorOf={editorOf} />
      )}
      <Group>
        <Anchor component={Link} href="/progress" c="teal.9" size="sm">
          {t("partnerWork.all")}
        </Anchor>
      </Group>
    </Stack>
  );
}

function WorkList({ items, today, editorOf }: { items: Item[]; today: string; editorOf: Set<string> }) {
  const { t } = useTranslation("dashboard");
  const fmt = useFormat();
  const periodLabel = usePeriodLabel();
  const titleOf = useMilestoneTitle();
  const updateTitle = useUpdateTitle();
  const [, navigate] = useLocation();
  const start = useMutation(ProgressUpdateService.method.createProgressUpdate);
  const [starting, setStarting] = useState("");
  const intents = useRef(new Map<string, string>());
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

  return (
    <>
      {start.error && (
        <Text c="red.8" role="alert">
          {errorMessage(start.error, t)}
        </Text>
      )}
      <ul className="pactum-card-list" aria-label={t("partnerWork.title")}>
        {items.map((it) => {
          const u = it.update;
          const m = it.milestone;
          const title = u ? updateTitle(u) : m ? titleOf(m) : "";
          const late = it.due < today;
          const canEdit = u ? u.callerCanEdit : !!m && editorOf.has(m.responsibleOrganisation);
          const period = periodLabel(u ?? m!);
          const colour = it.kind === "returned" ? "#e8590c" : late ? "#c92a2a" : "#adb5bd";
          return (
            <li key={u?.name ?? m?.name}>
              <Paper withBorder radius="md" p="sm" data-testid="partner-work" data-kind={it.kind} style={{ borderLeft: `4px solid ${colour}` }}>
                <Stack gap={6}>
                  <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
                    <Title order={4} size="h5" style={{ overflowWrap: "anywhere" }}>
                      {title}
                    </Title>
                    <StateBadge state={u?.state ?? S.UNSPECIFIED} size="sm" />
                  </Group>
                  <Text size="sm" c="gray.7">
                    {[u?.projectDisplayName, period].filter(Boolean).join(" · ")}
                  </Text>
                  {it.kind === "returned" && u?.returnComment && (
                    <Text size="sm" data-testid="return-comment" style={{ borderInlineStart: "3px solid #ffc078", paddingInlineStart: 8 }}>
                      <Text span fw={600}>
                        {t("partnerWork.coordinatorSays")}
                      </Text>{" "}
                      {excerpt(u.returnComment)}
                    </Text>
                  )}
                  <Group justify="space-between" align="center" gap="xs" wrap="wrap">
                    <Text size="sm">
                      {t("partnerWork.due")}: <strong>{fmt.date(it.due)}</strong>
                      {late && (
                        <Badge ml="xs" size="sm" color="red.8" variant="filled" tt="none">
                          {t("partnerWork.late")}
                        </Badge>
                      )}
                    </Text>
                    {u ? (
                      <Button
                        component={Link}
                        href={`/progress/${idOf(u.name)}`}
                        size="sm"
                        color={it.kind === "returned" ? "#a63f00" : "teal.9"}
                        variant={canEdit ? "filled" : "default"}
                        aria-label={`${canEdit ? (it.kind === "returned" ? t("partnerWork.correct") : t("partnerWork.continue")) : t("partnerWork.view")}: ${title}`}
                      >
                        {canEdit ? (it.kind === "returned" ? t("partnerWork.correct") : t("partnerWork.continue")) : t("partnerWork.view")}
                      </Button>
                    ) : m && canEdit ? (
                      <Button size="sm" color="teal.9" onClick={() => open(m)} loading={starting === m.name} disabled={!!starting && starting !== m.name} aria-label={`${t("partnerWork.start")}: ${title}`}>
                        {t("partnerWork.start")}
                      </Button>
                    ) : (
                      <Text size="sm" c="gray.7">
                        {t("partnerWork.notStarted")}
                      </Text>
                    )}
                  </Group>
                </Stack>
              </Paper>
            </li>
          );
        })}
      </ul>
    </>
  );
}
