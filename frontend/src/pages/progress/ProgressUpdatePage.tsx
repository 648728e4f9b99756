// /progress/:id: one progress update. Its organisation writes it (autosaved)
// and submits it; a reviewer returns it with a comment or approves it, which
// locks it for everyone. The workflow shows as steps; a returned update
// shows why at the top; the comment thread and the audit trail are at hand.
import { useState } from "react";
import { Alert, Anchor, Badge, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Link, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { CommentKind, ProgressUpdateService, ProgressUpdateState as S } from "../../gen/pactum/v1/progress_update_pb";
import { useFormat } from "../../lib/format";
import { LoadError, PageHeader } from "../../components/shared/ui";
import { idOf } from "../../components/shared/requestId";
import { Comments, CommentBody, useComments } from "../../components/progress/Comments";
import { Editor } from "../../components/progress/Editor";
import { ReviewActions } from "../../components/progress/ReviewActions";
import { StateBadge, StateSteps, awaitsReview } from "../../components/progress/state";
import { usePeriodLabel, useUpdateTitle } from "../../components/progress/period";

export default function ProgressUpdatePage() {
  const { id } = useParams<{ id: string }>();
  const name = `progressUpdates/${id}`;
  const { t } = useTranslation("progress");
  const fmt = useFormat();
  const periodLabel = usePeriodLabel();
  const titleOf = useUpdateTitle();
  const q = useQuery(ProgressUpdateService.method.getProgressUpdate, { name }, { staleTime: 0 });
  const comments = useComments(name);
  const [gen, setGen] = useState(0);
  const [notice, setNotice] = useState<"stale" | null>(null);

  const reload = async (why: "stale" | null) => {
    await Promise.all([q.refetch(), comments.refetch()]);
    setNotice(why);
    setGen((g) => g + 1);
  };

  if (q.isPending) {
    return (
      <Stack gap="md" aria-busy="true">
        <Skeleton h={40} w="60%" />
        <Skeleton h={24} w="40%" />
        <Skeleton h={240} />
      </Stack>
    );
  }
  const u = q.data?.progressUpdate;
  if (q.error || !u) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;

  const returnComments = (comments.data?.comments ?? []).filter((c) => c.kind === CommentKind.RETURN);
  const lastReturn = returnComments[returnComments.length - 1];
  const approvedAt = u.approveTime ? fmt.dateTime(timestampDate(u.approveTime)) : "";
  const period = periodLabel(u);
  // The form is for those who write the update (the partner's editors);
  // a coordinator sees the update as its reviewer, read-only, even where
  // they may change it.
  const writes = u.callerCanEdit && u.callerWrites;

  return (
    <Stack gap="md" className="pactum-progress-page">
      <PageHeader
        back={{ href: "/progress", label: t("title") }}
        title={titleOf(u)}
        badge={<StateBadge state={u.state} />}
        subtitle={[u.organisationDisplayName, u.projectDisplayName].filter(Boolean).join(" · ")}
        actions={
          <Group gap="sm">
            {u.grant && (
              <Anchor component={Link} href={`/grants/${idOf(u.grant)}/progress`} size="sm">
                {t("overview.link")}
              </Anchor>
            )}
            <Anchor component={Link} href={`/history/progressUpdates/${id}`} size="sm">
              {t("common:actions.history")}
            </Anchor>
          </Group>
        }
      />

      <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }}>
        <Stack gap="sm">
          <StateSteps state={u.state} returned={returnComments.length > 0 || !!u.returnTime} />
          <Group gap="lg" wrap="wrap">
            <Text size="sm">
              <Text span c="dimmed">
                {t("fields.due")}:
              </Text>{" "}
              {fmt.date(u.dueDate)}
              {u.late && (
                <Badge ml="xs" size="sm" color="red.8" variant="filled" tt="none">
                  {t("late")}
                </Badge>
              )}
            </Text>
            <Text size="sm" data-testid="submission-count">
              <Text span c="dimmed">
                {t("fields.submissions")}:
              </Text>{" "}
              {fmt.number(u.submissionCount)}
            </Text>
            {u.submitTime && (
              <Text size="sm">
                <Text span c="dimmed">
                  {t("fields.submitted")}:
                </Text>{" "}
                {fmt.dateTime(timestampDate(u.submitTime))}
              </Text>
            )}
            {(u.periodStartDate || u.reportingPeriod > 0) && (
              <Text size="sm" data-testid="update-period">
                <Text span c="dimmed">
                  {t("fields.period")}:
                </Text>{" "}
                {period}
                {u.periodStartDate && u.periodEndDate && (
                  <Text span c="dimmed">
                    {" "}
                    ({fmt.date(u.periodStartDate)} – {fmt.date(u.periodEndDate)})
                  </Text>
                )}
              </Text>
            )}
          </Group>
        </Stack>
      </Paper>

      {notice === "stale" && (
        <Alert color="orange" variant="light" role="alert" title={t("stale.title")} withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t("common:actions.close")}>
          {t("stale.body")}
        </Alert>
      )}

      {u.state === S.RETURNED && (
        <Alert color="orange" variant="light" role="alert" title={t("banner.returned")} data-testid="returned-banner">
          {lastReturn ? (
            <Stack gap={4}>
              <CommentBody comment={lastReturn} />
              <Text size="xs" c="dimmed">
                {[lastReturn.authorDisplayName, lastReturn.createTime ? fmt.dateTime(timestampDate(lastReturn.createTime)) : ""].filter(Boolean).join(" · ")}
              </Text>
            </Stack>
          ) : (
            t("banner.returnedNoComment")
          )}
        </Alert>
      )}
      {u.state === S.APPROVED && (
        <Alert color="teal" variant="light" title={t("banner.locked", { date: approvedAt })} data-testid="locked-banner">
          {t("banner.lockedBody")}
        </Alert>
      )}
      {awaitsReview(u.state) && !u.callerCanReview && (
        <Alert color="blue" variant="light" title={t("banner.awaiting")}>
          {t("banner.awaitingBody")}
        </Alert>
      )}
      {awaitsReview(u.state) && u.callerCanReview && (
        <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby="review-title" style={{ borderColor: "#a5d8ff" }}>
          <Title order={3} size="h4" id="review-title" mb={4}>
            {t("review.title")}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t("review.help")}
          </Text>
          <ReviewActions update={u} onDone={() => void reload(null)} onStale={() => void reload("stale")} />
        </Paper>
      )}

      {!writes && u.state === S.RETURNED && u.callerCanEdit && (
        <Alert color="blue" variant="light" title={t("reviewMode.returnedTitle")} data-testid="review-mode">
          {t("reviewMode.returnedBody", { organisation: u.organisationDisplayName })}
        </Alert>
      )}
      {!writes && u.state === S.DRAFT && u.callerCanEdit && (
        <Alert color="gray" variant="light" title={t("reviewMode.draftTitle")} data-testid="review-mode">
          {t("reviewMode.draftBody", { organisation: u.organisationDisplayName })}
        </Alert>
      )}

      <div data-testid="update-content">
        <Editor key={`${u.name}:${gen}:${writes}`} update={u} editable={writes} onStale={() => void reload("stale")} onSubmitted={() => void reload(null)} />
      </div>

      <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby="comments-title">
        <Title order={3} size="h4" id="comments-title" mb="sm">
          {t("comments.title")}
        </Title>
        <Comments update={name} canComment={u.state !== S.APPROVED} />
      </Paper>
    </Stack>
  );
}
