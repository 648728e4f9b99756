import { describe, expect, test } from "vitest";
import { decimalsOf, divideDecimals, isDecimal, sumDecimals } from "./decimal";

describe("decimal strings", () => {
  test("sums exactly, to the cent", () => {
    // 0.1 + 0.2 is 0.3 here, not 0.30000000000000004.
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals(["1250.50", "89.99", "", "10"], 2)).toBe("1350.49");
    expect(sumDecimals([], 2)).toBe("0.00");
    expect(sumDecimals(["-5.25", "2"], 2)).toBe("-3.25");
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
  test("recognises decimals", () => {
    expect(isDecimal("12.50")).toBe(true);
    expect(isDecimal("12,50")).toBe(false);
    expect(decimalsOf("12.500")).toBe(3);
    expect(decimalsOf("12")).toBe(0);
  });
});
