// A reviewer's two decisions on a submitted update: return it with a comment
// saying what to correct (required), or approve it (comment optional), which
// locks it. Both send the etag the reviewer read: an update changed since
// answers ABORTED, and the page reloads it.
import { useState } from "react";
import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import { ProgressUpdateService, type ProgressUpdate } from "../../gen/pactum/v1/progress_update_pb";
import { fieldViolations, isStale } from "../../lib/errors";
import { showToast } from "../../lib/toast";
import { MutationError } from "../grants/MutationError";

export function ReviewActions({ update, onDone, onStale }: { update: ProgressUpdate; onDone: () => void; onStale: () => void }) {
  const { t } = useTranslation("progress");
  const phone = useMediaQuery("(max-width: 36em)");
  const [open, setOpen] = useState<"return" | "approve" | null>(null);
  const [comment, setComment] = useState("");
  const [touched, setTouched] = useState(false);
  const ret = useMutation(ProgressUpdateService.method.returnProgressUpdate);
  const approve = useMutation(ProgressUpdateService.method.approveProgressUpdate);
  const m = open === "approve" ? approve : ret;
  const missing = open === "return" && !comment.trim();

  const close = () => {
    setOpen(null);
    setTouched(false);
    ret.reset();
    approve.reset();
  };
  const after = (kind: "returned" | "approved") => ({
    onSuccess: () => {
      showToast({ color: "teal", message: t(`review.done.${kind}`) });
      setComment("");
      close();
      onDone();
    },
    onError: (err: unknown) => {
      if (isStale(err)) onStale();
    },
  });
  const confirm = () => {
    setTouched(true);
    if (open === "return") {
      if (missing) return;
      ret.mutate({ name: update.name, etag: update.etag, comment: comment.trim() }, after("returned"));
    } else if (open === "approve") {
      approve.mutate({ name: update.name, etag: update.etag, comment: comment.trim() }, after("approved"));
    }
  };
  const serverError = fieldViolations(m.error).comment;

  return (
    <>
      <Group gap="sm" wrap="wrap">
        <Button color="#a63f00" variant="outline" onClick={() => setOpen("return")}>
          {t("review.return")}
        </Button>
        <Button color="teal.9" onClick={() => setOpen("approve")}>
          {t("review.approve")}
        </Button>
      </Group>
      <Modal
        opened={open !== null}
        onClose={close}
        title={open === "approve" ? t("review.approveTitle") : t("review.returnTitle")}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{open === "approve" ? t("review.approveBody") : t("review.returnBody")}</Text>
          <Textarea
            label={open === "approve" ? t("review.approveComment") : t("review.returnComment")}
            required={open === "return"}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            autosize
            minRows={4}
            maxRows={14}
            maxLength={20000}
            error={serverError ?? (touched && missing ? t("review.commentRequired") : undefined)}
            data-autofocus
          />
          <MutationError error={m.error} placed={["comment"]} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={m.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button color={open === "approve" ? "teal.9" : "orange.9"} onClick={confirm} loading={m.isPending}>
              {open === "approve" ? t("review.approveConfirm") : t("review.returnConfirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
