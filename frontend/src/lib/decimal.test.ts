import { describe, expect, test } from "vitest";
import { cmp, decimalsOf, divideDecimals, isDecimal, isZero, mulRound, parseDec, ratio, sub, sumDecimals } from "./decimal";

describe("decimal strings", () => {
  test("parse", () => {
    expect(parseDec("12.50")).toEqual({ int: 1250n, scale: 2 });
    expect(parseDec("-0.5")).toEqual({ int: -5n, scale: 1 });
    expect(parseDec("+3")).toEqual({ int: 3n, scale: 0 });
    expect(parseDec("")).toBeUndefined();
    expect(parseDec("1e5")).toBeUndefined();
  });
  test("recognises decimals as the API writes them", () => {
    expect(isDecimal("12.50")).toBe(true);
    expect(isDecimal("-0.5")).toBe(true);
    expect(isDecimal("12,50")).toBe(false);
    expect(isDecimal("+3")).toBe(false);
    expect(isDecimal("")).toBe(false);
    expect(decimalsOf("12.500")).toBe(3);
    expect(decimalsOf("12")).toBe(0);
  });
  test("sub is exact", () => {
    // 0.3 − 0.1 is 0.2, not 0.19999999999999998
    expect(sub("0.3", "0.1")).toBe("0.2");
    expect(sub("70000.00", "81234.56")).toBe("-11234.56");
    expect(sub("100", "0.01")).toBe("99.99");
    expect(sub("x", "1")).toBe("");
  });
  test("sums exactly, to the cent", () => {
    // 0.1 + 0.2 is 0.3 here, not 0.30000000000000004.
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals(["1250.50", "89.99", "", "10"], 2)).toBe("1350.49");
    expect(sumDecimals([], 2)).toBe("0.00");
    expect(sumDecimals(["-5.25", "2"], 2)).toBe("-3.25");
    expect(sumDecimals(["1", "x", "+2"])).toBe("1");
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
  test("divides, rounding half away from zero", () => {
    // 1 405 234 KES received for 10 000 EUR: 140.5234 KES per EUR.
    expect(divideDecimals("1405234", "10000", 4)).toBe("140.5234");
    expect(divideDecimals("2", "3", 4)).toBe("0.6667");
    expect(divideDecimals("1", "8", 2)).toBe("0.13");
    expect(divideDecimals("-1", "8", 2)).toBe("-0.13");
    expect(divideDecimals("1", "0", 2)).toBeUndefined();
    expect(divideDecimals("x", "1", 2)).toBeUndefined();
  });
  test("isZero and ratio", () => {
    expect(isZero("0.00")).toBe(true);
    expect(isZero("0.01")).toBe(false);
    expect(ratio("50", "200")).toBe(0.25);
    expect(ratio("50", "0")).toBe(0);
  });
});
