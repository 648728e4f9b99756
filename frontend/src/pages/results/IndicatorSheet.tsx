// /grants/:id/results/opsys: the grant's indicators as the EU's results
// platform (OPSYS) asks for them (GetIndicatorSheet): one row per indicator
// and breakdown (total, sex, country, ...), with baseline, target and
// current values and their dates, and what changed since the sheet was last
// recorded as submitted. A coordinator records a submission (with
// confirmation); the list of submissions follows.
import { useState } from "react";
import { Alert, Button, Group, Skeleton, Stack, Table, Text, Textarea } from "@mantine/core";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useParams } from "wouter";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { IndicatorSheetService, type IndicatorSheetRow } from "../../gen/pactum/v1/indicator_sheet_pb";
import { useFormat } from "../../lib/format";
import { showToast } from "../../lib/toast";
import { Empty, LoadError, PageHeader, Section } from "../../components/shared/ui";
import { ConfirmDialog } from "../../components/shared/ConfirmDialog";
import { newRequestId } from "../../components/shared/requestId";
import { useCountryName } from "../../components/projects/Countries";
import { formatValue } from "../../components/results/indicators";
import { WorkbookButton } from "../../components/results/WorkbookButton";

// Known disaggregations and categories in the user's language; others as
// they were typed.
function breakdown(t: TFunction, country: (c: string) => string, r: IndicatorSheetRow): string {
  if (!r.disaggregation) return t("results:opsys.total");
  const key = (s: string) => s.toLowerCase().replace(/ /g, "_");
  const d = t(`results:opsys.disaggregations.${key(r.disaggregation)}`, { defaultValue: r.disaggregation });
  const c =
    r.disaggregation === "country" ? country(r.category) : t(`results:opsys.categories.${key(r.category)}`, { defaultValue: r.category });
  return t("results:opsys.breakdown", { disaggregation: d, category: c });
}

export default function IndicatorSheet() {
  const { id } = useParams<{ id: string }>();
  const name = `grants/${id}`;
  const { t } = useTranslation(["results", "common"]);
  const fmt = useFormat();
  const country = useCountryName();
  const queryClient = useQueryClient();
  const grantQ = useQuery(GrantService.method.getGrant, { name });
  const grant = grantQ.data?.grant;
  const q = useQuery(IndicatorSheetService.method.getIndicatorSheet, { grant: name });
  const subsQ = useQuery(IndicatorSheetService.method.listIndicatorSubmissions, { grant: name, pageSize: 50 });
  const [confirm, setConfirm] = useState(false);
  const [note, setNote] = useState("");
  const [requestId, setRequestId] = useState(newRequestId);
  const record = useMutation(IndicatorSheetService.method.recordIndicatorSubmission);
  const sheet = q.data;
  const rows = sheet?.rows ?? [];
  const last = sheet?.lastSubmission;
  const v = (r: IndicatorSheetRow, s: string) => formatValue(t, fmt.locale, r.type, s);
  const when = (d: string) => (d ? fmt.date(d) : "");
  // What changed in a row since the last submission, the current value first.
  const changes = (r: IndicatorSheetRow): string[] => {
    const was = r.submittedRow;
    if (!was) return [t("results:opsys.new")];
    const none = t("common:none");
    return r.changedFields.map((f) => {
      switch (f) {
        case "current_value":
          return t("results:opsys.changed", { before: v(r, was.currentValue) || none, after: v(r, r.currentValue) || none });
        case "baseline":
          return t("results:opsys.fieldChanged", { field: t("results:opsys.cols.baseline"), before: v(r, was.baseline) || none, after: v(r, r.baseline) || none });
        case "target":
          return t("results:opsys.fieldChanged", { field: t("results:opsys.cols.target"), before: v(r, was.target) || none, after: v(r, r.target) || none });
        case "baseline_date":
          return t("results:opsys.fieldChanged", { field: t("results:opsys.baselineDate"), before: when(was.baselineDate) || none, after: when(r.baselineDate) || none });
        case "target_date":
          return t("results:opsys.fieldChanged", { field: t("results:opsys.targetDate"), before: when(was.targetDate) || none, after: when(r.targetDate) || none });
        default:
          return t("results:opsys.fieldChanged", { field: t("results:opsys.cols.code"), before: was.euCode || none, after: r.euCode || none });
      }
    });
  };

  const submit = () =>
    record.mutate(
      { grant: name, note: note.trim(), requestId },
      {
        onSuccess: () => {
          setConfirm(false);
          setNote("");
          setRequestId(newRequestId());
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("results:opsys.recorded") });
        },
      },
    );

  return (
    <>
      <PageHeader
        title={t("results:opsys.title")}
        back={{ href: `/grants/${id}/results`, label: t("results:rollup.title") }}
        subtitle={grant ? `${grant.donorReference} · ${grant.title}` : undefined}
        actions={
          <Group gap="sm" align="flex-start">
            <WorkbookButton kind="opsys" grant={name} />
            {sheet?.callerCanSubmit && (
              <Button color="teal" onClick={() => setConfirm(true)} disabled={rows.length === 0} data-testid="record-submission">
                {t("results:opsys.record")}
              </Button>
            )}
          </Group>
        }
      />
      <Text size="sm" c="gray.7" mb="md">
        {t("results:opsys.help")}
      </Text>
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.isPending ? (
        <Skeleton h={240} aria-busy="true" />
      ) : rows.length === 0 ? (
        <Empty>{t("results:opsys.empty")}</Empty>
      ) : (
        <Stack gap="lg">
          {last ? (
            <Alert color={sheet.changedCount > 0 ? "orange" : "teal"} variant="light" data-testid="opsys-status">
              {t("results:opsys.lastSubmitted", {
                date: fmt.dateTime(last.submitTime ? timestampDate(last.submitTime) : undefined),
                who: last.submitterDisplayName || t("results:opsys.someone"),
              })}{" "}
              {sheet.changedCount > 0 ? t("results:opsys.changedCount", { count: sheet.changedCount }) : t("results:opsys.noneChanged")}
            </Alert>
          ) : (
            <Alert color="gray" variant="light" data-testid="opsys-status">
              {t("results:opsys.never")}
            </Alert>
          )}
          <Table.ScrollContainer minWidth={900} type="native" tabIndex={0} role="region" aria-label={t("results:opsys.title")}>
            <Table verticalSpacing={6} horizontalSpacing={8} fz="sm" striped data-testid="opsys-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("results:opsys.cols.code")}</Table.Th>
                  <Table.Th scope="col">{t("results:opsys.cols.indicator")}</Table.Th>
                  <Table.Th scope="col">{t("results:opsys.cols.breakdown")}</Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t("results:opsys.cols.baseline")}
                  </Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t("results:opsys.cols.target")}
                  </Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t("results:opsys.cols.current")}
                  </Table.Th>
                  <Table.Th scope="col">{t("results:opsys.cols.source")}</Table.Th>
                  <Table.Th scope="col">{t("results:opsys.cols.sinceLast")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.key} data-testid="opsys-row" data-changed={r.changed ? "true" : "false"} aria-label={`${r.code} ${breakdown(t, country, r)}`}>
                    <Table.Td>
                      <Stack gap={2}>
                        <Text size="sm" fw={600}>
                          {r.euCode}
                        </Text>
                        <Text size="xs" c={r.euCorporate ? "indigo.8" : "gray.7"}>
                          {r.euCorporate ? t("results:opsys.corporate") : t("results:opsys.custom")}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <Text size="sm">{r.title}</Text>
                      <Text size="xs" c="gray.7">
                        {[r.unit, r.projectCode || t("results:opsys.allPartners")].filter(Boolean).join(" · ")}
                      </Text>
                    </Table.Td>
                    <Table.Td>{breakdown(t, country, r)}</Table.Td>
                    <Table.Td ta="end">
                      {v(r, r.baseline) || t("common:none")}
                      <Text size="xs" c="gray.7">
                        {when(r.baselineDate)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="end">
                      {v(r, r.target) || t("common:none")}
                      <Text size="xs" c="gray.7">
                        {when(r.targetDate)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="end" fw={600} data-testid="opsys-current">
                      {v(r, r.currentValue) || t("common:none")}
                      <Text size="xs" c="gray.7" fw={400}>
                        {when(r.currentDate)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>{r.dataSource}</Table.Td>
                    <Table.Td data-testid="opsys-since">
                      {!last ? (
                        <Text size="xs" c="gray.7">
                          {t("results:opsys.notSubmitted")}
                        </Text>
                      ) : r.changed ? (
                        <Stack gap={2}>
                          {changes(r).map((c) => (
                            <Text size="sm" fw={600} c="red.9" key={c}>
                              {c}
                            </Text>
                          ))}
                        </Stack>
                      ) : (
                        <Text size="xs" c="gray.7">
                          {t("results:opsys.unchanged")}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}

      <Section title={t("results:opsys.submissions")} id="opsys-submissions">
        {subsQ.error ? (
          <LoadError error={subsQ.error} onRetry={() => void subsQ.refetch()} />
        ) : (subsQ.data?.submissions ?? []).length === 0 ? (
          <Text size="sm" c="gray.7">
            {t("results:opsys.noSubmissions")}
          </Text>
        ) : (
          <Table verticalSpacing={4} fz="sm" data-testid="opsys-submissions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("results:opsys.cols.date")}</Table.Th>
                <Table.Th scope="col">{t("results:opsys.cols.by")}</Table.Th>
                <Table.Th scope="col" ta="end">
                  {t("results:opsys.cols.rows")}
                </Table.Th>
                <Table.Th scope="col">{t("results:opsys.cols.note")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {subsQ.data?.submissions.map((s) => (
                <Table.Tr key={s.name}>
                  <Table.Td>{fmt.dateTime(s.submitTime ? timestampDate(s.submitTime) : undefined)}</Table.Td>
                  <Table.Td>{s.submitterDisplayName || t("results:opsys.someone")}</Table.Td>
                  <Table.Td ta="end">{fmt.number(s.rowCount)}</Table.Td>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{s.note}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>

      <ConfirmDialog
        opened={confirm}
        onClose={() => setConfirm(false)}
        title={t("results:opsys.confirmTitle")}
        body={t("results:opsys.confirmBody", { count: rows.length })}
        confirmLabel={t("results:opsys.record")}
        color="teal"
        onConfirm={submit}
        pending={record.isPending}
        error={record.error}
        reasonsNs="results"
      >
        <Textarea label={t("results:opsys.note")} description={t("results:opsys.noteHelp")} maxLength={2000} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      </ConfirmDialog>
    </>
  );
}
