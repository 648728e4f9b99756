// A button that makes a results workbook (the logframe or the OPSYS
// indicator sheet) on the server and hands it to the browser's downloads,
// in the user's language; the server's refusal shows under it.
import { useState } from "react";
import { Button, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { MutationError } from "../grants/MutationError";
import { saveReport } from "../report/download";
import { fetchWorkbook, type Workbook } from "./download";

export function WorkbookButton({ kind, grant, variant = "default" }: { kind: Workbook; grant: string; variant?: string }) {
  const { t, i18n } = useTranslation(["results", "common"]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      saveReport(await fetchWorkbook(kind, grant, i18n.language, () => {}));
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };
  return (
    <Stack gap={4}>
      <Button variant={variant} loading={running} onClick={() => void run()} data-testid={`download-${kind}`}>
        {kind === "logframe" ? t("results:downloads.logframe") : t("results:downloads.opsys")}
      </Button>
      <MutationError error={error} />
    </Stack>
  );
}
