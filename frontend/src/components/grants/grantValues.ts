// The grant form's values, and how they become the API's Grant and update
// mask. Separate from the form so that pages can use them without loading
// the date pickers.
import type { Grant } from "../../gen/pactum/v1/grant_pb";

export const STANDALONE = "standalone";

export interface GrantValues {
  agreement: string;
  donor: string;
  lead: string;
  donorReference: string;
  title: string;
  currencyCode: string;
  startDate: string | null;
  endDate: string | null;
  totalEligibleCosts: string;
  maxDonorContribution: string;
  coFinancingRate: string;
  indirectCostRate: string;
  reportingPeriodMonths: number | string;
  interimReportDueDays: number | string;
  finalReportDueMonths: number | string;
  // "en", "fr", "es" or "pt": the language of the reports to the donor.
  reportingLanguage: string;
  // Whoever recorded or submitted an expenditure may not verify it.
  fourEyes: boolean;
}

// The languages a grant may report in to the donor.
export const reportingLanguages = ["en", "fr", "es", "pt"] as const;

// Form keys and the API's field paths (relative to "grant.").
export const paths: Record<keyof GrantValues, string> = {
  agreement: "framework_agreement",
  donor: "donor",
  lead: "lead_organisation",
  donorReference: "donor_reference",
  title: "title",
  currencyCode: "currency_code",
  startDate: "start_date",
  endDate: "end_date",
  totalEligibleCosts: "total_eligible_costs",
  maxDonorContribution: "max_donor_contribution",
  coFinancingRate: "co_financing_rate",
  indirectCostRate: "indirect_cost_rate",
  reportingPeriodMonths: "reporting_period_months",
  interimReportDueDays: "interim_report_due_days",
  finalReportDueMonths: "final_report_due_months",
  reportingLanguage: "reporting_language",
  fourEyes: "four_eyes",
};

export function grantValues(g?: Grant): GrantValues {
  return {
    agreement: g ? g.frameworkAgreement || STANDALONE : "",
    donor: g?.donor ?? "",
    lead: g?.leadOrganisation ?? "",
    donorReference: g?.donorReference ?? "",
    title: g?.title ?? "",
    currencyCode: g?.currencyCode ?? "",
    startDate: g?.startDate || null,
    endDate: g?.endDate || null,
    totalEligibleCosts: g?.totalEligibleCosts ?? "",
    maxDonorContribution: g?.maxDonorContribution ?? "",
    coFinancingRate: g?.coFinancingRate ?? "",
    // A new grant starts at 7%, the usual EU flat rate.
    indirectCostRate: g ? g.indirectCostRate || "0" : "7",
    reportingPeriodMonths: g ? g.reportingPeriodMonths || "" : 12,
    interimReportDueDays: g ? (g.interimReportDueDays ?? 60) : 60,
    finalReportDueMonths: g ? (g.finalReportDueMonths ?? 3) : 3,
    reportingLanguage: g?.reportingLanguage || "en",
    // On unless the grant turned it off.
    fourEyes: g?.fourEyes ?? true,
  };
}

const int = (v: number | string): number | undefined => (v === "" || v === undefined ? undefined : Number(v));

// toGrant: the grant to send. Under an agreement the donor and lead come from
// it; a standalone grant names them.
export function toGrant(v: GrantValues) {
  const standalone = v.agreement === STANDALONE;
  return {
    frameworkAgreement: standalone ? "" : v.agreement,
    donor: standalone ? v.donor : "",
    leadOrganisation: standalone ? v.lead : "",
    donorReference: v.donorReference.trim(),
    title: v.title.trim(),
    currencyCode: v.currencyCode,
    startDate: v.startDate ?? "",
    endDate: v.endDate ?? "",
    totalEligibleCosts: v.totalEligibleCosts,
    maxDonorContribution: v.maxDonorContribution,
    coFinancingRate: v.coFinancingRate,
    indirectCostRate: String(v.indirectCostRate ?? "").trim() || "0",
    reportingPeriodMonths: int(v.reportingPeriodMonths) ?? 0,
    interimReportDueDays: int(v.interimReportDueDays),
    finalReportDueMonths: int(v.finalReportDueMonths),
    reportingLanguage: v.reportingLanguage || "en",
    fourEyes: v.fourEyes,
  };
}

export function grantMask(initial: GrantValues, v: GrantValues): string[] {
  return (Object.keys(paths) as (keyof GrantValues)[])
    .filter((k) => k !== "agreement" && k !== "donor" && k !== "lead")
    .filter((k) => String(initial[k] ?? "") !== String(v[k] ?? ""))
    .map((k) => paths[k]);
}
