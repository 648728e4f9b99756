// "New organisation…" from the form that needs one (a grant's donor, an
// agreement's lead, a project's partner): the organisation form in a
// dialog, on top of the form being filled in, which keeps everything typed
// so far. The new organisation is handed back to be chosen at once.
import { useMemo, useState } from "react";
import { Modal } from "@mantine/core";
import { create } from "@bufbuild/protobuf";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { OrganisationSchema, OrganisationService, type Organisation, type OrganisationKind } from "../../gen/pactum/v1/organisation_pb";
import { showToast } from "../../lib/toast";
import { newRequestId } from "../shared/requestId";
import { OrganisationForm, toMessage, type OrganisationValues } from "./OrganisationForm";

export function NewOrganisationModal({
  opened,
  onClose,
  kind,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  // kind: the kind proposed (a donor for a donor's picker).
  kind?: OrganisationKind;
  onCreated: (o: Organisation) => void;
}) {
  const { t } = useTranslation(["setup", "organisations", "common"]);
  const phone = useMediaQuery("(max-width: 36em)");
  const queryClient = useQueryClient();
  const createOrg = useMutation(OrganisationService.method.createOrganisation);
  // One request id per dialog opening: a retry returns the organisation
  // made the first time.
  const [requestId, setRequestId] = useState(newRequestId);
  const initial = useMemo(() => create(OrganisationSchema, { kind: kind ?? 0 }), [kind]);
  const close = () => {
    createOrg.reset();
    setRequestId(newRequestId());
    onClose();
  };
  const submit = (v: OrganisationValues) =>
    createOrg.mutate(
      { organisation: toMessage(v), requestId },
      {
        onSuccess: (res) => {
          void queryClient.invalidateQueries({ predicate: (q) => JSON.stringify(q.queryKey).includes("OrganisationService") });
          showToast({ color: "teal", message: t("organisations:created") });
          if (res.organisation) onCreated(res.organisation);
          close();
        },
      },
    );
  return (
    <Modal opened={opened} onClose={close} title={t("setup:newOrganisation.title")} size="lg" fullScreen={phone} closeButtonProps={{ "aria-label": t("common:actions.close") }}>
      {/* The dialog is drawn outside the form that opened it, but React
          passes its events up to that form: its submission stops here. */}
      <div onSubmit={(e) => e.stopPropagation()}>
        <OrganisationForm
          initial={initial}
          submitLabel={t("setup:newOrganisation.create")}
          pending={createOrg.isPending}
          error={createOrg.error}
          onSubmit={submit}
          onCancel={close}
        />
      </div>
    </Modal>
  );
}
