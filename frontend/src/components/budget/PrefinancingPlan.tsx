// The pre-financing plan (FinanceService Get/UpdatePrefinancingPlan): the
// instalments the Special Conditions foresee beside those received, and an
// editor for coordinators and finance staff that replaces the whole list
// (with the plan's etag: a change made meanwhile is refused, not lost).
import { useState } from "react";
import { ActionIcon, Button, Group, Modal, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { IconPencil, IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { FinanceService } from "../../gen/pactum/v1/finance_pb";
import { fieldViolations } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { showToast } from "../../lib/toast";
import { minorDigits } from "../grants/currencies";
import { DatesSetup } from "../grants/DatesSetup";
import { DecimalInput } from "../grants/MoneyInput";
import { MutationError } from "../grants/MutationError";
import { Empty, LoadError, Section } from "../shared/ui";
import { ScrollTable, fieldError } from "./ui";
import { DateField } from "../shared/DateField";

const num = { textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" } as const;

interface Row {
  key: number;
  date: string | null;
  amount: string;
}

export default function PrefinancingPlan({ grantName, currency }: { grantName: string; currency: string }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const phone = useMediaQuery("(max-width: 36em)");
  const queryClient = useQueryClient();
  const name = `${grantName}/prefinancingPlan`;
  const q = useQuery(FinanceService.method.getPrefinancingPlan, { name });
  const plan = q.data?.prefinancingPlan;
  const foreseen = plan?.instalments ?? [];
  const received = plan?.received ?? [];
  const count = Math.max(foreseen.length, received.length);

  const [editing, setEditing] = useState(false);
  const [rows, setRows] = useState<Row[]>([]);
  const [etag, setEtag] = useState("");
  const [nextKey, setNextKey] = useState(0);
  const update = useMutation(FinanceService.method.updatePrefinancingPlan);
  const v = fieldViolations(update.error, "prefinancing_plan.");
  const open = () => {
    update.reset();
    // An empty plan starts from the instalments received.
    const start = foreseen.length > 0 ? foreseen : received;
    setRows(start.map((x, i) => ({ key: i, date: x.date, amount: x.amount })));
    setNextKey(start.length);
    setEtag(plan?.etag ?? "");
    setEditing(true);
  };
  const reload = async () => {
    const r = await q.refetch();
    setEtag(r.data?.prefinancingPlan?.etag ?? "");
    update.reset();
  };
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    update.mutate(
      { prefinancingPlan: { name, etag, instalments: rows.map((r) => ({ date: r.date ?? "", amount: r.amount })) } },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("prefinancing.plan.saved") });
          setEditing(false);
        },
      },
    );
  };
  const set = (key: number, change: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));

  return (
    <Section
      title={t("prefinancing.plan.title")}
      id="prefinancing-plan"
      actions={
        plan?.callerCanUpdate && (
          <Button size="sm" variant="light" leftSection={<IconPencil size={16} aria-hidden />} onClick={open}>
            {t("prefinancing.plan.edit")}
          </Button>
        )
      }
    >
      <Text size="sm" c="dimmed" mb="sm">
        {t("prefinancing.plan.help")}
      </Text>
      {q.isLoading ? (
        <Empty>{t("common:loading")}</Empty>
      ) : q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : count === 0 ? (
        <Empty>{t("prefinancing.plan.none")}</Empty>
      ) : (
        <ScrollTable minWidth={520} label={t("prefinancing.plan.title")}>
          <Table fz="sm" verticalSpacing={6} maw={760}>
            <VisuallyHidden component="caption">{t("prefinancing.plan.title")}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("prefinancing.number")}</Table.Th>
                <Table.Th scope="col">{t("prefinancing.plan.foreseenDate")}</Table.Th>
                <Table.Th scope="col" style={num}>
                  {t("prefinancing.plan.foreseenAmount")}
                </Table.Th>
                <Table.Th scope="col">{t("prefinancing.plan.receivedDate")}</Table.Th>
                <Table.Th scope="col" style={num}>
                  {t("prefinancing.plan.receivedAmount")}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Array.from({ length: count }, (_, i) => {
                const f = foreseen[i];
                const r = received[i];
                return (
                  <Table.Tr key={i}>
                    <Table.Th scope="row" fw={500}>
                      {t("prefinancing.instalment", { number: i + 1 })}
                    </Table.Th>
                    <Table.Td>{f ? fmt.date(f.date) : "–"}</Table.Td>
                    <Table.Td style={num}>{f ? fmt.money(f.amount, currency) : "–"}</Table.Td>
                    <Table.Td>{r ? fmt.date(r.date) : <Text size="sm" c="dimmed" span>{t("prefinancing.plan.notYet")}</Text>}</Table.Td>
                    <Table.Td style={num}>{r ? fmt.money(r.amount, currency) : ""}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th scope="row" colSpan={2}>
                  {t("prefinancing.plan.total")}
                </Table.Th>
                <Table.Td style={num} fw={700}>
                  {fmt.money(plan?.total ?? "0", currency)}
                </Table.Td>
                <Table.Td colSpan={2} />
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </ScrollTable>
      )}
      {plan && (
        <Text size="xs" c="dimmed" mt="xs">
          {t("prefinancing.plan.capNote", { cap: fmt.money(plan.cap, currency) })}
          {plan.updatedBy && plan.updateTime ? " " + t("prefinancing.plan.updated", { who: plan.updatedBy, date: fmt.date(new Date(Number(plan.updateTime.seconds) * 1000).toISOString().slice(0, 10)) }) : ""}
        </Text>
      )}

      <Modal opened={editing} onClose={() => setEditing(false)} title={t("prefinancing.plan.title")} size="lg" fullScreen={phone} closeButtonProps={{ "aria-label": t("common:actions.close") }}>
        <DatesSetup>
          <form onSubmit={save} noValidate aria-label={t("prefinancing.plan.title")}>
            <Stack gap="sm">
              {rows.length === 0 && <Text size="sm">{t("prefinancing.plan.empty")}</Text>}
              {rows.map((r, i) => (
                <Group key={r.key} align="flex-start" gap="sm" wrap={phone ? "wrap" : "nowrap"} role="group" aria-label={t("prefinancing.instalment", { number: i + 1 })}>
                  <Text size="sm" fw={600} w={phone ? "100%" : 96} pt={phone ? 0 : 30}>
                    {t("prefinancing.instalment", { number: i + 1 })}
                  </Text>
                  <DateField
                    label={t("prefinancing.plan.foreseenDate")}
                    required
                    valueFormat="D MMM YYYY"
                    value={r.date}
                    onChange={(d) => set(r.key, { date: d ? String(d).slice(0, 10) : null })}
                    error={fieldError(t, v, `instalments[${i}].date`)}
                    style={{ flex: 1, minWidth: 150 }}
                  />
                  <DecimalInput
                    label={t("prefinancing.plan.foreseenAmount")}
                    required
                    decimals={minorDigits(currency)}
                    value={r.amount}
                    onChange={(a) => set(r.key, { amount: a })}
                    error={fieldError(t, v, `instalments[${i}].amount`)}
                    rightSection={
                      <Text size="xs" c="dimmed">
                        {currency}
                      </Text>
                    }
                    rightSectionWidth={48}
                    style={{ flex: 1, minWidth: 150 }}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="lg"
                    mt={phone ? 0 : 26}
                    aria-label={t("prefinancing.plan.remove", { number: i + 1 })}
                    onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                  >
                    <IconTrash size={18} aria-hidden />
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button
                  variant="subtle"
                  size="sm"
                  leftSection={<IconPlus size={16} aria-hidden />}
                  onClick={() => {
                    setRows((rs) => [...rs, { key: nextKey, date: null, amount: "" }]);
                    setNextKey((k) => k + 1);
                  }}
                >
                  {t("prefinancing.plan.addRow")}
                </Button>
              </Group>
              <MutationError
                error={update.error}
                onReload={() => void reload()}
                reloading={q.isFetching}
                reasonsNs="budget"
                prefix="prefinancing_plan."
                placed={rows.flatMap((_, i) => [`instalments[${i}].date`, `instalments[${i}].amount`])}
              />
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => setEditing(false)} disabled={update.isPending}>
                  {t("common:actions.cancel")}
                </Button>
                <Button type="submit" loading={update.isPending}>
                  {t("prefinancing.plan.save")}
                </Button>
              </Group>
            </Stack>
          </form>
        </DatesSetup>
      </Modal>
    </Section>
  );
}
