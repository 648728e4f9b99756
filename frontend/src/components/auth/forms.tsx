// Helpers shared by the sign-in, profile and user screens.
import type { TFunction } from "i18next";

// fieldMessage puts the server's explanation of a field after a short
// sentence in the user's language, so they read their language first.
export function fieldMessage(t: TFunction, description: string): string {
  return `${t("common:errors.field")}: ${description}`;
}

// safeNext keeps a "next" address inside Pactum (no other site, no loop
// back to the sign-in page).
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (next.startsWith("/sign-in")) return "/";
  return next;
}

export const minPasswordLength = 10;

// looksLikeEmail is a light check before asking the server, which has the
// final word.
export function looksLikeEmail(v: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(v.trim());
}
