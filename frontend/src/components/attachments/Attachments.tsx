// Photos and documents attached to an activity or a progress update: the
// list with download links, an upload with a progress bar (XMLHttpRequest,
// so that a partner on a slow connection sees how far along a photo is, and
// can cancel it), and deletion with a confirmation.
//
// Uploads are plain HTTP: POST /files/{parent}/attachments, multipart field
// "file"; the server answers the Attachment as JSON, sniffs the type and
// refuses other files (415) and files too large (413).
//
// Its words are in the "progress" namespace (attachments.*), loaded here on
// demand behind its own Suspense, so screens of other areas can use it
// without listing that namespace.
import { Suspense, useState, type CSSProperties } from "react";
import { Alert, Anchor, Badge, Button, Checkbox, FileInput, Group, Loader, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { AttachmentSchema, AttachmentService, type Attachment } from "../../gen/pactum/v1/attachment_pb";
import { useFormat } from "../../lib/format";
import { errorMessage, fieldViolations } from "../../lib/errors";
import { showToast } from "../../lib/toast";
import { MutationError } from "../grants/MutationError";
import { formatBytes } from "../expenditures/files";
import { useUpload } from "../expenditures/useUpload";
import { UploadStatus } from "../expenditures/UploadStatus";

export interface AttachmentsProps {
  // "projects/{p}/activities/{a}" or "progressUpdates/{u}".
  parent: string;
  editable: boolean;
  // onChanged is called after an upload or a deletion.
  onChanged?: (attachments: Attachment[]) => void;
}

// The server's limit (internal/attachment MaxBytes), checked here too so
// that nobody waits for 50 MB to be refused.
export const maxAttachmentBytes = 20 * 1024 * 1024;

export const attachmentTypes =
  "application/pdf,image/*,text/plain,text/csv,.pdf,.jpg,.jpeg,.png,.webp,.gif,.heic,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.txt,.csv";

export function Attachments(props: AttachmentsProps) {
  return (
    <Suspense fallback={<Loader size="sm" aria-label="…" />}>
      <AttachmentList {...props} />
    </Suspense>
  );
}

export default Attachments;

function AttachmentList({ parent, editable, onChanged }: AttachmentsProps) {
  const { t } = useTranslation(["progress", "common"]);
  const fmt = useFormat();
  const phone = useMediaQuery("(max-width: 36em)");
  const list = useQuery(AttachmentService.method.listAttachments, { parent, pageSize: 1000 }, { enabled: !!parent });
  const del = useMutation(AttachmentService.method.deleteAttachment);
  const [file, setFile] = useState<File | null>(null);
  const { progress, uploading, error, setError, send, cancel } = useUpload();
  const [deleting, setDeleting] = useState<Attachment>();
  const inputId = `attachments-${parent.replaceAll("/", "-")}`;

  const changed = async () => {
    const r = await list.refetch();
    onChanged?.(r.data?.attachments ?? []);
  };

  const upload = (f: File) => {
    if (f.size > maxAttachmentBytes) {
      setError({ kind: "tooLarge" });
      return;
    }
    send(`/files/${parent}/attachments`, f, (answer) => {
      let name = f.name;
      try {
        name = fromJson(AttachmentSchema, JSON.parse(answer) as JsonValue, { ignoreUnknownFields: true }).fileName || f.name;
      } catch {
        // The list below shows what the server kept.
      }
      setFile(null);
      showToast({ color: "teal", message: t("progress:attachments.uploaded", { file: name }) });
      void changed();
    });
  };

  const confirmDelete = () => {
    if (!deleting) return;
    del.mutate(
      { name: deleting.name },
      {
        onSuccess: () => {
          setDeleting(undefined);
          showToast({ color: "teal", message: t("progress:attachments.deleted") });
          void changed();
        },
      },
    );
  };

  const attachments = list.data?.attachments ?? [];

  return (
    <Stack gap="sm" data-testid="attachments">
      {list.isLoading ? (
        <Loader size="sm" aria-label={t("common:loading")} />
      ) : list.error ? (
        <Alert color="red" variant="light" role="alert" title={errorMessage(list.error, t)}>
          <Button size="xs" variant="default" onClick={() => void list.refetch()}>
            {t("common:actions.reload")}
          </Button>
        </Alert>
      ) : attachments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("progress:attachments.none")}
        </Text>
      ) : (
        <ul className="pactum-attachments" aria-label={t("progress:attachments.title")}>
          {attachments.map((a) => (
            <li key={a.name}>
              <div style={{ minWidth: 0, flex: "1 1 12rem" }}>
                <Anchor href={a.downloadPath || `/files/${a.name}`} download={a.fileName} fz="sm" style={{ overflowWrap: "anywhere" }}>
                  {a.fileName || t("progress:attachments.file")}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {[formatBytes(a.sizeBytes, fmt.locale), a.uploaderDisplayName, !phone && a.createTime ? fmt.dateTime(timestampDate(a.createTime)) : ""]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
              </div>
              {editable && (
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  onClick={() => {
                    del.reset();
                    setDeleting(a);
                  }}
                  aria-label={t("progress:attachments.deleteOne", { file: a.fileName })}
                >
                  {t("common:actions.delete")}
                </Button>
              )}
              {isPhoto(a) && (
                <div style={{ flex: "1 1 100%", minWidth: 0 }}>
                  <PhotoDetails attachment={a} onSaved={() => void changed()} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}

      {editable && (
        <Stack gap="xs">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <FileInput
              id={inputId}
              label={t("progress:attachments.add")}
              description={t("progress:attachments.limits")}
              placeholder={t("progress:attachments.choose")}
              accept={attachmentTypes}
              value={file}
              onChange={(f) => {
                setFile(f);
                setError(undefined);
                if (f) upload(f);
              }}
              disabled={uploading}
              clearable={!uploading}
              style={{ flex: "1 1 14rem", minWidth: 0 }}
              // Mantine's placeholder grey is too faint (WCAG AA).
              styles={{ input: { "--input-placeholder-color": "var(--mantine-color-gray-7)" } as CSSProperties }}
              clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
            />
            {uploading ? (
              <Button variant="default" onClick={cancel}>
                {t("progress:attachments.cancel")}
              </Button>
            ) : (
              file &&
              (error?.kind === "network" || error?.kind === "server") && (
                <Button variant="default" onClick={() => upload(file)}>
                  {t("progress:attachments.retry")}
                </Button>
              )
            )}
          </Group>
          <UploadStatus keys="progress:attachments" progress={progress} error={error} fileName={file?.name ?? ""} />
        </Stack>
      )}

      <Modal
        opened={!!deleting}
        onClose={() => setDeleting(undefined)}
        title={t("progress:attachments.deleteTitle")}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{t("progress:attachments.deleteBody", { file: deleting?.fileName ?? "" })}</Text>
          <MutationError error={del.error} />
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

// A badge whose words wrap on a narrow screen rather than being cut.
const wrapping = {
  root: { textTransform: "none", height: "auto", maxWidth: "100%", paddingBlock: 2 },
  label: { whiteSpace: "normal", overflow: "visible", textOverflow: "clip" },
} as const;

// isPhoto: the files whose caption, credit and consent matter (reports
// print photos, never other files).
export function isPhoto(a: Attachment): boolean {
  return a.contentType.startsWith("image/");
}

// PhotoDetails shows a photo's caption, credit and consent, and lets whoever
// may change the record's files edit them (saved with the photo's etag). A
// photo without consent is marked: reports leave it out.
function PhotoDetails({ attachment: a, onSaved }: { attachment: Attachment; onSaved: () => void }) {
  const { t } = useTranslation(["progress", "common"]);
  const update = useMutation(AttachmentService.method.updateAttachment);
  const [editing, setEditing] = useState(false);
  const [caption, setCaption] = useState(a.caption);
  const [credit, setCredit] = useState(a.credit);
  const [consent, setConsent] = useState(a.consent);
  const [etag, setEtag] = useState(a.etag);
  const id = `photo-${a.name.replaceAll("/", "-")}`;

  const open = () => {
    setCaption(a.caption);
    setCredit(a.credit);
    setConsent(a.consent);
    setEtag(a.etag);
    update.reset();
    setEditing(true);
  };
  const save = () => {
    update.mutate(
      {
        attachment: { name: a.name, etag, caption, credit, consent },
        updateMask: { paths: ["caption", "credit", "consent"] },
      },
      {
        onSuccess: () => {
          setEditing(false);
          showToast({ color: "teal", message: t("progress:attachments.photo.saved", { file: a.fileName }) });
          onSaved();
        },
      },
    );
  };

  if (editing) {
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
        aria-label={t("progress:attachments.photo.formLabel", { file: a.fileName })}
      >
        <Stack gap="xs" mt="xs" mb="xs">
          <TextInput
            id={`${id}-caption`}
            label={t("progress:attachments.photo.caption")}
            description={t("progress:attachments.photo.captionHelp")}
            value={caption}
            maxLength={500}
            onChange={(e) => setCaption(e.currentTarget.value)}
            error={fieldViolations(update.error, "attachment.").caption}
          />
          <TextInput
            id={`${id}-credit`}
            label={t("progress:attachments.photo.credit")}
            description={t("progress:attachments.photo.creditHelp")}
            value={credit}
            maxLength={200}
            onChange={(e) => setCredit(e.currentTarget.value)}
            error={fieldViolations(update.error, "attachment.").credit}
          />
          <Checkbox
            id={`${id}-consent`}
            label={t("progress:attachments.photo.consent")}
            description={t("progress:attachments.photo.consentHelp")}
            checked={consent}
            onChange={(e) => setConsent(e.currentTarget.checked)}
          />
          <MutationError
            error={update.error}
            placed={["caption", "credit"]}
            prefix="attachment."
            onReload={() => {
              // Keep what was typed; take the photo's new etag.
              onSaved();
              setEtag(a.etag);
              update.reset();
            }}
          />
          <Group gap="sm">
            <Button type="submit" size="sm" loading={update.isPending}>
              {t("common:actions.save")}
            </Button>
            <Button variant="default" size="sm" onClick={() => setEditing(false)} disabled={update.isPending}>
              {t("common:actions.cancel")}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  }

  return (
    <Stack gap={4} mt={4} data-testid="photo-details">
      {a.caption && (
        <Text size="sm" style={{ overflowWrap: "anywhere" }}>
          {a.caption}
        </Text>
      )}
      {a.credit && (
        <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
          {t("progress:attachments.photo.creditShown", { credit: a.credit })}
        </Text>
      )}
      <Group gap="xs" wrap="wrap">
        {a.consent ? (
          <Badge color="teal" variant="light" size="sm" styles={wrapping}>
            {t("progress:attachments.photo.consentGiven")}
          </Badge>
        ) : (
          <Badge color="orange" variant="light" size="sm" styles={wrapping}>
            {t("progress:attachments.photo.noConsent")}
          </Badge>
        )}
        {a.callerCanUpdate && (
          <Button size="compact-sm" variant="subtle" onClick={open} aria-label={t("progress:attachments.photo.editOne", { file: a.fileName })}>
            {t("progress:attachments.photo.edit")}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

