// What the expenditure screens share: the status and "rate missing" badges,
// the grant's latest adopted budget lines, the grant's projects and partner
// organisations, and number formatting for rates. (Who may do what comes
// from the server: the grant's callerCan* fields and the session's
// permissions.)
import { useMemo } from "react";
import { Badge, Text, Tooltip } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { useTranslation } from "react-i18next";
import { BudgetService, type BudgetLine } from "../../gen/pactum/v1/budget_pb";
import { ExpenditureStatus, ExpenditureStatusSchema } from "../../gen/pactum/v1/expenditure_pb";
import { ProjectService, type Project } from "../../gen/pactum/v1/project_pb";
import type { User } from "../../gen/pactum/v1/user_pb";
import { isPartner, partnerOrganisations } from "../../lib/session";
import { useFormat } from "../../lib/format";
import { idOf } from "../shared/requestId";

const statusColours: Record<number, string> = {
  [ExpenditureStatus.DRAFT]: "gray",
  [ExpenditureStatus.SUBMITTED]: "blue",
  [ExpenditureStatus.VERIFIED]: "teal",
  [ExpenditureStatus.REJECTED]: "red",
};

export function statusKey(status: ExpenditureStatus): string {
  return ExpenditureStatusSchema.values.find((v) => v.number === status)?.localName ?? "UNSPECIFIED";
}

export function StatusBadge({ status, size = "sm" }: { status: ExpenditureStatus; size?: "sm" | "md" | "lg" }) {
  const { t } = useTranslation("expenditures");
  return (
    <Badge
      color={statusColours[status] ?? "gray"}
      variant={status === ExpenditureStatus.VERIFIED || status === ExpenditureStatus.REJECTED ? "filled" : "light"}
      size={size}
      styles={{ root: { maxWidth: "none", flexShrink: 0 }, label: { overflow: "visible" } }}
    >
      {t(`expenditures:status.${statusKey(status)}`)}
    </Badge>
  );
}

// Warnings in a dark orange that keeps WCAG AA contrast (Mantine's orange
// shades are too light for small text on white or on their light tint).
export const warnText = "#8a3206";
export const warnFill = "#a63c06";
export const warning = { color: "orange", variant: "light", styles: { title: { color: warnText } } } as const;

export const success = { color: "teal", variant: "light", styles: { title: { color: "#06503a" } } } as const;
// Date and month pickers: their placeholder in the readable "dimmed" grey.
export const pickerStyles = { placeholder: { color: "var(--mantine-color-dimmed)" } };

// outsidePeriod says whether an expenditure dated day ("YYYY-MM-DD") is
// outside the grant's implementation period (both days included): "before"
// its start, "after" its end, or undefined. Such costs are not eligible:
// budget versus actual, compliance and the reports count them nowhere.
export function outsidePeriod(day: string, grant: { startDate: string; endDate: string } | undefined): "before" | "after" | undefined {
  if (!grant || !day) return undefined;
  if (grant.startDate && day < grant.startDate) return "before";
  if (grant.endDate && day > grant.endDate) return "after";
  return undefined;
}

// IneligibleBadge: an expenditure dated outside the implementation period.
export function IneligibleBadge({ day, grant, size = "sm" }: { day: string; grant: { startDate: string; endDate: string } | undefined; size?: "sm" | "lg" }) {
  const { t } = useTranslation("expenditures");
  const where = outsidePeriod(day, grant);
  if (!where) return null;
  return (
    <Badge color="red.9" variant="filled" size={size} styles={{ root: { maxWidth: "none", flexShrink: 0 }, label: { overflow: "visible" } }}>
      {t(`expenditures:ineligible.${where}`)}
    </Badge>
  );
}

// RateMissingBadge: the problem as a tooltip, and as text for screen readers
// and touch screens (the badge is focusable).
export function RateMissingBadge({ problem }: { problem?: string }) {
  const { t } = useTranslation("expenditures");
  const badge = (
    <Badge
      color={warnFill}
      variant="filled"
      size="sm"
      tabIndex={problem ? 0 : undefined}
      styles={{ root: { maxWidth: "none", flexShrink: 0, cursor: problem ? "help" : undefined }, label: { overflow: "visible" } }}
    >
      {t("expenditures:rateMissing.badge")}
      {problem && (
        <Text span style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>
          {`: ${problem}`}
        </Text>
      )}
    </Badge>
  );
  if (!problem) return badge;
  return (
    <Tooltip label={problem} multiline maw={320} withArrow events={{ hover: true, focus: true, touch: true }}>
      {badge}
    </Tooltip>
  );
}

// useLatestBudget: the grant's latest adopted budget version and its lines by
// key. A grant without an adopted budget answers NotFound: noBudget.
export function useLatestBudget(grant: string) {
  const q = useQuery(BudgetService.method.getBudgetVersion, { name: `${grant}/budgetVersions/latest` }, { retry: false, staleTime: 5 * 60_000 });
  const version = q.data?.budgetVersion;
  const byKey = useMemo(() => new Map((version?.lines ?? []).map((l) => [l.lineKey, l])), [version]);
  const noBudget = q.error instanceof ConnectError && (q.error.code === Code.NotFound || q.error.code === Code.FailedPrecondition);
  return { ...q, version, lines: version?.lines ?? [], byKey, noBudget, line: (key: string): BudgetLine | undefined => byKey.get(key) };
}

// linesFor: the lines a user may book on; partners only their allocations.
export function linesFor(user: User | undefined, lines: BudgetLine[]): BudgetLine[] {
  if (!isPartner(user)) return lines;
  const mine = new Set(partnerOrganisations(user));
  return lines.filter((l) => mine.has(l.organisation));
}

export function lineLabel(l: BudgetLine | undefined, key?: string): string {
  if (!l) return key ?? "";
  return l.description ? `${l.code} ${l.description}` : l.code;
}

// projectRef: a project of the grant as expenditures name it
// ("grants/{grant}/projects/{project}"), from either form of its name.
export function projectRef(grant: string, project: string): string {
  return project ? `${grant}/projects/${idOf(project)}` : "";
}

// useGrantParties: the grant's projects and the organisations taking part in
// them (the partners money is spent by), scoped by the server to what the
// user may read.
export function useGrantParties(grant: string) {
  const q = useQuery(ProjectService.method.listProjects, { grant, pageSize: 1000 }, { staleTime: 5 * 60_000 });
  return useMemo(() => {
    const projects: Project[] = q.data?.projects ?? [];
    const byId = new Map(projects.map((p) => [idOf(p.name), p]));
    const organisations = [...new Set(projects.flatMap((p) => p.participants.map((x) => x.organisation)))];
    return { projects, organisations, project: (ref: string) => byId.get(idOf(ref)), loading: q.isLoading };
  }, [q.data, q.isLoading]);
}

// useRateFormat: a rate ("140.5234") in the user's locale, every decimal kept.
export function useRateFormat() {
  const { locale } = useFormat();
  return useMemo(() => {
    // At least two decimals, as InforEuro publishes them (141.20).
    const nf = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 20 });
    return (rate: string | undefined) => (rate ? nf.format(rate as unknown as number) : "");
  }, [locale]);
}

// Numbers in columns: right-aligned, digits of equal width.
export const numeric = { textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" } as const;

// Visually hidden, still read by screen readers.
export const srOnly = { position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" } as const;
