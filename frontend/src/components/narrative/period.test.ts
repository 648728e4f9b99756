import { expect, test } from "vitest";
import { narrativePeriod } from "./period";

test("the last period that has ended, else the first", () => {
  expect(narrativePeriod("2026-01-01", "2028-12-31", 12, "2026-06-01")).toBe(1);
  expect(narrativePeriod("2026-01-01", "2028-12-31", 12, "2027-01-01")).toBe(1);
  expect(narrativePeriod("2026-01-01", "2028-12-31", 12, "2028-03-01")).toBe(2);
  expect(narrativePeriod("2026-01-01", "2028-12-31", 12, "2030-01-01")).toBe(3);
  expect(narrativePeriod("", "", 12, "2030-01-01")).toBe(1);
});
