import { describe, expect, test } from "vitest";
import { cmp, isZero, mulRound, parseDec, ratio, sub } from "./decimal";

describe("decimal strings", () => {
  test("parse", () => {
    expect(parseDec("12.50")).toEqual({ int: 1250n, scale: 2 });
    expect(parseDec("-0.5")).toEqual({ int: -5n, scale: 1 });
    expect(parseDec("")).toBeUndefined();
    expect(parseDec("1e5")).toBeUndefined();
  });
  test("sub is exact", () => {
    // 0.3 − 0.1 is 0.2, not 0.19999999999999998
    expect(sub("0.3", "0.1")).toBe("0.2");
    expect(sub("70000.00", "81234.56")).toBe("-11234.56");
    expect(sub("100", "0.01")).toBe("99.99");
    expect(sub("x", "1")).toBe("");
  });
  test("cmp", () => {
    expect(cmp("100.00", "100")).toBe(0);
    expect(cmp("99.999", "100")).toBe(-1);
    expect(cmp("-1", "-2")).toBe(1);
  });
  test("mulRound rounds half away from zero once", () => {
    // 12 months × 2 500.00 = 30 000.00
    expect(mulRound("12", "2500.00", 2)).toBe("30000.00");
    // 2.5 × 0.05 = 0.125 → 0.13 (half away from zero)
    expect(mulRound("2.5", "0.05", 2)).toBe("0.13");
    // 3 × 0.333 = 0.999 → 1.00
    expect(mulRound("3", "0.333", 2)).toBe("1.00");
    // −0.125 → −0.13
    expect(mulRound("-2.5", "0.05", 2)).toBe("-0.13");
    // XOF has no minor unit: 1.5 × 655.957 = 983.9355 → 984
    expect(mulRound("1.5", "655.957", 0)).toBe("984");
    expect(mulRound("", "1", 2)).toBe("");
  });
  test("isZero and ratio", () => {
    expect(isZero("0.00")).toBe(true);
    expect(isZero("0.01")).toBe(false);
    expect(ratio("50", "200")).toBe(0.25);
    expect(ratio("50", "0")).toBe(0);
  });
});
