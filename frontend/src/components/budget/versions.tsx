// Budget versions in words: their names ("Original budget", "Addendum 2"),
// kinds and states as badges.
import { Badge } from "@mantine/core";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { BudgetVersionKind, BudgetVersionState, type BudgetVersion } from "../../gen/pactum/v1/budget_pb";

const kindKey: Record<number, string> = {
  [BudgetVersionKind.ORIGINAL]: "ORIGINAL",
  [BudgetVersionKind.ADDENDUM]: "ADDENDUM",
  [BudgetVersionKind.TRANSFER]: "TRANSFER",
};

export function kindLabel(t: TFunction, kind: BudgetVersionKind): string {
  return t(`budget:version.kind.${kindKey[kind] ?? "ORIGINAL"}`);
}

// versionName: the version's label, or its kind and number.
export function versionName(t: TFunction, v: Pick<BudgetVersion, "label" | "kind" | "number">): string {
  if (v.label) return v.label;
  if (v.kind === BudgetVersionKind.ORIGINAL || v.number === 0) return t("budget:version.kind.ORIGINAL");
  return t("budget:version.numbered", { kind: kindLabel(t, v.kind), number: v.number });
}

const badgeStyles = { root: { maxWidth: "none", flexShrink: 0 }, label: { overflow: "visible" } };

export function KindBadge({ kind }: { kind: BudgetVersionKind }) {
  const { t } = useTranslation("budget");
  const color = kind === BudgetVersionKind.ADDENDUM ? "indigo.9" : kind === BudgetVersionKind.TRANSFER ? "cyan.9" : "gray.8";
  return (
    <Badge variant="outline" color={color} size="sm" styles={badgeStyles}>
      {kindLabel(t, kind)}
    </Badge>
  );
}

// StateBadge: draft, adopted, or "in force" for the latest adopted version.
export function StateBadge({ state, current }: { state: BudgetVersionState; current?: boolean }) {
  const { t } = useTranslation("budget");
  if (state === BudgetVersionState.DRAFT) {
    return (
      <Badge variant="outline" color="gray.8" size="sm" styles={badgeStyles}>
        {t("version.state.DRAFT")}
      </Badge>
    );
  }
  return (
    <Badge variant={current ? "filled" : "outline"} color="teal.9" size="sm" styles={badgeStyles}>
      {current ? t("version.state.CURRENT") : t("version.state.ADOPTED")}
    </Badge>
  );
}

// latestAdopted: the version spending is compared with.
export function latestAdopted(versions: BudgetVersion[]): BudgetVersion | undefined {
  return [...versions].filter((v) => v.state === BudgetVersionState.ADOPTED).sort((a, b) => b.number - a.number)[0];
}
