import { describe, expect, test } from "vitest";
import { parseTypedDate, typedDate } from "./dates";

describe("typed dates", () => {
  test("read day first, as in en-GB, fr, es and pt", () => {
    expect(parseTypedDate("28/11/2026")).toBe("2026-11-28");
    expect(parseTypedDate(" 28.11.2026 ")).toBe("2026-11-28");
    expect(parseTypedDate("28-11-2026")).toBe("2026-11-28");
    expect(parseTypedDate("1/3/2026")).toBe("2026-03-01");
    expect(parseTypedDate("03/04/26")).toBe("2026-04-03");
    expect(parseTypedDate("2026-11-28")).toBe("2026-11-28");
    expect(parseTypedDate("2026-3-1")).toBe("2026-03-01");
  });
  test("refuse what is no date", () => {
    for (const s of ["", "28/13/2026", "31/04/2026", "29/02/2026", "11/28/2026", "yesterday", "28/11", "2026-11-28T10:00", "0/1/2026"]) {
      expect(parseTypedDate(s), s).toBeUndefined();
    }
    expect(parseTypedDate("29/02/2028")).toBe("2028-02-29");
  });
  test("write as typed", () => {
    expect(typedDate("2026-11-28")).toBe("28/11/2026");
    expect(typedDate(null)).toBe("");
  });
});
