// Receipts of an expenditure: the list with download links, an upload with a
// progress bar (XMLHttpRequest, so that a partner on a slow connection sees
// how far along a scanned invoice is, and can cancel it), and deletion.
// Uploads are plain HTTP: POST /api/v1/{expenditure}/receipts, multipart
// field "file"; the server sniffs the type and refuses other files.
import { useState } from "react";
import { Anchor, Button, FileInput, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ExpenditureService, type Expenditure, type Receipt } from "../../gen/pactum/v1/expenditure_pb";
import { useFormat } from "../../lib/format";
import { showToast } from "../../lib/toast";
import { MutationError } from "../grants/MutationError";
import { formatBytes } from "./files";
import { useUpload } from "./useUpload";
import { UploadStatus } from "./UploadStatus";
import { numeric, srOnly, warnText } from "./shared";

export const maxReceiptBytes = 10 * 1024 * 1024;
export const receiptTypes = "application/pdf,image/jpeg,image/png,image/webp,.pdf,.jpg,.jpeg,.png,.webp";
const allowedTypes = new Set(["application/pdf", "image/jpeg", "image/png", "image/webp"]);
const allowedExtensions = /\.(pdf|jpe?g|png|webp)$/i;

export function Receipts({ expenditure, editable, onChanged }: { expenditure: Expenditure; editable: boolean; onChanged: () => void }) {
  const { t } = useTranslation(["expenditures", "common"]);
  const fmt = useFormat();
  const phone = useMediaQuery("(max-width: 36em)");
  const [file, setFile] = useState<File | null>(null);
  const { progress, uploading, error, setError, send, cancel } = useUpload();
  const [deleting, setDeleting] = useState<Receipt>();
  const del = useMutation(ExpenditureService.method.deleteReceipt);

  const upload = (f: File) => {
    setError(undefined);
    // Checked here too, so that nobody waits for 30 MB to be refused.
    if (f.size > maxReceiptBytes) {
      setError({ kind: "tooLarge" });
      return;
    }
    if (!allowedTypes.has(f.type) && !allowedExtensions.test(f.name)) {
      setError({ kind: "typeNotAllowed" });
      return;
    }
    send(`/api/v1/${expenditure.name}/receipts`, f, () => {
      setFile(null);
      showToast({ color: "teal", message: t("expenditures:receipts.uploaded", { file: f.name }) });
      onChanged();
    });
  };

  const confirmDelete = () => {
    if (!deleting) return;
    del.mutate(
      { name: deleting.name },
      {
        onSuccess: () => {
          setDeleting(undefined);
          showToast({ color: "teal", message: t("expenditures:receipts.deleted") });
          onChanged();
        },
      },
    );
  };

  const receipts = expenditure.receipts;

  return (
    <Stack gap="sm">
      {receipts.length === 0 ? (
        <Text size="sm" c={editable ? "dimmed" : warnText}>
          {t("expenditures:receipts.none")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={phone ? 320 : 520} type="native" style={{ position: "relative" }}>
          <Table verticalSpacing={6}>
            <Table.Caption style={srOnly}>{t("expenditures:receipts.title")}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("expenditures:receipts.file")}</Table.Th>
                <Table.Th scope="col" style={{ textAlign: "right" }}>
                  {t("expenditures:receipts.size")}
                </Table.Th>
                {!phone && <Table.Th scope="col">{t("expenditures:receipts.added")}</Table.Th>}
                {editable && (
                  <Table.Th scope="col">
                    <span style={srOnly}>{t("expenditures:columns.actions")}</span>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {receipts.map((r) => (
                <Table.Tr key={r.name}>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>
                    <Anchor href={`/api/v1/${r.name}`} download={r.fileName} fz="sm">
                      {r.fileName || t("expenditures:receipts.file")}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {r.contentType}
                    </Text>
                  </Table.Td>
                  <Table.Td style={numeric}>{formatBytes(r.sizeBytes, fmt.locale)}</Table.Td>
                  {!phone && <Table.Td>{r.createTime ? fmt.dateTime(timestampDate(r.createTime)) : ""}</Table.Td>}
                  {editable && (
                    <Table.Td style={{ textAlign: "right" }}>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        onClick={() => {
                          del.reset();
                          setDeleting(r);
                        }}
                        aria-label={t("expenditures:receipts.deleteOne", { file: r.fileName })}
                      >
                        {t("common:actions.delete")}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {editable && (
        <Stack gap="xs">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <FileInput
              label={t("expenditures:receipts.add")}
              description={t("expenditures:receipts.limits")}
              placeholder={t("expenditures:receipts.choose")}
              accept={receiptTypes}
              value={file}
              onChange={(f) => {
                setFile(f);
                setError(undefined);
                if (f) upload(f);
              }}
              disabled={uploading}
              clearable={!uploading}
              style={{ flex: "1 1 16rem" }}
              clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
            />
            {uploading ? (
              <Button variant="default" onClick={cancel}>
                {t("expenditures:receipts.cancel")}
              </Button>
            ) : (
              file &&
              (error?.kind === "network" || error?.kind === "server") && (
                <Button variant="default" onClick={() => upload(file)}>
                  {t("expenditures:receipts.retry")}
                </Button>
              )
            )}
          </Group>
          <UploadStatus keys="expenditures:receipts" progress={progress} error={error} fileName={file?.name ?? ""} testId="receipt-progress" />
        </Stack>
      )}

      <Modal
        opened={!!deleting}
        onClose={() => setDeleting(undefined)}
        title={t("expenditures:receipts.deleteTitle")}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{t("expenditures:receipts.deleteBody", { file: deleting?.fileName ?? "" })}</Text>
          <MutationError error={del.error} reasonsNs="expenditures" />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setDeleting(undefined)} disabled={del.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button color="red" onClick={confirmDelete} loading={del.isPending}>
              {t("common:actions.delete")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
