// Adding, editing (moving) and cancelling milestones by hand, for the
// grant's coordinators, from any screen that lists milestones: the screen
// asks useMilestoneDialogs for the functions that open the dialogs and puts
// its `dialogs` in its tree. The form (and its date pickers) loads when a
// dialog first opens.
import { lazy, Suspense, useState, type ReactNode } from "react";
import { Button, Group, Modal, Skeleton, Textarea } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { MilestoneService, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import { showToast } from "../../lib/toast";
import { ConfirmDialog } from "../shared/ConfirmDialog";
import { useMilestoneTitle } from "./MilestoneCard";
import { canChange } from "./milestoneRules";

const MilestoneForm = lazy(() => import("./MilestoneForm"));

type State = { mode: "new" } | { mode: "edit"; m: Milestone } | { mode: "cancel"; m: Milestone } | null;

export function useMilestoneDialogs({ grant, project }: { grant?: string; project?: string }) {
  const { t } = useTranslation(["setup", "common"]);
  const titleOf = useMilestoneTitle();
  const [state, setState] = useState<State>(null);
  const actions = (m: Milestone): ReactNode =>
    canChange(m) ? (
      <Group gap="xs">
        <Button size="xs" variant="default" onClick={() => setState({ mode: "edit", m })} aria-label={t("setup:milestone.editLabel", { title: titleOf(m) })}>
          {t("common:actions.edit")}
        </Button>
        <Button size="xs" variant="subtle" color="red" onClick={() => setState({ mode: "cancel", m })} aria-label={t("setup:milestone.cancelLabel", { title: titleOf(m) })}>
          {t("setup:milestone.cancel")}
        </Button>
      </Group>
    ) : null;
  return {
    add: () => setState({ mode: "new" }),
    actions,
    dialogs: <MilestoneDialogs state={state} onClose={() => setState(null)} grant={grant} project={project} />,
  };
}

function MilestoneDialogs({ state, onClose, grant, project }: { state: State; onClose: () => void; grant?: string; project?: string }) {
  const { t } = useTranslation(["setup", "common"]);
  const titleOf = useMilestoneTitle();
  const phone = useMediaQuery("(max-width: 36em)");
  const queryClient = useQueryClient();
  const cancel = useMutation(MilestoneService.method.cancelMilestone);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const close = () => {
    cancel.reset();
    setReason("");
    setMissing(false);
    onClose();
  };
  const confirmCancel = () => {
    if (state?.mode !== "cancel") return;
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    cancel.mutate(
      { name: state.m.name, etag: state.m.etag, reason: reason.trim() },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("setup:milestone.cancelled") });
          close();
        },
      },
    );
  };
  const editing = state?.mode === "new" || state?.mode === "edit";
  return (
    <>
      <Modal
        opened={editing}
        onClose={close}
        title={state?.mode === "edit" ? t("setup:milestone.editTitle") : t("setup:milestone.newTitle")}
        size="lg"
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        {editing && (
          <Suspense fallback={<Skeleton h={320} />}>
            <MilestoneForm milestone={state.mode === "edit" ? state.m : undefined} grant={grant} project={project} onDone={close} onCancel={close} />
          </Suspense>
        )}
      </Modal>
      <ConfirmDialog
        opened={state?.mode === "cancel"}
        onClose={close}
        title={t("setup:milestone.cancelDialog.title")}
        body={state?.mode === "cancel" ? t("setup:milestone.cancelDialog.body", { title: titleOf(state.m) }) : ""}
        confirmLabel={t("setup:milestone.cancelDialog.confirm")}
        color="red"
        onConfirm={confirmCancel}
        pending={cancel.isPending}
        error={cancel.error}
        reasonsNs="setup"
      >
        <Textarea
          label={t("setup:milestone.cancelDialog.reason")}
          description={t("setup:milestone.cancelDialog.reasonHelp")}
          required
          autosize
          minRows={2}
          maxLength={1000}
          value={reason}
          onChange={(e) => {
            setReason(e.currentTarget.value);
            setMissing(false);
          }}
          error={missing ? t("setup:milestone.cancelDialog.reasonRequired") : undefined}
          data-autofocus
        />
      </ConfirmDialog>
    </>
  );
}
