// "Payment request (PDF)": the request for payment of the next
// pre-financing instalment in the shape of the EU's Annex V
// (ReportService.ExportPaymentRequest), in the language chosen, with the
// signatory's name and function when given.
import { useState } from "react";
import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { IconFileTypePdf } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../lib/errors";
import { languages } from "../../lib/i18n";
import { saveReport } from "../report/download";
import { fetchPaymentRequest } from "../report/paymentRequest";

export default function PaymentRequestButton({ grantName, nextInstalment }: { grantName: string; nextInstalment: number }) {
  const { t, i18n } = useTranslation("budget");
  const phone = useMediaQuery("(max-width: 36em)");
  const [open, setOpen] = useState(false);
  const [language, setLanguage] = useState<string | null>(languages.some((l) => l.code === i18n.language) ? i18n.language : "en");
  const [name, setName] = useState("");
  const [fn, setFn] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState("");
  const download = async () => {
    setBusy(true);
    setError(undefined);
    setDone("");
    try {
      const r = await fetchPaymentRequest({ grant: grantName, language: language ?? "en", signatoryName: name.trim(), signatoryFunction: fn.trim() });
      saveReport(r);
      setDone(r.fileName);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="sm" variant="light" leftSection={<IconFileTypePdf size={16} aria-hidden />} onClick={() => (setDone(""), setError(undefined), setOpen(true))}>
        {t("prefinancing.payreq.button")}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t("prefinancing.payreq.title")} fullScreen={phone} closeButtonProps={{ "aria-label": t("common:actions.close") }}>
        <Stack gap="sm">
          <Text size="sm">{t("prefinancing.payreq.help", { number: nextInstalment })}</Text>
          <Select
            label={t("prefinancing.payreq.language")}
            data={languages.map((l) => ({ value: l.code, label: l.label }))}
            value={language}
            onChange={setLanguage}
            allowDeselect={false}
            disabled={busy}
          />
          <TextInput label={t("prefinancing.payreq.signatoryName")} description={t("prefinancing.payreq.optional")} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} disabled={busy} />
          <TextInput label={t("prefinancing.payreq.signatoryFunction")} value={fn} onChange={(e) => setFn(e.currentTarget.value)} maxLength={200} disabled={busy} />
          {!!error && (
            <Alert color="red" variant="light">
              {errorMessage(error, t)}
            </Alert>
          )}
          {done && (
            <Text size="sm" c="teal.9" role="status">
              {t("prefinancing.payreq.done", { file: done })}
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setOpen(false)} disabled={busy}>
              {t("common:actions.close")}
            </Button>
            <Button onClick={() => void download()} loading={busy} leftSection={<IconFileTypePdf size={16} aria-hidden />}>
              {t("prefinancing.payreq.download")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
