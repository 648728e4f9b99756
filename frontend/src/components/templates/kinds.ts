// The kinds of a budget template's headings, in the order of a PRAG
// budget, with their words' keys (templates:kinds.<KEY>.label / .help).
import { BudgetHeadingKind } from "../../gen/pactum/v1/budget_pb";

export const headingKinds = [
  BudgetHeadingKind.DIRECT,
  BudgetHeadingKind.SUBTOTAL,
  BudgetHeadingKind.CONTINGENCY,
  BudgetHeadingKind.TOTAL_DIRECT,
  BudgetHeadingKind.INDIRECT,
  BudgetHeadingKind.TOTAL,
] as const;

export const kindKey: Record<number, string> = {
  [BudgetHeadingKind.DIRECT]: "DIRECT",
  [BudgetHeadingKind.SUBTOTAL]: "SUBTOTAL",
  [BudgetHeadingKind.CONTINGENCY]: "CONTINGENCY",
  [BudgetHeadingKind.TOTAL_DIRECT]: "TOTAL_DIRECT",
  [BudgetHeadingKind.INDIRECT]: "INDIRECT",
  [BudgetHeadingKind.TOTAL]: "TOTAL",
};

// computed: the heading's total is worked out from the others; it holds no
// lines.
export function computed(kind: BudgetHeadingKind): boolean {
  return kind === BudgetHeadingKind.SUBTOTAL || kind === BudgetHeadingKind.TOTAL_DIRECT || kind === BudgetHeadingKind.TOTAL;
}
