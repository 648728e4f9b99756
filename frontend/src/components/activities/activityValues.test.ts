import { describe, expect, it } from "vitest";
import { activityMask, activityValues, ageMismatch, fieldOf, participantTotal, toActivity } from "./activityValues";

describe("activity values", () => {
  const v = { ...activityValues(), title: "Training", type: "1", startDate: "2026-10-01", women: 12, men: 8, other: "" as const };

  it("adds the participants up, empty counting as none", () => {
    expect(participantTotal(v)).toBe(20);
  });

  it("flags age groups that do not add up, and not when none is given", () => {
    expect(ageMismatch(v)).toBeUndefined();
    const ages = [
      { ageGroup: "15-24", count: 5 },
      { ageGroup: "25-44", count: 10 },
      { ageGroup: "45+", count: "" as const },
    ];
    expect(ageMismatch({ ...v, ages })).toEqual({ sum: 15, total: 20 });
    expect(ageMismatch({ ...v, ages: [...ages.slice(0, 2), { ageGroup: "45+", count: 5 }] })).toBeUndefined();
  });

  it("sends no age breakdown when none was given, and the start date as the end by default", () => {
    const a = toActivity(v);
    expect(a.participantsByAge).toEqual([]);
    expect(a.endDate).toBe("2026-10-01");
    expect(a.participants).toEqual({ women: 12, men: 8, otherOrNotStated: 0 });
  });

  it("masks only what changed", () => {
    expect(activityMask(v, { ...v, men: 9 })).toEqual(["participants"]);
    expect(activityMask(v, { ...v, title: "Workshop", outputs: ["projects/p/results/r"] })).toEqual(["title", "outputs"]);
    expect(activityMask(v, v)).toEqual([]);
  });

  it("places server violations on their fields", () => {
    expect(fieldOf("outputs[1]")).toBe("outputs");
    expect(fieldOf("participants_by_age")).toBe("ages");
    expect(fieldOf("participants")).toBe("women");
    expect(fieldOf("start_date")).toBe("startDate");
  });
});
