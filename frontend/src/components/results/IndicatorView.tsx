// One indicator as the results screens show it: code, title, type, unit and
// baseline; per reporting period the target, the actual and progress; the
// actual's breakdown by each disaggregation, flagged when it does not add up.
import type { ReactNode } from "react";
import { Badge, Group, Paper, Progress, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { IndicatorType, type Indicator } from "../../gen/pactum/v1/results_pb";
import { useFormat } from "../../lib/format";
import type { ReportingPeriod } from "../report/periods";
import { formatValue, indicatorTypeLabel, mismatches, progress } from "./indicators";

export function IndicatorView({ indicator: i, periods, actions }: { indicator: Indicator; periods: ReportingPeriod[]; actions?: ReactNode }) {
  const { t } = useTranslation(["results", "common"]);
  const fmt = useFormat();
  const rows = [...i.periods].sort((a, b) => a.period - b.period);
  const value = (v: string) => formatValue(t, fmt.locale, i.type, v);
  const flagged = rows.flatMap((p) => mismatches(i, p));
  const measured = i.type === IndicatorType.NUMBER || i.type === IndicatorType.PERCENTAGE;
  const dates = (n: number) => {
    const p = periods.find((x) => x.n === n);
    return p ? `${fmt.date(p.from)} – ${fmt.date(p.to)}` : "";
  };
  return (
    <Paper withBorder radius="sm" p="sm" data-testid="indicator" aria-label={`${i.code} ${i.title}`} component="article">
      <Group justify="space-between" align="flex-start" gap="xs">
        <Stack gap={2} style={{ flex: "1 1 14rem", minWidth: 0 }}>
          <Group gap={6} wrap="wrap">
            {i.code && (
              <Badge variant="outline" color="dark" radius="sm">
                {i.code}
              </Badge>
            )}
            <Badge variant="light" color="indigo" radius="sm">
              {indicatorTypeLabel(t, i.type)}
            </Badge>
            {flagged.length > 0 && (
              <Badge variant="filled" color="red" radius="sm">
                {t("results:mismatch.badge")}
              </Badge>
            )}
          </Group>
          <Text fw={600} size="sm" style={{ overflowWrap: "anywhere" }}>
            {i.title}
          </Text>
          <Text size="xs" c="gray.8">
            {[i.unit && t("results:fields.unitIs", { unit: i.unit }), i.baseline && t("results:fields.baselineIs", { baseline: value(i.baseline) })]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        </Stack>
        {actions}
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          {t("results:noTargets")}
        </Text>
      ) : (
        <Table mt="xs" verticalSpacing={4} horizontalSpacing={6} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("results:fields.period")}</Table.Th>
              <Table.Th scope="col">{t("results:fields.target")}</Table.Th>
              <Table.Th scope="col">{t("results:fields.actual")}</Table.Th>
              {measured && (
                <Table.Th scope="col" visibleFrom="xs">
                  {t("results:fields.progress")}
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((p) => {
              const pc = progress(i.type, p.target, p.actual);
              return (
                <Table.Tr key={p.period}>
                  <Table.Td title={dates(p.period)} style={{ whiteSpace: "nowrap" }}>
                    {p.period}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{value(p.target) || t("common:none")}</Table.Td>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{value(p.actual) || t("common:none")}</Table.Td>
                  {measured && (
                  <Table.Td visibleFrom="xs" w="30%">
                    {pc !== undefined && (
                      <Group gap={6} wrap="nowrap">
                        <Progress value={pc} size="sm" style={{ flex: 1 }} color={pc >= 100 ? "teal" : "blue"} aria-label={t("results:progressOf", { period: p.period })} />
                        <Text size="xs" c="gray.7" style={{ fontVariantNumeric: "tabular-nums" }}>
                          {pc} %
                        </Text>
                      </Group>
                    )}
                  </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {rows.some((p) => p.disaggregatedActuals.length > 0) && (
        <Stack gap={4} mt="xs">
          {rows
            .filter((p) => p.disaggregatedActuals.length > 0)
            .map((p) => {
              const names = [...new Set(p.disaggregatedActuals.map((v) => v.disaggregation))];
              const bad = mismatches(i, p);
              return (
                <div key={p.period}>
                  <Text size="xs" fw={600} c="gray.8">
                    {t("results:disaggregatedPeriod", { period: p.period })}
                  </Text>
                  {names.map((n) => {
                    const m = bad.find((x) => x.disaggregation === n);
                    return (
                      <Text size="xs" key={n} c={m ? "red.9" : "gray.8"}>
                        <Text span size="xs" fw={600}>
                          {n}:
                        </Text>{" "}
                        {p.disaggregatedActuals
                          .filter((v) => v.disaggregation === n)
                          .map((v) => `${v.category} ${formatValue(t, fmt.locale, i.type, v.value)}`)
                          .join(" · ")}
                        {m && (
                          <Text span size="xs" fw={700} c="red.9" data-testid="mismatch">
                            {" "}
                            ⚠ {t("results:mismatch.line", { sum: value(m.sum), total: value(m.total) })}
                          </Text>
                        )}
                      </Text>
                    );
                  })}
                </div>
              );
            })}
        </Stack>
      )}
    </Paper>
  );
}
