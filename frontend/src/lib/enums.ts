// Labels for the API's enums, in the user's language: the enum's value name
// without its prefix is the key in the common namespace ("region.AFRICA").
import type { TFunction } from "i18next";
import type { GenEnum } from "@bufbuild/protobuf/codegenv2";

export function enumLabel(t: TFunction, group: string, schema: GenEnum<number>, value: number): string {
  const v = schema.values.find((x) => x.number === value);
  if (!v || value === 0) return t("common:none");
  return t(`common:${group}.${v.localName}`);
}

// enumOptions lists an enum's values (without UNSPECIFIED) as select options.
export function enumOptions(t: TFunction, group: string, schema: GenEnum<number>) {
  return schema.values.filter((v) => v.number !== 0).map((v) => ({ value: String(v.number), label: t(`common:${group}.${v.localName}`) }));
}
