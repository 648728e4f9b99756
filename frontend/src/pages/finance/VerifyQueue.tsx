// /grants/:id/expenditures/verify: the verification queue of finance
// staff. Every submitted expenditure of the grant, oldest first, with a
// checkbox each and "select all"; "Verify selected" and "Reject selected"
// (a reason required) act on the selection in one call per 500, each item
// under the single call's rules, and show a result per item: done, or
// refused and why (four eyes: what the reader recorded or submitted is
// marked, and another finance officer must verify it). Phones get cards.
import { memo, useCallback, useMemo, useState } from "react";
import { Alert, Badge, Button, Checkbox, Group, List, Modal, Paper, Stack, Table, Text, Textarea } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { createConnectQueryKey, useInfiniteQuery, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ExpenditureService, ExpenditureStatus, type BatchExpenditureResult, type Expenditure } from "../../gen/pactum/v1/expenditure_pb";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { errorMessage } from "../../lib/errors";
import { Empty, LoadError, LoadMore, PageHeader } from "../../components/shared/ui";
import { newRequestId } from "../../components/shared/requestId";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { numeric, warnText } from "../../components/expenditures/shared";
import { chunks, refusal } from "../../components/expenditures/batch";
import { PageLoader } from "../../components/PageLoader";

// Every expenditure query, finite or infinite: refreshed after a change.
const expenditureQueries = createConnectQueryKey({ schema: ExpenditureService, cardinality: undefined });

type Outcome = { done: number; refused: BatchExpenditureResult[]; action: "verify" | "reject" };

export default function VerifyQueue() {
  const { id } = useParams<{ id: string }>();
  const parent = `grants/${id}`;
  const { t } = useTranslation(["finance", "expenditures", "common"]);
  const fmt = useFormat();
  const qc = useQueryClient();
  const phone = useMediaQuery("(max-width: 48em)", window.matchMedia("(max-width: 48em)").matches, { getInitialValueInEffect: false });
  const grant = useQuery(GrantService.method.getGrant, { name: parent });
  const list = useInfiniteQuery(
    ExpenditureService.method.listExpenditures,
    { parent, status: ExpenditureStatus.SUBMITTED, pageSize: 500, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const rows = useMemo(() => [...(list.data?.pages.flatMap((p) => p.expenditures) ?? [])].reverse(), [list.data]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [refusedByName, setRefusedByName] = useState<Map<string, BatchExpenditureResult>>(new Map());
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const verify = useMutation(ExpenditureService.method.batchVerifyExpenditures);
  const reject = useMutation(ExpenditureService.method.batchRejectExpenditures);
  const toggle = useCallback(
    (name: string, on: boolean) =>
      setSelected((prev) => {
        const next = new Set(prev);
        if (on) next.add(name);
        else next.delete(name);
        return next;
      }),
    [],
  );

  if (grant.isPending || list.isPending) return <PageLoader />;
  if (grant.error) return <LoadError error={grant.error} onRetry={() => void grant.refetch()} />;
  if (list.error) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  const g = grant.data.grant;
  const currency = g?.currencyCode ?? "";
  const chosen = rows.filter((e) => selected.has(e.name));
  const all = rows.length > 0 && chosen.length === rows.length;

  const run = async (action: "verify" | "reject") => {
    setBusy(true);
    setFailure(null);
    const refused: BatchExpenditureResult[] = [];
    let done = 0;
    try {
      for (const part of chunks(chosen)) {
        const items = part.map((e) => ({ name: e.name, etag: e.etag }));
        const requestId = newRequestId();
        const res =
          action === "verify"
            ? await verify.mutateAsync({ parent, items, requestId })
            : await reject.mutateAsync({ parent, items, reason: reason.trim(), requestId });
        done += res.doneCount;
        refused.push(...res.results.filter((r) => !r.done));
      }
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
      setOutcome({ done, refused, action });
      setRefusedByName(new Map(refused.map((r) => [r.name, r])));
      setSelected(new Set(refused.map((r) => r.name)));
      setRejecting(false);
      setReason("");
      void qc.invalidateQueries({ queryKey: expenditureQueries });
      void list.refetch();
    }
  };
  const startReject = () => {
    setReasonError("");
    setRejecting(true);
  };
  const confirmReject = () => {
    if (!reason.trim()) {
      setReasonError(t("finance:queue.reasonRequired"));
      return;
    }
    void run("reject");
  };

  return (
    <>
      <PageHeader
        title={t("finance:queue.title")}
        back={{ href: `/grants/${id}/expenditures`, label: t("finance:queue.back", { grant: g?.donorReference ?? "" }) }}
        subtitle={t("finance:queue.subtitle", { count: rows.length, formatted: fmt.number(rows.length) })}
      />
      <Stack gap="md">
        {g?.fourEyes && (
          <Text size="sm" c="gray.7">
            {t("finance:queue.fourEyesNote")}
          </Text>
        )}
        {outcome && (
          <Alert
            color={outcome.refused.length > 0 ? "orange" : "teal"}
            variant="light"
            role="status"
            data-testid="batch-outcome"
            withCloseButton
            onClose={() => setOutcome(null)}
            title={
              outcome.action === "verify"
                ? t("finance:queue.verifiedCount", { count: outcome.done, formatted: fmt.number(outcome.done) })
                : t("finance:queue.rejectedCount", { count: outcome.done, formatted: fmt.number(outcome.done) })
            }
          >
            {outcome.refused.length > 0 && (
              <Stack gap={4}>
                <Text size="sm">{t("finance:queue.refusedCount", { count: outcome.refused.length, formatted: fmt.number(outcome.refused.length) })}</Text>
                <List size="sm">
                  {outcome.refused.slice(0, 20).map((r) => {
                    const e = rows.find((x) => x.name === r.name);
                    return (
                      <List.Item key={r.name}>
                        {e ? `${fmt.date(e.expenseDate)} · ${fmt.money(e.amount, e.currencyCode)} · ${e.payee || e.description}: ` : ""}
                        <span title={r.message}>{refusal(r, t)}</span>
                      </List.Item>
                    );
                  })}
                </List>
              </Stack>
            )}
          </Alert>
        )}
        {failure !== null && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(failure, t)}
          </Alert>
        )}
        {rows.length === 0 ? (
          <Empty>{t("finance:queue.empty")}</Empty>
        ) : (
          <Paper withBorder radius="md" p={{ base: "xs", sm: "md" }}>
            <Group justify="space-between" gap="xs" mb="sm" wrap="wrap">
              <Checkbox
                label={t("finance:queue.selectAll", { count: rows.length, formatted: fmt.number(rows.length) })}
                checked={all}
                indeterminate={chosen.length > 0 && !all}
                onChange={(ev) => setSelected(ev.currentTarget.checked ? new Set(rows.map((e) => e.name)) : new Set())}
              />
              <Group gap="xs" wrap="wrap">
                <Button color="teal.9" disabled={chosen.length === 0} loading={busy && !rejecting} onClick={() => void run("verify")}>
                  {t("finance:queue.verifySelected", { count: chosen.length, formatted: fmt.number(chosen.length) })}
                </Button>
                <Button color="red" variant="outline" disabled={chosen.length === 0 || busy} onClick={startReject}>
                  {t("finance:queue.rejectSelected", { count: chosen.length, formatted: fmt.number(chosen.length) })}
                </Button>
              </Group>
            </Group>
            {phone ? (
              <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label={t("finance:queue.title")}>
                {rows.map((e) => (
                  <QueueCard key={e.name} e={e} grantId={id} checked={selected.has(e.name)} refused={refusedByName.get(e.name)} onToggle={toggle} />
                ))}
              </Stack>
            ) : (
              <Table.ScrollContainer minWidth={720}>
                <Table verticalSpacing="xs" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col" w={40}>
                        <span style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>{t("finance:queue.select")}</span>
                      </Table.Th>
                      <Table.Th scope="col">{t("finance:queue.date")}</Table.Th>
                      <Table.Th scope="col">{t("expenditures:columns.payee")}</Table.Th>
                      <Table.Th scope="col">{t("expenditures:columns.partner")}</Table.Th>
                      <Table.Th scope="col" style={{ textAlign: "right" }}>
                        {t("expenditures:columns.amount")}
                      </Table.Th>
                      <Table.Th scope="col" style={{ textAlign: "right" }}>
                        {t("expenditures:columns.converted", { currency })}
                      </Table.Th>
                      <Table.Th scope="col">{t("finance:queue.note")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((e) => (
                      <QueueRow key={e.name} e={e} grantId={id} currency={currency} checked={selected.has(e.name)} refused={refusedByName.get(e.name)} onToggle={toggle} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
          </Paper>
        )}
        <Text size="sm">
          <Link href={`/grants/${id}/expenditures`}>{t("finance:queue.allExpenditures")}</Link>
        </Text>
      </Stack>
      <Modal opened={rejecting} onClose={() => setRejecting(false)} title={t("finance:queue.rejectTitle", { count: chosen.length, formatted: fmt.number(chosen.length) })}>
        <Stack gap="sm">
          <Textarea
            label={t("finance:queue.reason")}
            description={t("finance:queue.reasonHelp")}
            required
            autosize
            minRows={3}
            maxLength={2000}
            value={reason}
            error={reasonError || undefined}
            onChange={(ev) => {
              setReason(ev.currentTarget.value);
              setReasonError("");
            }}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setRejecting(false)} disabled={busy}>
              {t("common:actions.cancel")}
            </Button>
            <Button color="red" loading={busy} onClick={confirmReject}>
              {t("finance:queue.confirmReject")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

interface RowProps {
  e: Expenditure;
  grantId: string;
  checked: boolean;
  refused?: BatchExpenditureResult;
  onToggle: (name: string, on: boolean) => void;
}

// Rows are memoised: ticking one box re-renders that row only, even with
// hundreds in the queue.
function RowCheckbox({ e, checked, onToggle }: Pick<RowProps, "e" | "checked" | "onToggle">) {
  const { t } = useTranslation(["finance"]);
  const fmt = useFormat();
  return (
    <Checkbox
      checked={checked}
      onChange={(ev) => onToggle(e.name, ev.currentTarget.checked)}
      aria-label={t("finance:queue.selectOne", { date: fmt.date(e.expenseDate), amount: fmt.money(e.amount, e.currencyCode), payee: e.payee || e.description })}
    />
  );
}

function RowMarks({ e, refused }: Pick<RowProps, "e" | "refused">) {
  const { t } = useTranslation(["finance"]);
  return (
    <Group gap={4} wrap="wrap">
      {e.callerFourEyes && (
        <Badge color="orange" variant="light" size="sm" title={t("finance:queue.yoursHelp")} styles={{ label: { color: warnText } }}>
          {t("finance:queue.yours")}
        </Badge>
      )}
      {e.rateMissing && (
        <Badge color="orange" variant="outline" size="sm" styles={{ label: { color: warnText } }}>
          {t("finance:queue.noRate")}
        </Badge>
      )}
      {refused && (
        <Text size="xs" c="red.9" role="note">
          {refusal(refused, t)}
        </Text>
      )}
    </Group>
  );
}

const QueueRow = memo(function QueueRow({ e, grantId, currency, checked, refused, onToggle }: RowProps & { currency: string }) {
  const { t } = useTranslation(["common"]);
  const fmt = useFormat();
  return (
    <Table.Tr bg={checked ? "teal.0" : undefined}>
      <Table.Td>
        <RowCheckbox e={e} checked={checked} onToggle={onToggle} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>
        <Link href={`/grants/${grantId}/expenditures/${e.name.split("/").pop()}`}>{fmt.date(e.expenseDate)}</Link>
      </Table.Td>
      <Table.Td maw={240}>
        <Text size="sm" lineClamp={2}>
          {e.payee || e.description}
        </Text>
      </Table.Td>
      <Table.Td maw={180}>
        <Text size="sm" truncate>
          <OrganisationName name={e.organisation} link={false} short />
        </Text>
      </Table.Td>
      <Table.Td style={numeric}>{fmt.money(e.amount, e.currencyCode)}</Table.Td>
      <Table.Td style={numeric}>{e.rateMissing ? t("common:none") : fmt.money(e.convertedAmount, currency)}</Table.Td>
      <Table.Td>
        <RowMarks e={e} refused={refused} />
      </Table.Td>
    </Table.Tr>
  );
});

const QueueCard = memo(function QueueCard({ e, grantId, checked, refused, onToggle }: RowProps) {
  const fmt = useFormat();
  return (
    <Paper component="li" withBorder p="xs" radius="sm">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <RowCheckbox e={e} checked={checked} onToggle={onToggle} />
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Link href={`/grants/${grantId}/expenditures/${e.name.split("/").pop()}`}>{fmt.date(e.expenseDate)}</Link>
            <Text fw={600} size="sm" style={numeric}>
              {fmt.money(e.amount, e.currencyCode)}
            </Text>
          </Group>
          <Text size="sm" style={{ overflowWrap: "anywhere" }}>
            {e.payee || e.description}
          </Text>
          <Text size="xs" c="gray.7">
            <OrganisationName name={e.organisation} link={false} short />
          </Text>
          <RowMarks e={e} refused={refused} />
        </Stack>
      </Group>
    </Paper>
  );
});
