// Choosing a password from a link (an invitation or a password reset): the
// token comes from the link, the password twice; success signs the user in.
import { useEffect, useState } from "react";
import { Alert, Anchor, Button, PasswordInput, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconAlertCircle, IconLinkOff } from "@tabler/icons-react";
import { useMutation } from "@connectrpc/connect-query";
import { Link, useLocation, useSearch } from "wouter";
import { useTranslation } from "react-i18next";
import { AuthService } from "../../gen/pactum/v1/auth_pb";
import { errorMessage, fieldViolations } from "../../lib/errors";
import { AuthPage } from "./AuthPage";
import { fieldMessage, minPasswordLength } from "./forms";
import { useSessionCache, useSessionUser } from "./session";

export function SetPasswordForm({ kind }: { kind: "invitation" | "reset" }) {
  const { t } = useTranslation(["auth", "common"]);
  const token = new URLSearchParams(useSearch()).get("token")?.trim() ?? "";
  const [, navigate] = useLocation();
  const session = useSessionCache();
  const user = useSessionUser();
  const accept = useMutation(AuthService.method.acceptInvitation);
  const reset = useMutation(AuthService.method.resetPassword);
  const pending = accept.isPending || reset.isPending;
  const [badLink, setBadLink] = useState(false);
  const [error, setError] = useState<string>();
  const [signedInAs, setSignedInAs] = useState<string>();
  // Once the app has the new session, on to the home page.
  useEffect(() => {
    if (signedInAs && user?.name === signedInAs) navigate("/", { replace: true });
  }, [signedInAs, user, navigate]);
  const form = useForm({
    initialValues: { password: "", confirm: "" },
    validate: {
      password: (v) => ([...v].length < minPasswordLength ? t("choose.tooShort", { min: minPasswordLength }) : null),
      confirm: (v, values) => (v !== values.password ? t("choose.mismatch") : null),
    },
  });

  const title = kind === "invitation" ? t("invitation.title") : t("reset.title");

  const newLink = (
    <Button component={Link} href="/forgot-password" variant="default">
      {t("choose.newLink")}
    </Button>
  );

  if (!token || badLink) {
    return (
      <AuthPage title={title}>
        <Alert color="red" icon={<IconLinkOff aria-hidden />} role="alert" title={!token ? t("choose.missingTitle") : t("choose.badLinkTitle")}>
          <Stack gap={6}>
            <Text size="sm">{!token ? t("choose.missingToken") : t("choose.badLink")}</Text>
            <Text size="sm">{kind === "invitation" ? t("invitation.badLinkHelp") : t("reset.badLinkHelp")}</Text>
          </Stack>
        </Alert>
        {newLink}
        <Text size="sm" ta="center">
          <Anchor component={Link} href="/sign-in">
            {t("forgot.back")}
          </Anchor>
        </Text>
      </AuthPage>
    );
  }

  const submit = form.onSubmit((values) => {
    setError(undefined);
    const handlers = {
      onSuccess: (res: { user?: Parameters<typeof session.signedIn>[0] }) => {
        session.signedIn(res.user);
        setSignedInAs(res.user?.name);
      },
      onError: (err: unknown) => {
        const v = fieldViolations(err);
        if (v.token) setBadLink(true);
        else if (v.password) form.setErrors({ password: fieldMessage(t, v.password) });
        else setError(errorMessage(err, t));
      },
    };
    const req = { token, password: values.password };
    if (kind === "invitation") accept.mutate(req, handlers);
    else reset.mutate(req, handlers);
  });

  return (
    <AuthPage title={title}>
      <Text size="sm">{kind === "invitation" ? t("invitation.intro") : t("reset.intro")}</Text>
      {error && (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
          {error}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <PasswordInput
            label={t("choose.new")}
            description={t("choose.hint", { min: minPasswordLength })}
            autoComplete="new-password"
            required
            autoFocus
            {...form.getInputProps("password")}
          />
          <PasswordInput label={t("choose.confirm")} autoComplete="new-password" required {...form.getInputProps("confirm")} />
          <Button type="submit" size="md" fullWidth loading={pending}>
            {kind === "invitation" ? t("invitation.submit") : t("reset.submit")}
          </Button>
        </Stack>
      </form>
    </AuthPage>
  );
}
