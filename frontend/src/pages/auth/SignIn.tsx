// /sign-in?next=...: email and password. On success the session goes into
// the cache and the user continues where they were going.
import { useEffect, useState, type FormEvent } from "react";
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { useMutation } from "@connectrpc/connect-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { Link, useLocation, useSearch } from "wouter";
import { useTranslation } from "react-i18next";
import { AuthService } from "../../gen/pactum/v1/auth_pb";
import { errorMessage, errorReason, fieldViolations, reasons } from "../../lib/errors";
import { AuthPage } from "../../components/auth/AuthPage";
import { fieldMessage, looksLikeEmail, safeNext } from "../../components/auth/forms";
import { useSessionCache, useSessionUser } from "../../components/auth/session";
import { Dashboard } from "../../home";

type Problem = { kind: "wrong" } | { kind: "tooMany" } | { kind: "busy" } | { kind: "other"; message: string };

export default function SignIn() {
  const { t } = useTranslation(["auth", "common"]);
  const next = safeNext(new URLSearchParams(useSearch()).get("next"));
  const [, navigate] = useLocation();
  const session = useSessionCache();
  const user = useSessionUser();
  const signIn = useMutation(AuthService.method.signIn);
  const [problem, setProblem] = useState<Problem>();
  // Two fields: plain state, so the form library stays off a partner's
  // first load (every kilobyte counts on a slow line).
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const validate = () => {
    const e = email.trim() === "" ? t("signIn.emailRequired") : looksLikeEmail(email) ? undefined : t("signIn.emailInvalid");
    const p = password === "" ? t("signIn.passwordRequired") : undefined;
    setErrors({ email: e, password: p });
    return !e && !p;
  };

  // Most people go on to their home page: fetch its code and words while
  // they type.
  useEffect(() => {
    const id = setTimeout(() => void Dashboard.preload().catch(() => {}));
    return () => clearTimeout(id);
  }, []);

  // Signed in (now, or already when the page opened): on to "next".
  useEffect(() => {
    if (user) navigate(next, { replace: true });
  }, [user, next, navigate]);

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    if (!validate()) return;
    setProblem(undefined);
    signIn.mutate(
      { email: email.trim(), password },
      {
        onSuccess: (res) => session.signedIn(res.user),
        onError: (err) => {
          const code = err instanceof ConnectError ? err.code : undefined;
          if (code === Code.Unauthenticated) {
            setProblem({ kind: "wrong" });
            setPassword("");
            return;
          }
          if (code === Code.ResourceExhausted) {
            // The server's hashing bound (try again in seconds) or the
            // account's or network's failed attempts (wait 15 minutes).
            setProblem({ kind: errorReason(err) === reasons.hashingBusy ? "busy" : "tooMany" });
            return;
          }
          const v = fieldViolations(err);
          if (v.email || v.password) {
            setErrors({
              email: v.email ? fieldMessage(t, v.email) : undefined,
              password: v.password ? fieldMessage(t, v.password) : undefined,
            });
            return;
          }
          setProblem({ kind: "other", message: errorMessage(err, t) });
        },
      },
    );
  };

  return (
    <AuthPage title={t("signIn.title")}>
      {problem && (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert" title={problem.kind === "tooMany" ? t("signIn.tooManyTitle") : problem.kind === "busy" ? t("signIn.busyTitle") : undefined}>
          {problem.kind === "wrong" && t("signIn.wrong")}
          {problem.kind === "tooMany" && (
            <Stack gap={6}>
              <Text size="sm">{t("signIn.tooMany")}</Text>
              <Anchor component={Link} href="/forgot-password" size="sm" fw={600}>
                {t("signIn.resetInstead")}
              </Anchor>
            </Stack>
          )}
          {problem.kind === "busy" && t("signIn.busy")}
          {problem.kind === "other" && problem.message}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t("email")}
            type="email"
            autoComplete="username"
            inputMode="email"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            value={email}
            error={errors.email}
            onChange={(e) => {
              setEmail(e.currentTarget.value);
              setErrors((x) => ({ ...x, email: undefined }));
            }}
          />
          <PasswordInput
            label={t("password")}
            autoComplete="current-password"
            required
            value={password}
            error={errors.password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
              setErrors((x) => ({ ...x, password: undefined }));
            }}
          />
          <Button type="submit" size="md" fullWidth loading={signIn.isPending}>
            {t("signIn.submit")}
          </Button>
        </Stack>
      </form>
      <Text size="sm" ta="center">
        <Anchor component={Link} href="/forgot-password">
          {t("signIn.forgot")}
        </Anchor>
      </Text>
      <Text size="xs" c="gray.7" ta="center">
        {t("signIn.help")}
      </Text>
    </AuthPage>
  );
}
