// Compliance findings worded per language from their code and figures, and
// the server's English sentence when a code or a figure is unknown.
import { describe, expect, test } from "vitest";
import { createInstance } from "i18next";
import { create } from "@bufbuild/protobuf";
import { ComplianceFindingSchema, FindingSeverity } from "../../gen/pactum/v1/finance_pb";
import en from "../../locales/en/budget.json";
import fr from "../../locales/fr/budget.json";
import { wordFinding, type Wording } from "./findingWords";

async function tFor(lng: "en" | "fr") {
  const i = createInstance();
  await i.init({ lng, ns: ["budget"], defaultNS: "budget", resources: { en: { budget: en }, fr: { budget: fr } }, interpolation: { escapeValue: false } });
  return i.t;
}

const w = (locale: string): Wording => ({
  money: (v) => new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format(Number(v)),
  pct: (v) => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(Number(v) / 100),
  signedPct: (v) => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2, signDisplay: "exceptZero" }).format(Number(v) / 100),
  count: (v) => new Intl.NumberFormat(locale).format(Number(v)),
  date: (v) => v,
  heading: (code) => (code === "2" ? "2 Travel" : code),
});

const finding = (code: string, args: Record<string, string>, headingCode = "", message = "English sentence") =>
  create(ComplianceFindingSchema, { code, severity: FindingSeverity.VIOLATION, message, headingCode, args });

describe("wordFinding", () => {
  test("flexibility: heading, signed change and threshold", async () => {
    const t = await tFor("en");
    const args = { change_percent: "26.00", threshold_percent: "25.00", baseline: "10000.00", budget: "12600.00" };
    const r = wordFinding(finding("FLEXIBILITY_EXCEEDED", args, "2"), t, w("en-GB"));
    expect(r).toEqual({
      fallback: false,
      words: "Heading 2 Travel has moved by +26% (from €10,000.00 to €12,600.00) since the original budget or the last addendum; without an addendum the limit is 25%.",
    });
    // A heading new in a transfer: no percentage, its own sentence.
    const n = wordFinding(finding("FLEXIBILITY_EXCEEDED", { ...args, change_percent: "", heading: "6 Other" }, "6"), t, w("en-GB"));
    expect(n.words).toBe("Heading 6 Other now holds €12,600.00 but had nothing in the original budget or the last addendum: a new heading needs an addendum, not a transfer.");
  });
  test("indirect cap in French", async () => {
    const t = await tFor("fr");
    const args = { basis: "budget", amount: "70100.00", base: "1000000.00", percent: "7.01", cap_percent: "7.00" };
    const r = wordFinding(finding("INDIRECT_CAP_EXCEEDED", args), t, w("fr-FR"));
    expect(r.fallback).toBe(false);
    expect(r.words.replace(/\u202f|\u00a0/g, " ")).toBe(
      "Dans le budget adopté, les coûts indirects (70 100,00 €) représentent 7,01 % du total des coûts directs éligibles (1 000 000,00 €) ; le plafond est de 7 %.",
    );
  });
  test("counts are plural-aware", async () => {
    const t = await tFor("en");
    expect(wordFinding(finding("RATE_MISSING", { count: "1" }), t, w("en-GB")).words).toBe("1 expenditure waits for an exchange rate and is not counted.");
    expect(wordFinding(finding("RATE_MISSING", { count: "1204", currencies: "KES, NPR" }), t, w("en-GB")).words).toBe(
      "1,204 expenditures in KES, NPR wait for an exchange rate and are not counted.",
    );
  });
  test("pre-financing not yet: the EU part, the shortfall and the reduced amount", async () => {
    const t = await tFor("en");
    const args = {
      next_instalment: "3",
      spent: "266644.44",
      eu_part: "239980.00",
      co_financing_percent: "90.00",
      required: "240000.00",
      shortfall: "20.00",
      requestable: "199980.00",
    };
    expect(wordFinding(finding("PREFINANCING_NOT_YET", args), t, w("en-GB")).words).toBe(
      "Pre-financing instalment 3 may be requested only at a reduced amount: the EU part of spending, €239,980.00 (90% of €266,644.44), is €20.00 short of the €240,000.00 required; €199,980.00 may be requested now.",
    );
  });
  test("pre-financing not yet without a plan: no amount to reduce", async () => {
    const t = await tFor("en");
    const args = { next_instalment: "3", spent: "266644.44", eu_part: "239980.00", co_financing_percent: "90.00", required: "240000.00", shortfall: "20.00", requestable: "0.00", next_planned: "0.00" };
    expect(wordFinding(finding("PREFINANCING_NOT_YET", args), t, w("en-GB")).words).toBe(
      "Pre-financing instalment 3 may be requested only at a reduced amount: the EU part of spending, €239,980.00 (90% of €266,644.44), is €20.00 short of the €240,000.00 required, and the instalment will be reduced by that much; the plan gives no amount for it.",
    );
  });
  test("pre-financing not yet: figures from the status when the finding lacks them", async () => {
    const t = await tFor("fr");
    const status = {
      nextInstalment: 2,
      spent: "77777.78",
      required: "70000.00",
      euPart: "69999.99",
      coFinancingRate: "90.00",
      shortfall: "",
      requestable: "49999.99",
      mayRequest: false,
      estimatedDate: "",
    } as never;
    const r = wordFinding(finding("PREFINANCING_NOT_YET", {}), t, { ...w("fr-FR"), status });
    expect(r.fallback).toBe(false);
    expect(r.words.replace(/\u202f|\u00a0/g, " ")).toBe(
      "La tranche de préfinancement n° 2 ne peut être demandée qu'à un montant réduit : la part des dépenses financée par l'UE, 69 999,99 € (90 % de 77 777,78 €), est inférieure de 0,01 € aux 70 000,00 € requis ; 49 999,99 € peuvent être demandés maintenant.",
    );
  });
  test("pre-financing allowed and the 90% cap reached", async () => {
    const t = await tFor("en");
    const args = { next_instalment: "3", spent: "266666.67", eu_part: "240000.00", co_financing_percent: "90.00", required: "240000.00", requestable: "200000.00" };
    expect(wordFinding(finding("PREFINANCING_ALLOWED", args), t, w("en-GB")).words).toBe(
      "Pre-financing instalment 3 may be requested: the EU part of spending, €240,000.00 (90% of €266,666.67), reaches the €240,000.00 required; €200,000.00 may be requested.",
    );
    expect(wordFinding(finding("PREFINANCING_CAP_REACHED", { received_total: "450000.00", cap_percent: "90.00", cap: "450000.00" }), t, w("en-GB")).words).toBe(
      "No further pre-financing may be requested: the instalments received (€450,000.00) reach 90% of the maximum EU contribution (€450,000.00); the balance is paid after the final report.",
    );
  });
  test("a budget that does not add up to the contract, in French", async () => {
    const t = await tFor("fr");
    const r = wordFinding(finding("BUDGET_TOTAL_MISMATCH", { budget_total: "434420.00", total_eligible_costs: "434420.01" }), t, w("fr-FR"));
    expect(r.fallback).toBe(false);
    expect(r.words.replace(/\u202f|\u00a0/g, " ")).toBe(
      "Le budget adopté s'élève à 434 420,00 €, mais le total des coûts éligibles du contrat est de 434 420,01 € : le budget doit correspondre à ce total (un avenant, ou corrigez le total de la subvention).",
    );
    expect(wordFinding(finding("BUDGET_TOTAL_MISMATCH", { budget_total: "1.00" }), t, w("fr-FR")).fallback).toBe(true);
  });
  test("associates' costs", async () => {
    const t = await tFor("en");
    expect(wordFinding(finding("ASSOCIATE_COSTS", { count: "1204", total: "1234.56" }), t, w("en-GB")).words).toBe(
      "Expenditures charged to associates, whose costs are not eligible: 1,204, for €1,234.56. Charge them to a beneficiary's lines, or reject them.",
    );
  });
  test("unknown code or missing figure: the server's English sentence", async () => {
    const t = await tFor("fr");
    expect(wordFinding(finding("SOMETHING_NEW", {}, "", "A new rule."), t, w("fr-FR"))).toEqual({ words: "A new rule.", fallback: true });
    expect(wordFinding(finding("INDIRECT_CAP_EXCEEDED", { percent: "7.01" }, "", "Indirect 7.01%."), t, w("fr-FR"))).toEqual({ words: "Indirect 7.01%.", fallback: true });
  });
});
