// /grants/:id/expenditures/import: expenditures from a ledger (CSV or XLSX).
// Download the template (it lists the grant's budget lines), fill it in,
// Check it (nothing is stored) and Import it. The import is all or nothing:
// any problem refuses the whole file, and the report names each row, column
// and problem. Rows imported before are skipped, never added twice.
import { useState } from "react";
import { Alert, Anchor, Button, FileInput, Group, List, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ExpenditureService, LedgerDateOrder, type ImportLedgerResponse, type LedgerColumn } from "../../gen/pactum/v1/expenditure_pb";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { LoadError, PageHeader, Section } from "../../components/shared/ui";
import { MutationError } from "../../components/grants/MutationError";
import { ProblemsTable } from "../../components/expenditures/ProblemsTable";
import { fileBytes, formatBytes, saveBytes } from "../../components/expenditures/files";
import { warnText, success } from "../../components/expenditures/shared";
import { SubmitImport } from "../../components/expenditures/SubmitImport";
import { PageLoader } from "../../components/PageLoader";

const maxLedgerBytes = 32 * 1024 * 1024;

export default function LedgerImport() {
  const { id } = useParams<{ id: string }>();
  const grantName = `grants/${id}`;
  const { t } = useTranslation(["expenditures", "common", "finance"]);
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const grantQ = useQuery(GrantService.method.getGrant, { name: grantName });
  const grant = grantQ.data?.grant;

  const template = useMutation(ExpenditureService.method.getLedgerTemplate);
  const importer = useMutation(ExpenditureService.method.importLedger);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState("");
  const [result, setResult] = useState<{ checked: boolean; res: ImportLedgerResponse; file: string }>();
  // When the file's headers leave required columns unrecognised: which of
  // its headers holds each (chosen here, sent as column_mapping).
  const [toMap, setToMap] = useState<{ headers: string[]; columns: LedgerColumn[] }>();
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [mapError, setMapError] = useState("");
  const [dateOrder, setDateOrder] = useState<LedgerDateOrder>(LedgerDateOrder.DAY_FIRST);

  const download = () =>
    template.mutate(
      { parent: grantName },
      { onSuccess: (r) => saveBytes(r.content, r.fileName || "ledger-template.xlsx", r.contentType) },
    );

  const run = async (validateOnly: boolean) => {
    setResult(undefined);
    importer.reset();
    if (!file) {
      setFileError(t("expenditures:import.chooseFirst"));
      return;
    }
    if (file.size > maxLedgerBytes) {
      setFileError(t("expenditures:import.tooLarge"));
      return;
    }
    if (toMap && toMap.columns.some((c) => !mapping[c.key])) {
      setMapError(t("expenditures:import.map.chooseAll"));
      return;
    }
    setMapError("");
    const content = await fileBytes(file);
    importer.mutate(
      { parent: grantName, fileName: file.name, content, validateOnly, dateOrder, columnMapping: mapping },
      {
        onSuccess: (res) => {
          if (res.unmatchedColumns.length > 0) {
            setToMap({ headers: res.headers.filter((h) => h.trim() !== ""), columns: res.unmatchedColumns });
            setResult(undefined);
            return;
          }
          setResult({ checked: validateOnly, res, file: file.name });
          if (!validateOnly && res.problems.length === 0) void queryClient.invalidateQueries();
        },
      },
    );
  };

  if (grantQ.isLoading) return <PageLoader />;
  const back = { href: `/grants/${id}/expenditures`, label: t("expenditures:title") };
  if (!grant) {
    return (
      <>
        <PageHeader title={t("expenditures:import.title")} back={back} />
        <LoadError error={grantQ.error} onRetry={() => void grantQ.refetch()} />
      </>
    );
  }

  const res = result?.res;
  const refused = !!res && res.problems.length > 0;

  return (
    <>
      <PageHeader title={t("expenditures:import.title")} back={back} subtitle={`${grant.donorReference} · ${grant.title}`} />
      <Stack gap="md">
        <Section title={t("expenditures:import.templateTitle")} id="template">
          <Text size="sm" mb="xs">
            {t("expenditures:import.templateIntro")}
          </Text>
          <List size="sm" mb="sm" spacing={2}>
            <List.Item>{t("expenditures:import.rule1")}</List.Item>
            <List.Item>{t("expenditures:import.rule2")}</List.Item>
            <List.Item>{t("expenditures:import.rule3")}</List.Item>
            <List.Item>{t("expenditures:import.rule4")}</List.Item>
          </List>
          <Button variant="default" onClick={download} loading={template.isPending}>
            {t("expenditures:import.download")}
          </Button>
          {template.error != null && (
            <Stack mt="sm">
              <MutationError error={template.error} reasonsNs="expenditures" />
            </Stack>
          )}
        </Section>

        <Section title={t("expenditures:import.fileTitle")} id="file">
          <Stack gap="sm">
            <FileInput
              label={t("expenditures:import.file")}
              description={t("expenditures:import.fileHelp")}
              placeholder={t("expenditures:receipts.choose")}
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              value={file}
              onChange={(f) => {
                setFile(f);
                setFileError("");
                setToMap(undefined);
                setMapping({});
                setMapError("");
                setResult(undefined);
                importer.reset();
              }}
              error={fileError || undefined}
              clearable
              clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
              maw={520}
            />
            {file && (
              <Text size="xs" c="dimmed">
                {file.name} · {formatBytes(file.size, fmt.locale)}
              </Text>
            )}
            <Select
              label={t("expenditures:import.dateOrder")}
              description={t("expenditures:import.dateOrderHelp")}
              data={[
                { value: String(LedgerDateOrder.DAY_FIRST), label: t("expenditures:import.dayFirst") },
                { value: String(LedgerDateOrder.MONTH_FIRST), label: t("expenditures:import.monthFirst") },
              ]}
              value={String(dateOrder)}
              onChange={(v) => {
                setDateOrder(Number(v ?? LedgerDateOrder.DAY_FIRST) as LedgerDateOrder);
                setResult(undefined);
              }}
              allowDeselect={false}
              maw={520}
            />
            {toMap && (
              <Alert color="blue" variant="light" title={t("expenditures:import.map.title")} id="mapping">
                <Stack gap="sm">
                  <Text size="sm">{t("expenditures:import.map.intro", { file: file?.name ?? "" })}</Text>
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                    {toMap.columns.map((c) => (
                      <Select
                        key={c.key}
                        label={t(`expenditures:import.columns.${c.key}`, { defaultValue: c.title })}
                        placeholder={t("expenditures:import.map.pick")}
                        required
                        data={toMap.headers.map((h) => ({ value: h, label: h }))}
                        value={mapping[c.key] ?? null}
                        onChange={(v) => {
                          setMapping((m) => {
                            const next = { ...m };
                            if (v) next[c.key] = v;
                            else delete next[c.key];
                            return next;
                          });
                          setMapError("");
                        }}
                        error={mapError && !mapping[c.key] ? mapError : undefined}
                      />
                    ))}
                  </SimpleGrid>
                </Stack>
              </Alert>
            )}
            <Group gap="sm">
              <Button variant="default" onClick={() => void run(true)} loading={importer.isPending && importer.variables?.validateOnly} disabled={importer.isPending}>
                {t("expenditures:import.check")}
              </Button>
              <Button
                onClick={() => void run(false)}
                loading={importer.isPending && !importer.variables?.validateOnly}
                disabled={importer.isPending || refused}
              >
                {t("expenditures:import.import")}
              </Button>
            </Group>
            {importer.isPending && (
              <Text size="sm" c="dimmed" role="status">
                {importer.variables?.validateOnly ? t("expenditures:import.checking") : t("expenditures:import.importing")}
              </Text>
            )}
            <MutationError error={importer.error} reasonsNs="expenditures" />

            {res && refused && (
              <Alert color="red" variant="light" role="alert" title={t("expenditures:import.refusedTitle", { file: result.file })}>
                <Text size="sm">{t("expenditures:import.refusedBody", { count: res.rowCount, rows: fmt.number(res.rowCount) })}</Text>
              </Alert>
            )}
            {res && !refused && result.checked && (
              <Alert {...success} role="status" title={t("expenditures:import.checkedTitle", { file: result.file })}>
                <Text size="sm">
                  {t("expenditures:import.checkedBody", { count: res.rowCount, rows: fmt.number(res.rowCount) })}
                  {res.skippedCount > 0 && ` ${t("expenditures:import.wouldSkip", { count: res.skippedCount, skipped: fmt.number(res.skippedCount) })}`}
                </Text>
              </Alert>
            )}
            {res && !refused && !result.checked && (
              <Alert {...success} role="status" title={t("expenditures:import.doneTitle", { count: res.importedCount, imported: fmt.number(res.importedCount) })}>
                <Stack gap={4}>
                  <Text size="sm">
                    {t("expenditures:import.doneBody", { rows: fmt.number(res.rowCount), skipped: fmt.number(res.skippedCount), count: res.skippedCount })}
                  </Text>
                  {res.rateMissingCount > 0 && (
                    <Text size="sm" c={warnText} fw={600}>
                      {t("expenditures:import.doneRateMissing", { count: res.rateMissingCount, missing: fmt.number(res.rateMissingCount) })}{" "}
                      <Anchor component={Link} href={`/grants/${id}/expenditures?rateMissing=1`} fz="sm">
                        {t("expenditures:rateMissing.showThem")}
                      </Anchor>
                    </Text>
                  )}
                  {res.ledgerImport && res.importedCount > 0 && <SubmitImport grant={grantName} importName={res.ledgerImport} count={res.importedCount} />}
                  <Anchor component={Link} href={`/grants/${id}/expenditures`} fz="sm">
                    {t("expenditures:import.toList")}
                  </Anchor>
                </Stack>
              </Alert>
            )}
          </Stack>
        </Section>

        {res && refused && (
          <Section title={t("expenditures:problems.title")} id="problems">
            <ProblemsTable problems={res.problems} caption={t("expenditures:problems.title")} />
          </Section>
        )}
      </Stack>
    </>
  );
}
