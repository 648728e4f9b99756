// A grant's budget burn on the dashboard: spent against the adopted budget,
// with the bar, the percentage and the share of the implementation period
// elapsed for comparison (GetBudgetVsActual's totals row); "no budget yet"
// when none is adopted. Waits for its own translations without holding up
// the rest of the card.
import { Suspense } from "react";
import { Skeleton, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Grant } from "../../gen/pactum/v1/grant_pb";
import { BudgetGrouping } from "../../gen/pactum/v1/finance_pb";
import { BurnSummary, useBudgetVsActual } from "./BudgetVsActual";
import { useNumbers } from "./numbers";

export function DashboardBurn({ grant, elapsedPercent }: { grant: Grant; elapsedPercent?: number }) {
  return (
    <Suspense fallback={<Skeleton h={36} radius="sm" />}>
      <Burn grant={grant} elapsedPercent={elapsedPercent} />
    </Suspense>
  );
}

function Burn({ grant, elapsedPercent }: { grant: Grant; elapsedPercent?: number }) {
  const { t } = useTranslation("budget");
  const n = useNumbers();
  const q = useBudgetVsActual(grant.name, BudgetGrouping.HEADING);
  if (q.isLoading) return <Skeleton h={36} radius="sm" />;
  const d = q.data;
  if (q.error || !d) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {t("burn.unavailable")}
      </Text>
    );
  }
  if (!d.budgetVersion || !d.total) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {t("burn.noBudget")}
      </Text>
    );
  }
  return (
    <div>
      <BurnSummary total={d.total} currency={d.currencyCode || grant.currencyCode} elapsedPercent={elapsedPercent} />
      {d.rateMissingCount > 0 && (
        <Text size="xs" mt={2}>
          <IconAlertTriangle size={12} color="var(--mantine-color-orange-7)" aria-hidden style={{ verticalAlign: -2, marginInlineEnd: 4 }} />
          {t("burn.rateMissing", { count: d.rateMissingCount, formatted: n.count(d.rateMissingCount) })}
        </Text>
      )}
    </div>
  );
}
