// The grant page's "Budget" section: spent against the adopted budget (with
// the share of the implementation period elapsed beside it), expenditures
// waiting for a rate, the donor's rules checked, and the way to the budget
// page. Its own chunk, loaded only for those who may read a grant's money.
import { Anchor, Button, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import type { Grant } from "../../gen/pactum/v1/grant_pb";
import { BudgetGrouping } from "../../gen/pactum/v1/finance_pb";
import { useFormat } from "../../lib/format";
import { elapsed } from "../grants/period";
import { Empty, Section } from "../shared/ui";
import { BurnSummary, IneligibleWarning, RateMissingWarning, useBudgetVsActual } from "./BudgetVsActual";
import { cmp } from "../../lib/decimal";
import { ComplianceFindings } from "./Findings";

export default function BudgetSummary({ grant, manage }: { grant: Grant; manage: boolean }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const id = grant.name.slice(grant.name.lastIndexOf("/") + 1);
  const bva = useBudgetVsActual(grant.name, BudgetGrouping.HEADING);
  const data = bva.data;
  const currency = data?.currencyCode || grant.currencyCode;
  const total = data?.total;
  const period = elapsed(grant.startDate, grant.endDate);
  const labels = new Map((data?.rows ?? []).map((r) => [r.headingCode || r.key, r.label]));
  const href = `/grants/${id}/budget`;

  return (
    <Section
      title={t("summary.title")}
      id="budget"
      actions={
        <Button component={Link} href={href} variant="outline" size="xs">
          {t("summary.open")}
        </Button>
      }
    >
      <Stack gap="sm">
        {bva.isLoading ? (
          <Empty>{t("common:loading")}</Empty>
        ) : !data || !data.budgetVersion || !total ? (
          <Text size="sm" c="dimmed">
            {t("summary.noBudget")}{" "}
            {manage && (
              <Anchor component={Link} href={`${href}?tab=versions`} size="sm">
                {t("summary.prepare")}
              </Anchor>
            )}
          </Text>
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
              <Amount label={t("bva.col.budget")} value={fmt.money(total.budget, currency)} />
              <Amount label={t("bva.col.spent")} value={fmt.money(total.spent, currency)} />
              <Amount label={t("bva.col.remaining")} value={fmt.money(total.remaining, currency)} alert={cmp(total.remaining, "0") < 0} />
            </SimpleGrid>
            <BurnSummary total={total} currency={currency} elapsedPercent={period ? period.percent : undefined} />
          </>
        )}
        {data && <RateMissingWarning count={data.rateMissingCount} grantId={id} />}
        {data && <IneligibleWarning spending={data.ineligible} currency={currency} />}
        <ComplianceFindings
          grantId={id}
          currency={currency}
          headingLabels={labels}
          compact
          hide={[...(data && data.rateMissingCount > 0 ? ["RATE_MISSING"] : []), ...(data?.ineligible?.count ? ["OUTSIDE_ELIGIBILITY"] : [])]}
        />
        <Group>
          <Anchor component={Link} href={href} size="sm" fw={600}>
            {t("summary.details")}
          </Anchor>
        </Group>
      </Stack>
    </Section>
  );
}

function Amount({ label, value, alert }: { label: string; value: string; alert?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.03em" }}>
        {label}
      </Text>
      <Text fw={700} fz="lg" c={alert ? "red.9" : undefined} style={{ fontVariantNumeric: "tabular-nums" }}>
        {value}
      </Text>
    </div>
  );
}
