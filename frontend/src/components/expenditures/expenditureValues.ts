// The expenditure form's values, and how they become the API's Expenditure
// and update mask. Amounts stay decimal strings.
import type { Expenditure } from "../../gen/pactum/v1/expenditure_pb";
import { projectRef } from "./shared";

export interface ExpenditureValues {
  expenseDate: string | null;
  budgetLineKey: string;
  project: string;
  organisation: string;
  amount: string;
  currencyCode: string;
  payee: string;
  description: string;
  documentRef: string;
}

// Form keys and the API's field paths (relative to "expenditure.").
export const paths: Record<keyof ExpenditureValues, string> = {
  expenseDate: "expense_date",
  budgetLineKey: "budget_line_key",
  project: "project",
  organisation: "organisation",
  amount: "amount",
  currencyCode: "currency_code",
  payee: "payee",
  description: "description",
  documentRef: "document_ref",
};

export function expenditureValues(grant: string, e?: Expenditure, defaults?: Partial<ExpenditureValues>): ExpenditureValues {
  return {
    expenseDate: e?.expenseDate || null,
    budgetLineKey: e?.budgetLineKey ?? "",
    project: e ? projectRef(grant, e.project) : "",
    organisation: e?.organisation ?? "",
    amount: e?.amount ?? "",
    currencyCode: e?.currencyCode ?? "",
    payee: e?.payee ?? "",
    description: e?.description ?? "",
    documentRef: e?.documentRef ?? "",
    ...(e ? {} : defaults),
  };
}

export function toExpenditure(v: ExpenditureValues) {
  return {
    expenseDate: v.expenseDate ?? "",
    budgetLineKey: v.budgetLineKey,
    project: v.project,
    organisation: v.organisation,
    amount: v.amount,
    currencyCode: v.currencyCode,
    payee: v.payee.trim(),
    description: v.description.trim(),
    documentRef: v.documentRef.trim(),
  };
}

// mask: the API paths of the fields that changed.
export function expenditureMask(before: ExpenditureValues, after: ExpenditureValues): string[] {
  return (Object.keys(paths) as (keyof ExpenditureValues)[])
    .filter((k) => String(before[k] ?? "").trim() !== String(after[k] ?? "").trim())
    .map((k) => paths[k]);
}
