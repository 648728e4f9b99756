import { describe, expect, test } from "vitest";
import { addDays, addMonths, periodOn, reportingPeriods } from "./periods";

describe("reporting periods", () => {
  test("months move like the server's calendar", () => {
    expect(addMonths("2025-01-31", 1)).toBe("2025-02-28");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2025-11-15", 3)).toBe("2026-02-15");
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
  });

  test("periods of 12 months, the last ending with the grant", () => {
    expect(reportingPeriods("2025-01-01", "2027-06-30", 12)).toEqual([
      { n: 1, from: "2025-01-01", to: "2025-12-31" },
      { n: 2, from: "2026-01-01", to: "2026-12-31" },
      { n: 3, from: "2027-01-01", to: "2027-06-30" },
    ]);
  });

  test("a grant that ends on a period's last day has no empty period after it", () => {
    expect(reportingPeriods("2025-03-15", "2026-03-14", 6).map((p) => `${p.from}..${p.to}`)).toEqual([
      "2025-03-15..2025-09-14",
      "2025-09-15..2026-03-14",
    ]);
  });

  test("no period length: one period for the whole grant; no dates: none", () => {
    expect(reportingPeriods("2025-01-01", "2026-12-31", 0)).toEqual([{ n: 1, from: "2025-01-01", to: "2026-12-31" }]);
    expect(reportingPeriods("", "2026-12-31", 12)).toEqual([]);
    expect(reportingPeriods("2026-01-01", "2025-12-31", 12)).toEqual([]);
  });

  test("the period of today", () => {
    const ps = reportingPeriods("2025-01-01", "2027-06-30", 12);
    expect(periodOn(ps, "2026-05-04")?.n).toBe(2);
    expect(periodOn(ps, "2024-05-04")?.n).toBe(1);
    expect(periodOn(ps, "2030-01-01")?.n).toBe(3);
    expect(periodOn([], "2030-01-01")).toBeUndefined();
  });
});
