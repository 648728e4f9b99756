// Pre-financing instalments received from the donor (FinanceService List /
// Create / Delete): what the 70% rule (or the grant's own threshold) counts
// the EU part of spending against, with the rule worked out (the status
// card), the plan of foreseen instalments and the payment request (Annex V)
// to download. Coordinators and finance staff record an instalment, may
// delete the last one (a mistake) and edit the plan; the others read.
import { useState } from "react";
import { Button, Group, Modal, SimpleGrid, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { IconPlus } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { FinanceService, type PrefinancingPayment } from "../../gen/pactum/v1/finance_pb";
import { fieldViolations } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { showToast } from "../../lib/toast";
import { minorDigits } from "../grants/currencies";
import { DatesSetup } from "../grants/DatesSetup";
import { DecimalInput } from "../grants/MoneyInput";
import { MutationError } from "../grants/MutationError";
import { newRequestId } from "../shared/requestId";
import { Empty, LoadError, Section } from "../shared/ui";
import { PrefinancingStatusCard } from "./Findings";
import PaymentRequestButton from "./PaymentRequestButton";
import PrefinancingPlan from "./PrefinancingPlan";
import { ScrollTable, fieldError } from "./ui";
import { DateField } from "../shared/DateField";

const num = { textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" } as const;

export default function Prefinancing({ grantName, currency, manage }: { grantName: string; currency: string; manage: boolean }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const phone = useMediaQuery("(max-width: 36em)");
  const queryClient = useQueryClient();
  const q = useQuery(FinanceService.method.listPrefinancingPayments, { parent: grantName, pageSize: 1000 });
  const payments = [...(q.data?.prefinancingPayments ?? [])].sort((a, b) => a.number - b.number);
  const last = payments[payments.length - 1];

  const [adding, setAdding] = useState(false);
  const [date, setDate] = useState<string | null>(null);
  const [amount, setAmount] = useState("");
  const [requestId, setRequestId] = useState(newRequestId);
  const create = useMutation(FinanceService.method.createPrefinancingPayment);
  const v = fieldViolations(create.error, "prefinancing_payment.");
  const closeAdd = () => {
    create.reset();
    setAdding(false);
    setDate(null);
    setAmount("");
    setRequestId(newRequestId());
  };
  const [missing, setMissing] = useState<{ date?: string; amount?: string }>({});
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const m = { date: date ? undefined : t("line.required"), amount: amount ? undefined : t("line.required") };
    setMissing(m);
    if (m.date || m.amount) return;
    create.mutate(
      { parent: grantName, requestId, prefinancingPayment: { receivedDate: date ?? "", amount } },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("prefinancing.added") });
          closeAdd();
        },
      },
    );
  };

  const [deleting, setDeleting] = useState<PrefinancingPayment>();
  const del = useMutation(FinanceService.method.deletePrefinancingPayment);

  return (
    <Stack gap="md">
      <PrefinancingStatusCard grantName={grantName} currency={currency} />
      <Group justify="flex-end">
        <PaymentRequestButton grantName={grantName} nextInstalment={(last?.number ?? 0) + 1} />
      </Group>
      <Section
        title={t("prefinancing.title")}
        id="prefinancing"
        actions={
          manage && (
            <Button size="sm" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
              {t("prefinancing.add")}
            </Button>
          )
        }
      >
        <Text size="sm" c="dimmed" mb="sm">
          {t("prefinancing.help")}
        </Text>
        {q.isLoading ? (
          <Empty>{t("common:loading")}</Empty>
        ) : q.error ? (
          <LoadError error={q.error} onRetry={() => void q.refetch()} />
        ) : payments.length === 0 ? (
          <Empty>{t("prefinancing.none")}</Empty>
        ) : (
          <ScrollTable minWidth={360} label={t("prefinancing.title")}>
            <Table fz="sm" verticalSpacing={6} maw={640}>
              <VisuallyHidden component="caption">{t("prefinancing.title")}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("prefinancing.number")}</Table.Th>
                  <Table.Th scope="col">{t("prefinancing.received")}</Table.Th>
                  <Table.Th scope="col" style={num}>
                    {t("prefinancing.amount")}
                  </Table.Th>
                  {manage && (
                    <Table.Th scope="col">
                      <VisuallyHidden>{t("line.actions")}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {payments.map((p) => (
                  <Table.Tr key={p.name}>
                    <Table.Th scope="row" fw={500}>
                      {t("prefinancing.instalment", { number: p.number })}
                    </Table.Th>
                    <Table.Td>{fmt.date(p.receivedDate)}</Table.Td>
                    <Table.Td style={num}>{fmt.money(p.amount, currency)}</Table.Td>
                    {manage && (
                      <Table.Td ta="right">
                        {p === last && (
                          <Button size="compact-xs" variant="subtle" color="red" c="red.9" onClick={() => (del.reset(), setDeleting(p))}>
                            {t("prefinancing.deleteLast")}
                          </Button>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Section>

      <PrefinancingPlan grantName={grantName} currency={currency} />

      <Modal opened={adding} onClose={closeAdd} title={t("prefinancing.add")} fullScreen={phone} closeButtonProps={{ "aria-label": t("common:actions.close") }}>
        <DatesSetup>
          <form onSubmit={submit} noValidate aria-label={t("prefinancing.add")}>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
                <DateField
                  label={t("prefinancing.received")}
                  required
                  valueFormat="D MMM YYYY"
                  value={date}
                  onChange={(d) => setDate(d ? String(d).slice(0, 10) : null)}
                  error={missing.date ?? fieldError(t, v, "received_date")}
                />
                <DecimalInput
                  label={t("prefinancing.amount")}
                  required
                  decimals={minorDigits(currency)}
                  value={amount}
                  onChange={setAmount}
                  error={missing.amount ?? fieldError(t, v, "amount")}
                  rightSection={
                    <Text size="xs" c="dimmed">
                      {currency}
                    </Text>
                  }
                  rightSectionWidth={48}
                />
              </SimpleGrid>
              <MutationError error={create.error} reasonsNs="budget" prefix="prefinancing_payment." placed={["received_date", "amount"]} />
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={closeAdd} disabled={create.isPending}>
                  {t("common:actions.cancel")}
                </Button>
                <Button type="submit" loading={create.isPending}>
                  {t("prefinancing.addSubmit")}
                </Button>
              </Group>
            </Stack>
          </form>
        </DatesSetup>
      </Modal>

      <Modal
        opened={!!deleting}
        onClose={() => setDeleting(undefined)}
        title={t("confirm.deletePayment.title")}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        {deleting && (
          <Stack gap="md">
            <Text size="sm">
              {t("confirm.deletePayment.body", { number: deleting.number, amount: fmt.money(deleting.amount, currency), date: fmt.date(deleting.receivedDate) })}
            </Text>
            <MutationError error={del.error} reasonsNs="budget" />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setDeleting(undefined)} disabled={del.isPending}>
                {t("common:actions.cancel")}
              </Button>
              <Button
                color="red"
                loading={del.isPending}
                onClick={() =>
                  del.mutate(
                    { name: deleting.name },
                    {
                      onSuccess: () => {
                        setDeleting(undefined);
                        void queryClient.invalidateQueries();
                        showToast({ color: "teal", message: t("prefinancing.deleted") });
                      },
                    },
                  )
                }
              >
                {t("confirm.deletePayment.confirm")}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
