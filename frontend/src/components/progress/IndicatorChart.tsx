// Target against achieved for a grant's number indicators, summed over
// periods and projects: bars, in their own chunk (charts are heavy), with
// the same figures as a table for screen readers and exact values.
import "@mantine/charts/styles.css";
import { useState } from "react";
import { Button, Stack, Table } from "@mantine/core";
import { BarChart } from "@mantine/charts";
import { useTranslation } from "react-i18next";
import type { IndicatorRollup } from "../../gen/pactum/v1/results_pb";
import { useFormat } from "../../lib/format";

export default function IndicatorChart({ indicators }: { indicators: IndicatorRollup[] }) {
  const { t } = useTranslation("progress");
  const fmt = useFormat();
  const [asTable, setAsTable] = useState(false);
  // Floats only for drawing; the table shows the exact figures.
  const data = indicators.map((i) => ({ indicator: i.code || i.title.slice(0, 24), target: Number(i.totalTarget || 0), actual: Number(i.totalActual || 0) }));
  const targetLabel = t("overview.chart.target");
  const actualLabel = t("overview.chart.actual");
  return (
    <Stack gap="sm">
      <div role="img" aria-label={t("overview.chart.label", { count: indicators.length })}>
        <BarChart
          h={Math.max(220, 48 * data.length + 80)}
          data={data}
          dataKey="indicator"
          orientation="vertical"
          withLegend
          legendProps={{ verticalAlign: "bottom" }}
          yAxisProps={{ width: 80 }}
          maxBarWidth={18}
          valueFormatter={(v) => new Intl.NumberFormat(fmt.locale, { notation: "compact" }).format(v)}
          series={[
            { name: "target", label: targetLabel, color: "gray.5" },
            { name: "actual", label: actualLabel, color: "teal.7" },
          ]}
        />
      </div>
      <div>
        <Button variant="subtle" size="xs" onClick={() => setAsTable((x) => !x)} aria-expanded={asTable} aria-controls="indicator-chart-table">
          {asTable ? t("overview.chart.hideTable") : t("overview.chart.showTable")}
        </Button>
      </div>
      {asTable && (
        <Table.ScrollContainer minWidth={360} type="native" id="indicator-chart-table">
          <Table fz="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("overview.indicator")}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {targetLabel}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {actualLabel}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {indicators.map((i) => (
                <Table.Tr key={i.code + i.title}>
                  <Table.Th scope="row" fw={500}>
                    {[i.code, i.title].filter(Boolean).join(" · ")}
                  </Table.Th>
                  <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {i.totalTarget || t("common:none")}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {i.totalActual || t("common:none")}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
