// Activity types in the user's language (activities:types.<NAME>).
import type { TFunction } from "i18next";
import { ActivityTypeSchema } from "../../gen/pactum/v1/activity_pb";

export function typeLabel(t: TFunction, type: number): string {
  const v = ActivityTypeSchema.values.find((x) => x.number === type);
  if (!v || type === 0) return t("common:none");
  return t(`activities:types.${v.localName}`);
}

export function typeOptions(t: TFunction) {
  return ActivityTypeSchema.values.filter((v) => v.number !== 0).map((v) => ({ value: String(v.number), label: t(`activities:types.${v.localName}`) }));
}
