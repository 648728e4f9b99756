// A compliance finding in the user's language, from its code and figures
// (ComplianceFinding.args, as internal/finance/compliance.go names them);
// the server's English sentence when the code, or a figure its wording
// needs, is unknown here.
import type { TFunction } from "i18next";
import type { ComplianceFinding, PrefinancingStatus } from "../../gen/pactum/v1/finance_pb";
import { sub } from "../../lib/decimal";

export interface Wording {
  money: (v: string) => string;
  pct: (v: string) => string;
  signedPct: (v: string) => string;
  count: (v: string) => string;
  date: (v: string) => string;
  // heading: "2" -> "2 Travel", when the screen knows the heading.
  heading: (code: string) => string;
  status?: PrefinancingStatus;
}

export const wordedCodes = new Set([
  "FLEXIBILITY_EXCEEDED",
  "INDIRECT_CAP_EXCEEDED",
  "CONTINGENCY_CAP_EXCEEDED",
  "OUTSIDE_ELIGIBILITY",
  "RATE_MISSING",
  "OVERSPENT_HEADING",
  "NO_BUDGET",
  "PREFINANCING_ALLOWED",
  "PREFINANCING_NOT_YET",
  "PREFINANCING_CAP_REACHED",
  "BUDGET_TOTAL_MISMATCH",
  "ASSOCIATE_COSTS",
  "INDIRECT_RECORDED",
  "FUNDING_MISMATCH",
  "FUNDING_EXCEEDS_COSTS",
]);

export function wordFinding(f: ComplianceFinding, t: TFunction, w: Wording): { words: string; fallback: boolean } {
  const fallback = { words: f.message, fallback: true };
  if (!wordedCodes.has(f.code)) return fallback;
  const a = (name: string) => {
    const v = f.args[name];
    return v === undefined || v === "" ? undefined : v;
  };
  const have = (...names: string[]) => names.every((n) => a(n) !== undefined);
  const code = f.headingCode || a("heading_code") || "";
  const heading = a("heading") ?? (code ? w.heading(code) : "");
  // noPlan: the plan foresees no next instalment, so there is no amount to
  // reduce (an older server sends no next_planned: the plain wording).
  const noPlan = () => {
    const v = a("next_planned") ?? (w.status?.nextPlanned || undefined);
    return v !== undefined && /^[0.]*$/.test(v);
  };
  const say = (key: string, vars: Record<string, string | number> = {}) => ({ words: t(`findings.${key}`, vars), fallback: false });
  switch (f.code) {
    case "INDIRECT_RECORDED":
      if (!have("count", "total")) return fallback;
      return say("INDIRECT_RECORDED", { count: Number(a("count")), formatted: w.count(a("count")!), total: w.money(a("total")!) });
    case "FUNDING_MISMATCH":
      if (!have("expected", "total_eligible_costs", "difference")) return fallback;
      return say(a("direction") === "over" ? "FUNDING_MISMATCH_over" : "FUNDING_MISMATCH_under", {
        expected: w.money(a("expected")!),
        total: w.money(a("total_eligible_costs")!),
        difference: w.money(a("difference")!),
      });
    case "FUNDING_EXCEEDS_COSTS":
      if (!have("excess", "accepted")) return fallback;
      return say("FUNDING_EXCEEDS_COSTS", { excess: w.money(a("excess")!), accepted: w.money(a("accepted")!) });
    case "FLEXIBILITY_EXCEEDED":
      if (!heading) return fallback;
      // A heading with money now and none in the baseline.
      if (!a("change_percent") && have("budget")) return say("FLEXIBILITY_NEW_HEADING", { heading, budget: w.money(a("budget")!) });
      if (!have("change_percent", "threshold_percent", "baseline", "budget")) return fallback;
      return say("FLEXIBILITY_EXCEEDED", {
        heading,
        change: w.signedPct(a("change_percent")!),
        from: w.money(a("baseline")!),
        to: w.money(a("budget")!),
        threshold: w.pct(a("threshold_percent")!),
      });
    case "INDIRECT_CAP_EXCEEDED":
    case "CONTINGENCY_CAP_EXCEEDED":
      if (!have("percent", "cap_percent", "amount", "base")) return fallback;
      return say(`${f.code}_${a("basis") === "spending" ? "spending" : "budget"}`, {
        percent: w.pct(a("percent")!),
        cap: w.pct(a("cap_percent")!),
        amount: w.money(a("amount")!),
        base: w.money(a("base")!),
      });
    case "OUTSIDE_ELIGIBILITY":
      if (!have("count", "start_date", "end_date")) return fallback;
      return say("OUTSIDE_ELIGIBILITY", {
        count: Number(a("count")),
        formatted: w.count(a("count")!),
        start: w.date(a("start_date")!),
        end: w.date(a("end_date")!),
      });
    case "RATE_MISSING":
      if (!have("count")) return fallback;
      return say(a("currencies") ? "RATE_MISSING_IN" : "RATE_MISSING", {
        count: Number(a("count")),
        formatted: w.count(a("count")!),
        currencies: a("currencies") ?? "",
      });
    case "OVERSPENT_HEADING":
      if (!heading || !have("spent", "budget")) return fallback;
      return say("OVERSPENT_HEADING", {
        heading,
        spent: w.money(a("spent")!),
        budget: w.money(a("budget")!),
        over: w.money(a("over") ?? sub(a("spent"), a("budget"))),
      });
    case "NO_BUDGET":
      return say("NO_BUDGET");
    case "ASSOCIATE_COSTS":
      if (!have("count", "total")) return fallback;
      return say("ASSOCIATE_COSTS", { formatted: w.count(a("count")!), total: w.money(a("total")!) });
    case "BUDGET_TOTAL_MISMATCH":
      if (!have("budget_total", "total_eligible_costs")) return fallback;
      return say("BUDGET_TOTAL_MISMATCH", { budget: w.money(a("budget_total")!), total: w.money(a("total_eligible_costs")!) });
    case "PREFINANCING_ALLOWED": {
      if (a("received") === "0") return say("PREFINANCING_FIRST");
      const st = w.status;
      const number = a("next_instalment") ?? (st ? String(st.nextInstalment) : undefined);
      const euPart = a("eu_part") ?? (st?.euPart || undefined);
      const rate = a("co_financing_percent") ?? (st?.coFinancingRate || undefined);
      const spent = a("spent") ?? st?.spent;
      const required = a("required") ?? st?.required;
      const requestable = a("requestable") ?? (st?.requestable || undefined);
      if (!number || !euPart || !rate || !spent || !required || !requestable) return fallback;
      if (noPlan()) return say("PREFINANCING_ALLOWED_NO_PLAN", { number: w.count(number), euPart: w.money(euPart), rate: w.pct(rate), spent: w.money(spent), required: w.money(required) });
      return say("PREFINANCING_ALLOWED", {
        number: w.count(number),
        euPart: w.money(euPart),
        rate: w.pct(rate),
        spent: w.money(spent),
        required: w.money(required),
        requestable: w.money(requestable),
      });
    }
    case "PREFINANCING_NOT_YET": {
      const st = w.status;
      const number = a("next_instalment") ?? (st ? String(st.nextInstalment) : undefined);
      const euPart = a("eu_part") ?? (st?.euPart || undefined);
      const rate = a("co_financing_percent") ?? (st?.coFinancingRate || undefined);
      const spent = a("spent") ?? st?.spent;
      const required = a("required") ?? st?.required;
      const shortfall = a("shortfall") ?? a("missing") ?? (st?.shortfall || (required && euPart ? sub(required, euPart) : undefined));
      const requestable = a("requestable") ?? (st?.requestable || undefined);
      if (!number || !euPart || !rate || !spent || !required || !shortfall || !requestable) return fallback;
      if (noPlan())
        return say("PREFINANCING_NOT_YET_NO_PLAN", {
          number: w.count(number),
          euPart: w.money(euPart),
          rate: w.pct(rate),
          spent: w.money(spent),
          required: w.money(required),
          shortfall: w.money(shortfall),
        });
      return say("PREFINANCING_NOT_YET", {
        number: w.count(number),
        euPart: w.money(euPart),
        rate: w.pct(rate),
        spent: w.money(spent),
        required: w.money(required),
        shortfall: w.money(shortfall),
        requestable: w.money(requestable),
      });
    }
    case "PREFINANCING_CAP_REACHED": {
      const received = a("received_total") ?? (w.status?.receivedTotal || undefined);
      const capPct = a("cap_percent");
      const cap = a("cap") ?? (w.status?.cap || undefined);
      if (!received || !capPct || !cap) return fallback;
      return say("PREFINANCING_CAP_REACHED", { received: w.money(received), capPercent: w.pct(capPct), cap: w.money(cap) });
    }
  }
  return fallback;
}
