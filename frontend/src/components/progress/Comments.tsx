// The comment thread of a progress update, oldest first; the comments an
// update was returned with stand out. A comment can be added while the
// update is not approved.
import { useRef, useState } from "react";
import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea } from "@mantine/core";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useTranslation } from "react-i18next";
import { CommentKind, ProgressUpdateService, type ProgressUpdateComment } from "../../gen/pactum/v1/progress_update_pb";
import { errorMessage } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { MutationError } from "../grants/MutationError";
import { newRequestId } from "../shared/requestId";

export function useComments(update: string) {
  return useQuery(ProgressUpdateService.method.listProgressUpdateComments, { parent: update, pageSize: 1000 }, { enabled: !!update });
}

export function CommentBody({ comment }: { comment: ProgressUpdateComment }) {
  return (
    <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
      {comment.body}
    </Text>
  );
}

export function Comments({ update, canComment }: { update: string; canComment: boolean }) {
  const { t } = useTranslation("progress");
  const fmt = useFormat();
  const q = useComments(update);
  const add = useMutation(ProgressUpdateService.method.createProgressUpdateComment);
  const [body, setBody] = useState("");
  const requestId = useRef<string>(undefined);
  const comments = q.data?.comments ?? [];

  const send = () => {
    if (!body.trim()) return;
    requestId.current ??= newRequestId();
    add.mutate(
      { parent: update, comment: { body: body.trim() }, requestId: requestId.current },
      {
        onSuccess: () => {
          requestId.current = undefined;
          setBody("");
          void q.refetch();
        },
      },
    );
  };

  return (
    <Stack gap="sm">
      {q.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(q.error, t)}
        </Alert>
      )}
      {comments.length === 0 && !q.isLoading ? (
        <Text size="sm" c="dimmed">
          {t("comments.none")}
        </Text>
      ) : (
        <ol className="pactum-plain-list" aria-label={t("comments.title")}>
          {comments.map((c) => (
            <li key={c.name}>
              <Paper
                withBorder
                radius="md"
                p="sm"
                data-kind={CommentKind[c.kind]}
                style={c.kind === CommentKind.RETURN ? { borderColor: "#ffc078", background: "#fff9f0" } : c.kind === CommentKind.APPROVAL ? { borderColor: "#b2f2bb", background: "#f4fcf5" } : undefined}
              >
                <Group gap="xs" justify="space-between" mb={4} wrap="wrap">
                  <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                    {c.authorDisplayName}
                    {c.authorOrganisationDisplayName && (
                      <Text span size="xs" c="dimmed" fw={400}>
                        {" "}
                        · {c.authorOrganisationDisplayName}
                      </Text>
                    )}
                  </Text>
                  <Group gap="xs">
                    {c.kind === CommentKind.RETURN && (
                      <Badge size="sm" variant="outline" tt="none" style={{ color: "#a63f00", borderColor: "#ffc078", background: "#fff4e6" }}>
                        {t("comments.returnKind")}
                      </Badge>
                    )}
                    {c.kind === CommentKind.APPROVAL && (
                      <Badge size="sm" variant="outline" tt="none" style={{ color: "#1e6b30", borderColor: "#b2f2bb", background: "#ebfbee" }}>
                        {t("comments.approvalKind")}
                      </Badge>
                    )}
                    <Text size="xs" c="dimmed">
                      {c.createTime ? fmt.dateTime(timestampDate(c.createTime)) : ""}
                    </Text>
                  </Group>
                </Group>
                <CommentBody comment={c} />
              </Paper>
            </li>
          ))}
        </ol>
      )}
      {canComment && (
        <Stack gap="xs">
          <Textarea label={t("comments.add")} value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={2} maxRows={8} maxLength={20000} />
          <MutationError error={add.error} />
          <Group>
            <Button variant="default" onClick={send} loading={add.isPending} disabled={!body.trim()}>
              {t("comments.send")}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
