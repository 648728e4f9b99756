import { NativeSelect } from "@mantine/core";
import { createClient } from "@connectrpc/connect";
import { useTranslation } from "react-i18next";
import { NotificationService } from "../gen/pactum/v1/notification_pb";
import { transport } from "../lib/api";
import { languages } from "../lib/i18n";

// LanguageSwitch changes the interface language; the choice is remembered
// in the browser and, for a signed-in user (account), also on their account,
// so that the emails Pactum sends them (the daily digest) are in it too.
export function LanguageSwitch({ account = false }: { account?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t("language")}
      size="xs"
      value={i18n.language}
      onChange={(e) => {
        const code = e.currentTarget.value;
        void i18n.changeLanguage(code);
        if (account) void rememberForEmails(code);
      }}
      data={languages.map((l) => ({ value: l.code, label: l.label }))}
      data-testid="language-switch"
    />
  );
}

// rememberForEmails saves the language as the account's email language; a
// failure leaves the emails in the language they were in.
async function rememberForEmails(language: string) {
  try {
    const client = createClient(NotificationService, transport);
    const { settings } = await client.getNotificationSettings({});
    if (!settings || settings.language === language) return;
    await client.updateNotificationSettings({ settings: { ...settings, language }, updateMask: { paths: ["language"] } });
  } catch {
    // Best effort: the notification settings can still be changed by hand.
  }
}
