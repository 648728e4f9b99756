// /forgot-password: ask for a reset link. The answer is the same whether
// or not the address belongs to an account, so nothing is revealed.
import { useState } from "react";
import { Alert, Anchor, Button, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconAlertCircle, IconMailCheck } from "@tabler/icons-react";
import { useMutation } from "@connectrpc/connect-query";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import { AuthService } from "../../gen/pactum/v1/auth_pb";
import { errorMessage, errorReason, fieldViolations, reasons } from "../../lib/errors";
import { AuthPage } from "../../components/auth/AuthPage";
import { fieldMessage, looksLikeEmail } from "../../components/auth/forms";

export default function ForgotPassword() {
  const { t } = useTranslation(["auth", "common"]);
  const request = useMutation(AuthService.method.requestPasswordReset);
  const [sentTo, setSentTo] = useState<string>();
  const [error, setError] = useState<string>();
  const form = useForm({
    initialValues: { email: "" },
    validate: {
      email: (v) => (v.trim() === "" ? t("signIn.emailRequired") : looksLikeEmail(v) ? null : t("signIn.emailInvalid")),
    },
  });

  const submit = form.onSubmit((values) => {
    setError(undefined);
    const email = values.email.trim();
    request.mutate(
      { email },
      {
        onSuccess: () => setSentTo(email),
        onError: (err) => {
          const v = fieldViolations(err);
          if (v.email) form.setErrors({ email: fieldMessage(t, v.email) });
          else if (errorReason(err) === reasons.resetLimited) setError(t("forgot.tooMany"));
          else setError(errorMessage(err, t));
        },
      },
    );
  });

  const back = (
    <Text size="sm" ta="center">
      <Anchor component={Link} href="/sign-in">
        {t("forgot.back")}
      </Anchor>
    </Text>
  );

  if (sentTo) {
    return (
      <AuthPage title={t("forgot.sentTitle")}>
        <Alert color="teal" icon={<IconMailCheck aria-hidden />} role="status">
          {t("forgot.sent", { email: sentTo })}
        </Alert>
        <Text size="sm" c="gray.7">
          {t("forgot.sentHelp")}
        </Text>
        <Button
          variant="default"
          onClick={() => {
            setSentTo(undefined);
            request.reset();
          }}
        >
          {t("forgot.again")}
        </Button>
        {back}
      </AuthPage>
    );
  }

  return (
    <AuthPage title={t("forgot.title")}>
      <Text size="sm">{t("forgot.intro")}</Text>
      {error && (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
          {error}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t("email")}
            type="email"
            autoComplete="email"
            inputMode="email"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            {...form.getInputProps("email")}
          />
          <Button type="submit" size="md" fullWidth loading={request.isPending}>
            {t("forgot.submit")}
          </Button>
        </Stack>
      </form>
      {back}
    </AuthPage>
  );
}
