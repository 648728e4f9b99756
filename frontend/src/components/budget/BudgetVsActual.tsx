// Budget versus actual (FinanceService.GetBudgetVsActual): per heading (in
// the donor's order, computed rows such as the subtotal and totals shown as
// totals), line, partner or project: budget, spent, remaining, share spent
// with a bar (red past 100%), monthly burn and the projection to the end
// date, with a totals row. Figures arrive as decimal strings in the grant
// currency and are only formatted here.
import { Alert, Anchor, Box, Group, Progress, SegmentedControl, Table, Text, VisuallyHidden } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { keepPreviousData } from "@tanstack/react-query";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { BudgetGrouping, FinanceService, type BudgetVsActualRow, type IndirectCosts, type IneligibleSpending } from "../../gen/pactum/v1/finance_pb";
import { useFormat } from "../../lib/format";
import { cmp, ratio } from "../../lib/decimal";
import { useNumbers } from "./numbers";
import { ScrollTable, darkTitle } from "./ui";

export function useBudgetVsActual(grant: string, groupBy = BudgetGrouping.HEADING, enabled = true) {
  // The previous grouping's figures stay while the next one loads.
  return useQuery(FinanceService.method.getBudgetVsActual, { grant, groupBy }, { enabled, retry: false, placeholderData: keepPreviousData });
}

export const groupings = [
  { value: BudgetGrouping.HEADING, key: "heading" },
  { value: BudgetGrouping.LINE, key: "line" },
  { value: BudgetGrouping.PARTNER, key: "partner" },
  { value: BudgetGrouping.PROJECT, key: "project" },
] as const;

export function GroupingSwitch({ value, onChange }: { value: BudgetGrouping; onChange: (v: BudgetGrouping) => void }) {
  const { t } = useTranslation("budget");
  return (
    <SegmentedControl
      size="xs"
      value={String(value)}
      onChange={(v) => onChange(Number(v) as BudgetGrouping)}
      data={groupings.map((g) => ({ value: String(g.value), label: t(`bva.by.${g.key}`) }))}
      aria-label={t("bva.groupBy")}
    />
  );
}

// RateMissingWarning: expenditures left out of every total because no rate
// converts them, with the way to the list of them.
export function RateMissingWarning({ count, grantId }: { count: number; grantId: string }) {
  const { t } = useTranslation("budget");
  const n = useNumbers();
  if (count <= 0) return null;
  return (
    <Alert color="orange" variant="light" role="alert" icon={<IconAlertTriangle aria-hidden />} title={t("bva.rateMissing", { count, formatted: n.count(count) })} styles={darkTitle}>
      <Text size="sm">{t("bva.rateMissingHelp")}</Text>
      <Anchor component={Link} href={`/grants/${grantId}/expenditures?rateMissing=1`} size="sm" fw={600}>
        {t("bva.rateMissingLink")}
      </Anchor>
    </Alert>
  );
}

// IneligibleWarning: submitted and verified expenditures dated outside the
// implementation period: not eligible, left out of every total (the same
// rule as the compliance check and the financial reports).
export function IneligibleWarning({ spending, currency }: { spending?: IneligibleSpending; currency: string }) {
  const { t } = useTranslation("budget");
  const n = useNumbers();
  const fmt = useFormat();
  if (!spending || spending.count <= 0) return null;
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      icon={<IconAlertTriangle aria-hidden />}
      title={t("bva.ineligible", { count: spending.count, formatted: n.count(spending.count), total: fmt.money(spending.total, currency) })}
      styles={darkTitle}
    >
      <Text size="sm">{t("bva.ineligibleHelp")}</Text>
    </Alert>
  );
}

// IndirectCostsNote: how the indirect costs claimed at the grant's flat
// rate are computed (they are not expenditures), and the expenditures
// recorded under the indirect heading that are not claimed.
export function IndirectCostsNote({ indirect, currency }: { indirect?: IndirectCosts; currency: string }) {
  const { t } = useTranslation("budget");
  const n = useNumbers();
  const fmt = useFormat();
  if (!indirect?.applies) return null;
  const money = (v: string) => fmt.money(v, currency);
  return (
    <Alert color="blue" variant="light" title={t("bva.indirect.title", { rate: n.pct(indirect.ratePercent), heading: indirect.headingCode })} styles={darkTitle}>
      <Text size="sm" data-testid="indirect-computation">
        {t(indirect.capped ? "bva.indirect.capped" : "bva.indirect.computed", {
          base: money(indirect.base),
          rate: n.pct(indirect.ratePercent),
          computed: money(indirect.computed),
          budget: money(indirect.budget),
          claimed: money(indirect.claimed),
        })}
      </Text>
      {indirect.recordedCount > 0 && (
        <Text size="sm" c="orange.9" mt={4}>
          {t("bva.indirect.recorded", { count: indirect.recordedCount, formatted: n.count(indirect.recordedCount), total: money(indirect.recordedTotal) })}
        </Text>
      )}
    </Alert>
  );
}

// SpentBar: the share of the budget spent, red past 100%.
export function SpentBar({ percent, label, w = 64 }: { percent: string; label: string; w?: number | string }) {
  const value = Number(percent);
  if (percent === "" || !Number.isFinite(value)) return null;
  const over = value > 100;
  return <Progress value={Math.min(100, Math.max(0, value))} color={over ? "red.8" : value >= 90 ? "orange.7" : "teal.8"} size="sm" radius="xl" w={w} aria-label={label} />;
}

const num = { textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" } as const;

export function BudgetVsActualTable({
  rows,
  total,
  currency,
  groupBy,
  caption,
}: {
  rows: BudgetVsActualRow[];
  total?: BudgetVsActualRow;
  currency: string;
  groupBy: BudgetGrouping;
  caption: string;
}) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const n = useNumbers();
  const money = (v: string) => fmt.money(v, currency) || t("common:none");
  // The template's own totals row makes a separate one redundant.
  const totalShown = !!total && !rows.some((r) => r.computed && r.budget === total.budget && r.spent === total.spent);
  const labelOf = (r: BudgetVsActualRow) => r.label || (r.key ? r.key : t(`bva.unallocated.${groupings.find((g) => g.value === groupBy)?.key ?? "heading"}`));

  const cells = (r: BudgetVsActualRow, strong: boolean) => {
    const over = cmp(r.spent, r.budget) > 0 && !!r.percentSpent;
    const projectedOver = cmp(r.projectedAtEnd, r.budget) > 0 && r.budget !== "" && Number(r.budget) > 0;
    const fw = strong ? 700 : undefined;
    return (
      <>
        <Table.Td style={num} fw={fw}>
          {money(r.budget)}
        </Table.Td>
        <Table.Td style={num} fw={fw}>
          {money(r.spent)}
        </Table.Td>
        <Table.Td style={num} fw={fw} c={cmp(r.remaining, "0") < 0 ? "red.9" : undefined}>
          {money(r.remaining)}
        </Table.Td>
        <Table.Td style={num} fw={fw}>
          {r.percentSpent ? (
            <Group gap={8} justify="flex-end" wrap="nowrap">
              <SpentBar percent={r.percentSpent} label={t("bva.spentBarLabel", { row: labelOf(r) })} w={44} />
              <Text span size="sm" fw={fw ?? 500} c={over ? "red.9" : undefined} miw={56}>
                {n.pct(r.percentSpent)}
              </Text>
            </Group>
          ) : (
            t("common:none")
          )}
        </Table.Td>
        <Table.Td style={num} fw={fw}>
          {money(r.monthlyBurn)}
        </Table.Td>
        <Table.Td style={num} fw={fw} c={projectedOver ? "orange.9" : undefined}>
          {projectedOver && <IconAlertTriangle size={14} aria-hidden style={{ verticalAlign: -2, marginInlineEnd: 4 }} />}
          {money(r.projectedAtEnd)}
          {projectedOver && <VisuallyHidden>{t("bva.projectedOver")}</VisuallyHidden>}
        </Table.Td>
        <Table.Td style={num} fw={fw}>
          {n.count(r.expenditureCount)}
        </Table.Td>
      </>
    );
  };

  return (
    <ScrollTable minWidth={860} label={caption}>
      <Table verticalSpacing={6} horizontalSpacing="xs" highlightOnHover withRowBorders fz="sm">
        <VisuallyHidden component="caption">{caption}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr style={{ whiteSpace: "nowrap" }}>
            <Table.Th scope="col" miw={190}>
              {t(`bva.col.${groupings.find((g) => g.value === groupBy)?.key ?? "heading"}`)}
            </Table.Th>
            <Table.Th scope="col" style={num}>
              {t("bva.col.budget")}
            </Table.Th>
            <Table.Th scope="col" style={num}>
              {t("bva.col.spent")}
            </Table.Th>
            <Table.Th scope="col" style={num}>
              {t("bva.col.remaining")}
            </Table.Th>
            <Table.Th scope="col" style={num}>
              {t("bva.col.percent")}
            </Table.Th>
            <Table.Th scope="col" style={num}>
              {t("bva.col.burn")}
            </Table.Th>
            <Table.Th scope="col" style={num}>
              {t("bva.col.projected")}
            </Table.Th>
            <Table.Th scope="col" style={num}>
              {t("bva.col.count")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => {
            const indent = groupBy === BudgetGrouping.LINE;
            return (
              <Table.Tr key={`${r.key}-${i}`} bg={r.computed ? "gray.1" : undefined} style={r.computed ? { borderTop: "1px solid var(--mantine-color-gray-4)" } : undefined}>
                <Table.Th scope="row" fw={r.computed ? 700 : 500} style={{ paddingInlineStart: indent ? 20 : undefined }}>
                  {labelOf(r)}
                </Table.Th>
                {cells(r, r.computed)}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
        {totalShown && total && (
          <Table.Tfoot>
            <Table.Tr bg="gray.1" style={{ borderTop: "2px solid var(--mantine-color-gray-6)" }}>
              <Table.Th scope="row" fw={700}>
                {t("bva.total")}
              </Table.Th>
              {cells(total, true)}
            </Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </ScrollTable>
  );
}

// BurnSummary: spent against budget with a bar, beside the share of the
// implementation period elapsed (the dashboard and the grant page).
export function BurnSummary({
  total,
  currency,
  elapsedPercent,
}: {
  total: BudgetVsActualRow;
  currency: string;
  elapsedPercent?: number;
}) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const n = useNumbers();
  const pct = total.percentSpent || String(ratio(total.spent, total.budget) * 100);
  const over = Number(pct) > 100;
  return (
    <Box>
      <Group justify="space-between" gap="xs" mb={4} wrap="wrap">
        <Text size="sm">
          {t("burn.spentOf", { spent: fmt.money(total.spent, currency), budget: fmt.money(total.budget, currency) })}
        </Text>
        <Text size="sm" fw={700} c={over ? "red.9" : undefined} style={{ fontVariantNumeric: "tabular-nums" }}>
          {n.pct(pct)}
        </Text>
      </Group>
      <SpentBar percent={pct} label={t("burn.barLabel")} w="100%" />
      {elapsedPercent !== undefined && (
        <Text size="xs" c="dimmed" mt={4}>
          {t("burn.compare", { spent: n.pct(pct), elapsed: n.pct(elapsedPercent) })}
        </Text>
      )}
    </Box>
  );
}
