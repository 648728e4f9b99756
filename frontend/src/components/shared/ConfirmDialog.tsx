// A dialog that asks before a change that cannot simply be typed back
// (close, reopen, delete, cancel): what will happen, an optional field (a
// reason), the server's refusal in the user's language, and the buttons.
import type { ReactNode } from "react";
import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { MutationError, errorReason } from "../grants/MutationError";

export function ConfirmDialog({
  opened,
  onClose,
  title,
  body,
  children,
  confirmLabel,
  color,
  onConfirm,
  pending,
  error,
  reasonsNs,
  onReload,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  body: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  color: string;
  onConfirm: () => void;
  pending: boolean;
  error: unknown;
  reasonsNs?: string;
  onReload?: () => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 36em)");
  return (
    <Modal opened={opened} onClose={onClose} title={title} fullScreen={phone} closeButtonProps={{ "aria-label": t("common:actions.close") }}>
      <Stack gap="md">
        <Text size="sm">{body}</Text>
        {children}
        <MutationError error={error} reasonsNs={reasonsNs} onReload={onReload} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={pending}>
            {t("common:actions.cancel")}
          </Button>
          <Button color={color} onClick={onConfirm} loading={pending} disabled={!!errorReason(error)}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
