// Small pieces shared by the budget screens.
import type { ReactNode } from "react";
import type { TFunction } from "i18next";
import { Table } from "@mantine/core";

// Alert titles in the text colour: the light variants' coloured titles fall
// short of 4.5:1 on teal and orange backgrounds; colour stays in the
// background, border and icon.
export const darkTitle = { title: { color: "var(--mantine-color-text)" } };

// ScrollTable: a table that scrolls sideways inside its card on narrow
// screens, reachable by keyboard (a named, focusable region).
export function ScrollTable({ minWidth, label, children }: { minWidth: number; label: string; children: ReactNode }) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0} role="region" aria-label={label}>
      {children}
    </Table.ScrollContainer>
  );
}

// fieldError: the server's word on a field, introduced in the user's
// language (the detail itself comes from the server).
export function fieldError(t: TFunction, violations: Record<string, string>, path: string): string | undefined {
  const d = violations[path];
  return d ? `${t("common:errors.field")}: ${d}` : undefined;
}
