import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { IndicatorPeriodSchema, IndicatorType } from "../../gen/pactum/v1/results_pb";
import { mismatches, progress } from "./indicators";

const period = (actual: string, values: [string, string, string][]) =>
  create(IndicatorPeriodSchema, {
    period: 1,
    target: "100",
    actual,
    disaggregatedActuals: values.map(([disaggregation, category, value]) => ({ disaggregation, category, value })),
  });

describe("indicator arithmetic", () => {
  const ind = { type: IndicatorType.NUMBER, disaggregations: [] };

  it("flags a disaggregation that does not add up, exactly", () => {
    const p = period("75", [
      ["sex", "women", "45"],
      ["sex", "men", "30"],
      ["age group", "15-24", "20.5"],
      ["age group", "25+", "47.5"],
    ]);
    expect(mismatches(ind, p)).toEqual([{ period: 1, disaggregation: "age group", total: "75", sum: "68.0" }]);
  });

  it("does not flag percentages or periods without values", () => {
    expect(mismatches({ ...ind, type: IndicatorType.PERCENTAGE }, period("40", [["sex", "women", "10"]]))).toEqual([]);
    expect(mismatches(ind, period("", [["sex", "women", "10"]]))).toEqual([]);
  });

  it("computes progress against the target, capped", () => {
    expect(progress(IndicatorType.NUMBER, "200", "50")).toBe(25);
    expect(progress(IndicatorType.NUMBER, "200", "500")).toBe(100);
    expect(progress(IndicatorType.NUMBER, "0", "5")).toBeUndefined();
    expect(progress(IndicatorType.YES_NO, "1", "1")).toBeUndefined();
  });
});
