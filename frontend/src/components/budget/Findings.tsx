// The donor's rules, checked: one alert per finding of
// FinanceService.CheckCompliance, coloured by severity and worded in the
// user's language from the finding's code and figures (the server's English
// sentence is the fallback for a code or figure this screen does not know),
// with the pre-financing status (may the next instalment be requested, or
// how much more spending it needs and when that is expected).
import { Alert, Anchor, Group, Progress, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { IconAlertOctagon, IconAlertTriangle, IconCircleCheck, IconInfoCircle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import {
  FinanceService,
  FindingSeverity,
  type ComplianceFinding,
  type PrefinancingStatus,
} from "../../gen/pactum/v1/finance_pb";
import { useFormat } from "../../lib/format";
import { Empty, LoadError } from "../shared/ui";
import { cmp, ratio } from "../../lib/decimal";
import { wordFinding } from "./findingWords";
import { useNumbers, type Numbers } from "./numbers";
import { darkTitle } from "./ui";

export function useCompliance(grant: string, enabled = true) {
  return useQuery(FinanceService.method.checkCompliance, { grant }, { enabled, retry: false });
}

const look: Record<number, { color: string; Icon: typeof IconInfoCircle }> = {
  [FindingSeverity.VIOLATION]: { color: "red", Icon: IconAlertOctagon },
  [FindingSeverity.WARNING]: { color: "orange", Icon: IconAlertTriangle },
  [FindingSeverity.INFO]: { color: "blue", Icon: IconInfoCircle },
};
const severityOrder: Record<number, number> = { [FindingSeverity.VIOLATION]: 0, [FindingSeverity.WARNING]: 1, [FindingSeverity.INFO]: 2 };
const severityKey: Record<number, string> = {
  [FindingSeverity.VIOLATION]: "VIOLATION",
  [FindingSeverity.WARNING]: "WARNING",
  [FindingSeverity.INFO]: "INFO",
};

export function ComplianceFindings({
  grantId,
  currency,
  headingLabels,
  compact,
  hide = [],
}: {
  grantId: string;
  currency: string;
  // "2" -> "2 Travel", from budget versus actual, to name headings.
  headingLabels?: Map<string, string>;
  // compact: the grant page's summary (no "all clear" sentence).
  compact?: boolean;
  // hide: codes shown elsewhere on the screen (expenditures waiting for a
  // rate, warned about above the figures).
  hide?: string[];
}) {
  const { t } = useTranslation("budget");
  const q = useCompliance(`grants/${grantId}`);
  const n = useNumbers();
  if (q.isLoading) return <Empty>{t("common:loading")}</Empty>;
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const findings = [...(q.data?.findings ?? [])].filter((f) => !hide.includes(f.code)).sort((a, b) => (severityOrder[a.severity] ?? 9) - (severityOrder[b.severity] ?? 9));
  const status = q.data?.prefinancing;
  const hasPrefinancingFinding = findings.some((f) => f.code.startsWith("PREFINANCING_"));
  return (
    <Stack gap="xs" aria-label={t("findings.title")} role="group">
      {findings.length === 0 && !compact && (
        <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title={t("findings.noneTitle")} styles={darkTitle}>
          {t("findings.none")}
        </Alert>
      )}
      {findings.map((f, i) => (
        <FindingAlert key={`${f.code}-${f.headingCode}-${i}`} finding={f} grantId={grantId} currency={currency} headingLabels={headingLabels} status={status} n={n} />
      ))}
      {!hasPrefinancingFinding && status && status.nextInstalment > 1 && (
        <Alert color={status.mayRequest ? "teal" : "blue"} variant="light" icon={<IconInfoCircle aria-hidden />} title={t("prefinancing.statusTitle")} styles={darkTitle}>
          <PrefinancingDetail status={status} currency={currency} n={n} />
        </Alert>
      )}
    </Stack>
  );
}

function FindingAlert({
  finding: f,
  grantId,
  currency,
  headingLabels,
  status,
  n,
}: {
  finding: ComplianceFinding;
  grantId: string;
  currency: string;
  headingLabels?: Map<string, string>;
  status?: PrefinancingStatus;
  n: Numbers;
}) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const allowed = f.code === "PREFINANCING_ALLOWED";
  const { color, Icon } = allowed ? { color: "teal", Icon: IconCircleCheck } : (look[f.severity] ?? look[FindingSeverity.INFO]);
  const text = wordFinding(f, t, {
    money: (v) => fmt.money(v, currency),
    pct: n.pct,
    signedPct: n.signedPct,
    count: n.count,
    date: fmt.date,
    heading: (code) => headingLabels?.get(code) || code,
    status,
  });
  const severity = t(`findings.severity.${severityKey[f.severity] ?? "INFO"}`);
  return (
    <Alert color={color} variant="light" icon={<Icon aria-hidden />} title={severity} styles={{ title: { ...darkTitle.title, fontSize: "var(--mantine-font-size-xs)", textTransform: "uppercase", letterSpacing: "0.03em" } }}>
      <Stack gap={6}>
        <Text size="sm" fw={500} lang={text.fallback ? "en" : undefined}>
          {text.words}
        </Text>
        {f.code === "RATE_MISSING" && (
          <Anchor component={Link} href={`/grants/${grantId}/expenditures?rateMissing=1`} size="sm">
            {t("findings.seeRateMissing")}
          </Anchor>
        )}
        {f.code.startsWith("PREFINANCING_") && f.code !== "PREFINANCING_CAP_REACHED" && status && status.nextInstalment > 1 && <PrefinancingDetail status={status} currency={currency} n={n} />}
      </Stack>
    </Alert>
  );
}

function PrefinancingDetail({ status, currency, n }: { status: PrefinancingStatus; currency: string; n: Numbers }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  // The rule compares the EU part of spending with what is required (an
  // older server sends no EU part: spending then stands in for it).
  const euPart = status.euPart || status.spent;
  const reached = cmp(euPart, status.required) >= 0;
  const share = Math.min(100, ratio(euPart, status.required) * 100);
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Text size="sm">{t("prefinancing.progress", { euPart: fmt.money(euPart, currency), required: fmt.money(status.required, currency) })}</Text>
        {status.required && !isNaN(share) && (
          <Text size="sm" fw={600} style={{ fontVariantNumeric: "tabular-nums" }}>
            {n.pct(String(ratio(euPart, status.required) * 100))}
          </Text>
        )}
      </Group>
      {status.required && <Progress value={share} color={reached ? "teal.9" : "blue.8"} size="sm" radius="xl" aria-label={t("prefinancing.progressLabel")} />}
      {!status.mayRequest && (
        <Text size="sm" c="dimmed">
          {status.estimatedDate ? t("prefinancing.estimate", { date: fmt.date(status.estimatedDate) }) : t("prefinancing.noEstimate")}
        </Text>
      )}
    </Stack>
  );
}

// capReached: the instalments received have reached the ceiling (90% of
// the maximum EU contribution).
const capReached = (s: PrefinancingStatus) => s.nextInstalment > 1 && !!s.capRoom && cmp(s.capRoom, "0") <= 0;

// PrefinancingStatusCard: the next instalment, on the pre-financing tab,
// with how its amount is worked out.
export function PrefinancingStatusCard({ grantName, currency }: { grantName: string; currency: string }) {
  const { t } = useTranslation("budget");
  const q = useCompliance(grantName);
  const n = useNumbers();
  const status = q.data?.prefinancing;
  if (!status) return null;
  const cap = capReached(status);
  return (
    <Alert
      color={cap ? "gray" : status.mayRequest ? "teal" : "blue"}
      variant="light"
      icon={status.mayRequest && !cap ? <IconCircleCheck aria-hidden /> : <IconInfoCircle aria-hidden />}
      styles={darkTitle}
      data-testid="prefinancing-status"
      title={
        status.nextInstalment <= 1
          ? t("findings.PREFINANCING_FIRST")
          : cap
            ? t("prefinancing.capTitle")
            : status.mayRequest
              ? t("prefinancing.allowedTitle", { number: n.count(String(status.nextInstalment)) })
              : t("prefinancing.nextTitle", { number: n.count(String(status.nextInstalment)) })
      }
    >
      <Stack gap="sm">
        {status.nextInstalment > 1 && !cap && <PrefinancingDetail status={status} currency={currency} n={n} />}
        {status.euPart && <PrefinancingRule status={status} currency={currency} n={n} />}
      </Stack>
    </Alert>
  );
}

// PrefinancingRule: the figures of the rule, line by line, as a finance
// officer checks them.
function PrefinancingRule({ status: s, currency, n }: { status: PrefinancingStatus; currency: string; n: Numbers }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const m = (v: string) => fmt.money(v, currency);
  const first = s.nextInstalment <= 1;
  const rows: [string, string, boolean?][] = [
    [t("prefinancing.rule.spent"), m(s.spent)],
    [t("prefinancing.rule.rate"), n.pct(s.coFinancingRate)],
    [t("prefinancing.rule.euPart"), m(s.euPart), true],
  ];
  if (!first) {
    rows.push([t("prefinancing.rule.required", { threshold: n.pct(s.threshold || "70") }), m(s.required)]);
    rows.push([t("prefinancing.rule.shortfall"), m(s.shortfall)]);
  }
  rows.push(
    [t("prefinancing.rule.planned", { number: n.count(String(s.nextInstalment)) }), m(s.nextPlanned)],
    [t("prefinancing.rule.received"), m(s.receivedTotal)],
    [t("prefinancing.rule.cap", { percent: n.pct("90") }), m(s.cap)],
    [t("prefinancing.rule.capRoom"), m(s.capRoom)],
    [t("prefinancing.rule.requestable"), m(s.requestable), true],
  );
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t("prefinancing.rule.title")}
      </Text>
      <Table fz="sm" verticalSpacing={3} withRowBorders={false} maw={560} aria-label={t("prefinancing.rule.title")}>
        <Table.Tbody>
          {rows.map(([label, value, bold]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" fw={bold ? 700 : 400} style={{ paddingLeft: 0 }}>
                {label}
              </Table.Th>
              <Table.Td fw={bold ? 700 : 400} style={{ textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }}>
                {value}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {cmp(s.nextPlanned, "0") <= 0 && !capReached(s) && (
        <Text size="sm" c="dimmed">
          {t("prefinancing.rule.noPlan", { number: n.count(String(s.nextInstalment)) })}
        </Text>
      )}
    </Stack>
  );
}
