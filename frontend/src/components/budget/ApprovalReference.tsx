// The donor's approval reference of a budget version: an addendum's, or the
// donor's prior approval of a use of the contingency reserve. Shown with
// the version and edited in a dialog (UpdateBudgetVersion, mask
// approval_reference): on a draft, or corrected on an adopted version.
import { useState } from "react";
import { Button, Group, Modal, Stack, TextInput } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { BudgetService, BudgetVersionKind, type BudgetVersion } from "../../gen/pactum/v1/budget_pb";
import { fieldViolations } from "../../lib/errors";
import { showToast } from "../../lib/toast";
import { MutationError } from "../grants/MutationError";
import { fieldError } from "./ui";

// mayNeedReference: the kinds of version whose adoption may need the
// donor's approval reference (always an addendum; a transfer when it uses
// the contingency reserve).
export function mayNeedReference(kind: BudgetVersionKind): boolean {
  return kind === BudgetVersionKind.ADDENDUM || kind === BudgetVersionKind.TRANSFER;
}

// referenceHelpKey: what the reference is, for the version's kind.
export function referenceHelpKey(kind: BudgetVersionKind): string {
  return kind === BudgetVersionKind.ADDENDUM ? "versions.referenceHelp.ADDENDUM" : "versions.referenceHelp.TRANSFER";
}

export function ApprovalReferenceInput({
  kind,
  value,
  onChange,
  error,
  autoFocus,
}: {
  kind: BudgetVersionKind;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation("budget");
  return (
    <TextInput
      label={t("versions.reference")}
      description={t(referenceHelpKey(kind))}
      required={kind === BudgetVersionKind.ADDENDUM}
      maxLength={200}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      data-autofocus={autoFocus || undefined}
    />
  );
}

export function ApprovalReferenceDialog({ version, opened, onClose }: { version: BudgetVersion; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("budget");
  const phone = useMediaQuery("(max-width: 36em)");
  const queryClient = useQueryClient();
  const [value, setValue] = useState(version.approvalReference);
  const update = useMutation(BudgetService.method.updateBudgetVersion);
  const v = fieldViolations(update.error, "budget_version.");
  const close = () => {
    update.reset();
    onClose();
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    update.mutate(
      { budgetVersion: { name: version.name, etag: version.etag, approvalReference: value.trim() }, updateMask: { paths: ["approval_reference"] } },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("versions.referenceSaved") });
          close();
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t("versions.referenceEdit")} fullScreen={phone} closeButtonProps={{ "aria-label": t("common:actions.close") }}>
      <form onSubmit={submit} noValidate aria-label={t("versions.referenceEdit")}>
        <Stack gap="sm">
          <ApprovalReferenceInput kind={version.kind} value={value} onChange={setValue} error={fieldError(t, v, "approval_reference")} autoFocus />
          <MutationError error={update.error} reasonsNs="budget" prefix="budget_version." placed={["approval_reference"]} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={update.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button type="submit" loading={update.isPending}>
              {t("versions.referenceSave")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
