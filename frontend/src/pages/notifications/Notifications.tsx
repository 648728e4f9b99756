// /notifications: the caller's notifications, newest first: the daily
// reminder digest (its items grouped by reason: due in 14 days, due in 3
// days, overdue, awaiting your review) and the steps of progress updates
// (returned with comments, approved, submitted, commented). Each can be
// marked read, or all at once. Below, the caller's settings: the email
// digest (off, with a note, when this installation cannot send email) and
// the language of emails.
import { Alert, Anchor, Badge, Button, Group, Paper, Select, Skeleton, Stack, Switch, Text, Title } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { NotificationKind as K, NotificationService, ReminderReason as R, type Notification, type NotificationItem } from "../../gen/pactum/v1/notification_pb";
import { errorMessage } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { languages } from "../../lib/i18n";
import { showToast } from "../../lib/toast";
import { idOf } from "../../components/shared/requestId";
import { MutationError } from "../../components/grants/MutationError";
import { LoadMore } from "../../components/shared/ui";

const kindKeys: Record<number, string> = {
  [K.REMINDER_DIGEST]: "digest",
  [K.UPDATE_SUBMITTED]: "submitted",
  [K.UPDATE_RETURNED]: "returned",
  [K.UPDATE_APPROVED]: "approved",
  [K.UPDATE_COMMENTED]: "commented",
};

const reasonOrder = [R.OVERDUE, R.DUE_IN_3_DAYS, R.AWAITING_REVIEW, R.DUE_IN_14_DAYS, R.UNSPECIFIED];
const reasonKeys: Record<number, string> = {
  [R.UNSPECIFIED]: "other",
  [R.DUE_IN_14_DAYS]: "dueIn14",
  [R.DUE_IN_3_DAYS]: "dueIn3",
  [R.OVERDUE]: "overdue",
  [R.AWAITING_REVIEW]: "awaitingReview",
};

export default function Notifications() {
  const { t } = useTranslation("notifications");
  const client = useQueryClient();
  const q = useInfiniteQuery(
    NotificationService.method.listNotifications,
    { pageSize: 50, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined, staleTime: 0 },
  );
  const mark = useMutation(NotificationService.method.markNotificationsRead);
  const list = q.data?.pages.flatMap((p) => p.notifications) ?? [];
  const unread = q.data?.pages[0]?.unreadCount ?? 0;

  const markRead = (names: string[], all = false) =>
    mark.mutate(
      { names, all },
      {
        onSuccess: () => {
          // The list here and the bell in the header.
          void client.invalidateQueries({ predicate: (x) => JSON.stringify(x.queryKey).includes("NotificationService") });
        },
      },
    );

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={2}>{t("title")}</Title>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="unread-count">
            {t("unread", { count: unread })}
          </Text>
        </div>
        {unread > 0 && (
          <Button variant="default" onClick={() => markRead([], true)} loading={mark.isPending && mark.variables?.all}>
            {t("markAllRead")}
          </Button>
        )}
      </Group>
      <MutationError error={mark.error} />
      {q.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(q.error, t)}
        </Alert>
      )}
      {q.isPending ? (
        <Stack gap="sm" aria-busy="true">
          <Skeleton h={80} radius="md" />
          <Skeleton h={80} radius="md" />
        </Stack>
      ) : list.length === 0 ? (
        !q.error && <Text>{t("none")}</Text>
      ) : (
        <ul className="pactum-card-list" aria-label={t("title")}>
          {list.map((n) => (
            <li key={n.name}>
              <NotificationCard n={n} onRead={() => markRead([n.name])} busy={mark.isPending && !!mark.variables?.names?.includes(n.name)} />
            </li>
          ))}
        </ul>
      )}
      <LoadMore hasMore={q.hasNextPage} loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} />
      <Settings />
    </Stack>
  );
}

function NotificationCard({ n, onRead, busy }: { n: Notification; onRead: () => void; busy: boolean }) {
  const { t } = useTranslation("notifications");
  const fmt = useFormat();
  const unread = !n.readTime;
  const kind = kindKeys[n.kind] ?? "other";
  const first = n.items[0];
  const title =
    n.kind === K.REMINDER_DIGEST
      ? t("kind.digest", { date: fmt.date(n.digestDate), count: n.items.length })
      : t(`kind.${kind}`, { title: first?.title ?? "", actor: n.actorDisplayName });
  const groups = reasonOrder.map((r) => ({ r, items: n.items.filter((i) => i.reason === r) })).filter((g) => g.items.length > 0);

  return (
    <Paper withBorder radius="md" p="sm" data-testid="notification" data-kind={kind} data-unread={unread || undefined} style={unread ? { borderLeft: "4px solid #087f5b" } : undefined}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
          <Title order={3} size="h5" style={{ overflowWrap: "anywhere" }}>
            {unread && <span className="pactum-sr-only">{t("unreadMark")} </span>}
            {title}
          </Title>
          {unread && (
            <Badge size="sm" variant="outline" tt="none" aria-hidden style={{ background: "#e6fcf5", color: "#0b4f3c", borderColor: "#96f2d7", flexShrink: 0 }}>
              {t("new")}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {[n.createTime ? fmt.dateTime(timestampDate(n.createTime)) : "", n.actorDisplayName, n.emailTime ? t("emailed") : ""].filter(Boolean).join(" · ")}
        </Text>
        {n.body && (
          <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} data-testid="notification-body">
            {n.kind === K.UPDATE_RETURNED ? t("returnedWith", { comment: n.body }) : n.body}
          </Text>
        )}
        {n.kind === K.REMINDER_DIGEST
          ? groups.map((g) => (
              <div key={g.r}>
                <Text size="sm" fw={600}>
                  {t(`reason.${reasonKeys[g.r]}`, { count: g.items.length })}
                </Text>
                <ul className="pactum-plain-list">
                  {g.items.map((i) => (
                    <li key={`${i.milestone}-${i.progressUpdate}`}>
                      <ItemLine item={i} />
                    </li>
                  ))}
                </ul>
              </div>
            ))
          : n.items.map((i) => <ItemLine key={`${i.milestone}-${i.progressUpdate}`} item={i} />)}
        {unread && (
          <Group>
            <Button size="compact-sm" variant="default" onClick={onRead} loading={busy}>
              {t("markRead")}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function ItemLine({ item }: { item: NotificationItem }) {
  const { t } = useTranslation("notifications");
  const fmt = useFormat();
  const href = item.progressUpdate ? `/progress/${idOf(item.progressUpdate)}` : "/progress";
  const when =
    item.reason === R.OVERDUE
      ? t("item.overdue", { count: item.daysOverdue, date: fmt.date(item.dueDate) })
      : item.dueDate
        ? t("item.due", { date: fmt.date(item.dueDate) })
        : "";
  return (
    <Text size="sm">
      <Anchor component={Link} href={href} fz="sm">
        {item.title || t("item.untitled")}
      </Anchor>
      {[item.organisationDisplayName, when].filter(Boolean).map((x) => ` · ${x}`)}
    </Text>
  );
}

function Settings() {
  const { t } = useTranslation("notifications");
  const q = useQuery(NotificationService.method.getNotificationSettings, {});
  const save = useMutation(NotificationService.method.updateNotificationSettings);
  const s = q.data?.settings;
  const available = q.data?.emailAvailable ?? false;
  const update = (patch: { emailDigest?: boolean; language?: string }) => {
    if (!s) return;
    save.mutate(
      {
        settings: { emailDigest: s.emailDigest, language: s.language || "en", ...patch },
        // Name what changes: an empty mask would skip a switch turned off.
        updateMask: { paths: Object.keys(patch).map((k) => (k === "emailDigest" ? "email_digest" : "language")) },
      },
      {
        onSuccess: () => {
          showToast({ color: "teal", message: t("settings.saved") });
          void q.refetch();
        },
      },
    );
  };
  return (
    <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby="settings-title">
      <Title order={3} size="h4" id="settings-title" mb="sm">
        {t("settings.title")}
      </Title>
      {q.error ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(q.error, t)}
        </Alert>
      ) : !s ? (
        <Skeleton h={60} />
      ) : (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t("settings.inApp")}
          </Text>
          <Switch
            label={t("settings.emailDigest")}
            description={available ? t("settings.emailDigestHelp") : t("settings.emailUnavailable")}
            checked={available && s.emailDigest}
            disabled={!available || save.isPending}
            onChange={(e) => update({ emailDigest: e.currentTarget.checked })}
          />
          <Select
            label={t("settings.language")}
            data={languages.map((l) => ({ value: l.code, label: l.label }))}
            value={s.language || "en"}
            onChange={(v) => v && update({ language: v })}
            allowDeselect={false}
            w={{ base: "100%", xs: 240 }}
            disabled={save.isPending}
          />
          <MutationError error={save.error} />
        </Stack>
      )}
    </Paper>
  );
}
