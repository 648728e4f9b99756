import { NativeSelect } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { languages } from "../lib/i18n";

// LanguageSwitch changes the interface language; the choice is remembered.
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t("language")}
      size="xs"
      value={i18n.language}
      onChange={(e) => void i18n.changeLanguage(e.currentTarget.value)}
      data={languages.map((l) => ({ value: l.code, label: l.label }))}
      data-testid="language-switch"
    />
  );
}
