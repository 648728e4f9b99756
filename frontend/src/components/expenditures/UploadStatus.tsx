// UploadStatus shows how far along an upload is (useUpload) and why it
// failed, in the words of the screen's namespace: keys (a prefix such as
// "expenditures:receipts") must have progressLabel, progress and errors.*.
import { Alert, Progress, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import type { UploadFailure } from "./useUpload";

interface Props {
  keys: "expenditures:receipts" | "progress:attachments";
  progress: number | undefined;
  error: UploadFailure | undefined;
  fileName: string;
  testId?: string;
}

export function UploadStatus({ keys, progress, error, fileName, testId }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <>
      {progress !== undefined && (
        <Stack gap={4} data-testid={testId}>
          <Progress value={progress} size="lg" radius="xl" animated striped aria-label={t(`${keys}.progressLabel`, { file: fileName })} />
          <Text size="xs" c="dimmed" aria-live="polite">
            {t(`${keys}.progress`, { percent: new Intl.NumberFormat(fmt.locale, { style: "percent" }).format(progress / 100) })}
          </Text>
        </Stack>
      )}
      {error && (
        <Alert color="red" variant="light" role="alert" title={t(`${keys}.errors.${error.kind}`)}>
          {error.detail && (
            <Text size="xs" c="dimmed" lang="en">
              {error.detail}
            </Text>
          )}
        </Alert>
      )}
    </>
  );
}
