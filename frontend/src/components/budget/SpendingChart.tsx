// Monthly spending as bars, with the running total as a line on its own
// axis; its own chunk (charts are heavy), loaded only on the budget page.
// The same figures are offered as a table for screen readers and for
// anyone who wants the exact amounts.
import "@mantine/charts/styles.css";
import { useState } from "react";
import { Button, Stack, Table, Text } from "@mantine/core";
import { CompositeChart } from "@mantine/charts";
import { useTranslation } from "react-i18next";
import type { MonthlySpending } from "../../gen/pactum/v1/finance_pb";
import { useFormat } from "../../lib/format";
import { useNumbers } from "./numbers";
import { ScrollTable } from "./ui";

export default function SpendingChart({ months, currency }: { months: MonthlySpending[]; currency: string }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const n = useNumbers();
  const [asTable, setAsTable] = useState(false);
  const monthName = (ym: string, style: "short" | "long") => {
    const [y, m] = ym.split("-").map(Number);
    return new Intl.DateTimeFormat(fmt.locale, { month: style, year: style === "short" ? "2-digit" : "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
  };
  // Floats only for drawing; the table shows the exact amounts.
  const data = months.map((m) => ({ month: monthName(m.month, "short"), spent: Number(m.spent), cumulative: Number(m.cumulative) }));
  const spentLabel = t("chart.spent");
  const cumulativeLabel = t("chart.cumulative");
  return (
    <Stack gap="sm">
      <div role="img" aria-label={t("chart.label", { count: months.length, formatted: n.count(months.length) })}>
        <CompositeChart
          h={280}
          data={data}
          dataKey="month"
          withLegend
          legendProps={{ verticalAlign: "bottom" }}
          withRightYAxis
          rightYAxisProps={{ width: 72 }}
          yAxisProps={{ width: 72 }}
          maxBarWidth={28}
          withDots={false}
          curveType="linear"
          valueFormatter={(v) => n.compactMoney(v, currency)}
          series={[
            { name: "spent", label: spentLabel, color: "teal.6", type: "bar" },
            { name: "cumulative", label: cumulativeLabel, color: "indigo.7", type: "line", yAxisId: "right" },
          ]}
        />
      </div>
      <div>
        <Button variant="subtle" size="xs" onClick={() => setAsTable((x) => !x)} aria-expanded={asTable} aria-controls="monthly-table">
          {asTable ? t("chart.hideTable") : t("chart.showTable")}
        </Button>
      </div>
      {asTable && (
        <div id="monthly-table">
        <ScrollTable minWidth={360} label={t("chart.title")}>
          <Table fz="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("chart.month")}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {spentLabel}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {cumulativeLabel}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {months.map((m) => (
                <Table.Tr key={m.month}>
                  <Table.Th scope="row" fw={500}>
                    {monthName(m.month, "long")}
                  </Table.Th>
                  <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {fmt.money(m.spent, currency)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {fmt.money(m.cumulative, currency)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
        </div>
      )}
      {months.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("chart.empty")}
        </Text>
      )}
    </Stack>
  );
}
