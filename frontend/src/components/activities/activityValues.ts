// The activity form's values, to and from the API's Activity, the update
// mask of what changed, and the participant arithmetic shown as the user
// types (a live total; age groups that must add up to it).
import type { Activity } from "../../gen/pactum/v1/activity_pb";

export interface AgeRow {
  ageGroup: string;
  count: number | "";
}

export interface ActivityValues {
  title: string;
  type: string; // ActivityType as a string ("" for none)
  startDate: string;
  endDate: string;
  countryCode: string;
  place: string;
  women: number | "";
  men: number | "";
  other: number | "";
  ages: AgeRow[];
  description: string;
  outputs: string[];
  indicators: string[];
}

// The age groups offered on a new activity (the demo's and the usual
// reporting bands); the user can rename, add and remove rows.
export const defaultAgeGroups = ["15-24", "25-44", "45+"];

export function activityValues(a?: Activity, defaults: Partial<ActivityValues> = {}): ActivityValues {
  if (!a) {
    return {
      title: "",
      type: "",
      startDate: "",
      endDate: "",
      countryCode: "",
      place: "",
      women: "",
      men: "",
      other: "",
      ages: defaultAgeGroups.map((ageGroup) => ({ ageGroup, count: "" })),
      description: "",
      outputs: [],
      indicators: [],
      ...defaults,
    };
  }
  const p = a.participants;
  return {
    title: a.title,
    type: a.type ? String(a.type) : "",
    startDate: a.startDate,
    endDate: a.endDate === a.startDate ? "" : a.endDate,
    countryCode: a.countryCode,
    place: a.place,
    women: p?.women ?? 0,
    men: p?.men ?? 0,
    other: p?.otherOrNotStated ?? 0,
    ages: a.participantsByAge.length
      ? a.participantsByAge.map((g) => ({ ageGroup: g.ageGroup, count: g.count }))
      : defaultAgeGroups.map((ageGroup) => ({ ageGroup, count: "" as const })),
    description: a.description,
    outputs: [...a.outputs],
    indicators: [...a.indicators],
  };
}

const n = (v: number | "") => (v === "" ? 0 : v);

export function participantTotal(v: Pick<ActivityValues, "women" | "men" | "other">): number {
  return n(v.women) + n(v.men) + n(v.other);
}

// agesGiven: whether the user gave any age group a count (otherwise no age
// breakdown is sent).
export function agesGiven(ages: AgeRow[]): boolean {
  return ages.some((r) => r.count !== "");
}

export function ageSum(ages: AgeRow[]): number {
  return ages.reduce((s, r) => s + n(r.count), 0);
}

// ageMismatch: the age groups' sum and the total when they differ, or
// undefined when they add up (or no age group was given).
export function ageMismatch(v: ActivityValues): { sum: number; total: number } | undefined {
  if (!agesGiven(v.ages)) return undefined;
  const sum = ageSum(v.ages);
  const total = participantTotal(v);
  return sum === total ? undefined : { sum, total };
}

// The API's Activity fields from the form (the name and etag are added by
// the caller).
export function toActivity(v: ActivityValues) {
  const ages = agesGiven(v.ages) ? v.ages.filter((r) => r.ageGroup.trim() !== "" || r.count !== "") : [];
  return {
    title: v.title.trim(),
    type: Number(v.type || 0),
    startDate: v.startDate,
    endDate: v.endDate || v.startDate,
    countryCode: v.countryCode,
    place: v.place.trim(),
    participants: { women: n(v.women), men: n(v.men), otherOrNotStated: n(v.other) },
    participantsByAge: ages.map((r) => ({ ageGroup: r.ageGroup.trim(), count: n(r.count) })),
    description: v.description.trim(),
    outputs: v.outputs,
    indicators: v.indicators,
  };
}

// The API field each form value belongs to.
export const paths: Record<keyof ActivityValues, string> = {
  title: "title",
  type: "type",
  startDate: "start_date",
  endDate: "end_date",
  countryCode: "country_code",
  place: "place",
  women: "participants",
  men: "participants",
  other: "participants",
  ages: "participants_by_age",
  description: "description",
  outputs: "outputs",
  indicators: "indicators",
};

// activityMask lists the API fields whose values differ between a and b.
export function activityMask(a: ActivityValues, b: ActivityValues): string[] {
  const x = toActivity(a) as Record<string, unknown>;
  const y = toActivity(b) as Record<string, unknown>;
  const api: Record<string, string> = {
    title: "title",
    type: "type",
    startDate: "start_date",
    endDate: "end_date",
    countryCode: "country_code",
    place: "place",
    participants: "participants",
    participantsByAge: "participants_by_age",
    description: "description",
    outputs: "outputs",
    indicators: "indicators",
  };
  return Object.entries(api)
    .filter(([k]) => JSON.stringify(x[k]) !== JSON.stringify(y[k]))
    .map(([, p]) => p);
}

// fieldOf maps a server violation's path ("outputs[2]",
// "participants_by_age") to the form value it concerns.
export function fieldOf(path: string): keyof ActivityValues | undefined {
  const base = path.replace(/\[\d+\].*$/, "").replace(/\..*$/, "");
  if (base === "participants") return "women";
  const hit = (Object.entries(paths) as [keyof ActivityValues, string][]).find(([, p]) => p === base);
  return hit?.[0];
}
