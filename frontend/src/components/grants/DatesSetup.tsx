// DatesSetup: @mantine/dates in the user's language. Only the screens with
// date pickers load it (and its styles), not the first page.
import type { ReactNode } from "react";
import { DatesProvider } from "@mantine/dates";
import { useTranslation } from "react-i18next";
import "@mantine/dates/styles.css";
import "dayjs/locale/fr";
import "dayjs/locale/es";
import "dayjs/locale/pt-br";

const dayjsLocale: Record<string, string> = { en: "en", fr: "fr", es: "es", pt: "pt-br" };

export function DatesSetup({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <DatesProvider settings={{ locale: dayjsLocale[i18n.language] ?? "en", firstDayOfWeek: 1 }}>{children}</DatesProvider>;
}
