// /profile: who the user is (name, email, roles), the interface language,
// personal API tokens, and signing out (here or everywhere).
import { useRef, useState } from "react";
import {
  Alert,
  Badge,
  Button,
  DataList,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDocumentTitle, useMediaQuery } from "@mantine/hooks";
import { showToast } from "../../lib/toast";
import { IconAlertCircle, IconAlertTriangle, IconKey, IconLogout, IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useQueryClient } from "@tanstack/react-query";
import { useLocation } from "wouter";
import { useTranslation } from "react-i18next";
import { AuthService, type ApiToken, type CreateApiTokenResponse } from "../../gen/pactum/v1/auth_pb";
import { OrganisationService } from "../../gen/pactum/v1/organisation_pb";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { Role, RoleSchema, type Membership } from "../../gen/pactum/v1/user_pb";
import { errorMessage, fieldViolations } from "../../lib/errors";
import { enumLabel } from "../../lib/enums";
import { useFormat } from "../../lib/format";
import { languages } from "../../lib/i18n";
import { useSession } from "../../lib/session";
import { newRequestId } from "../../components/shared/requestId";
import { CopyField } from "../../components/auth/CopyField";
import { fieldMessage } from "../../components/auth/forms";
import { useSessionCache } from "../../components/auth/session";

// Yellow on light yellow is too faint for a title (WCAG AA): warnings keep
// the text colour and say what they are with the icon and background.
const warningTitle = { title: { color: "var(--mantine-color-text)" } };
// DataList labels are "dimmed" by default, too faint for WCAG AA.
const nowrap = { whiteSpace: "nowrap" } as const;
const dataListStyles = { itemLabel: { color: "var(--mantine-color-gray-7)" } };

export default function Profile() {
  const { t } = useTranslation(["profile", "common"]);
  useDocumentTitle(`${t("title")} · Pactum`);
  const { user } = useSession();
  const phone = useMediaQuery("(max-width: 36em)", false, { getInitialValueInEffect: false });
  if (!user) return null;
  return (
    <Stack gap="lg" maw={960}>
      <Title order={2}>{t("title")}</Title>
      <Paper withBorder radius="md" p={{ base: "md", sm: "lg" }}>
        <Stack gap="md">
          <Title order={3} size="h4">
            {t("account.title")}
          </Title>
          <DataList orientation={phone ? "vertical" : "horizontal"} labelWidth={160} withDivider styles={dataListStyles}>
            <DataList.Item>
              <DataList.ItemLabel>{t("account.name")}</DataList.ItemLabel>
              <DataList.ItemValue>{user.displayName}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>{t("account.email")}</DataList.ItemLabel>
              <DataList.ItemValue style={{ overflowWrap: "anywhere" }}>{user.email}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>{t("account.roles")}</DataList.ItemLabel>
              <DataList.ItemValue>
                {user.memberships.length === 0 ? (
                  <Text size="sm">{t("account.noRole")}</Text>
                ) : (
                  <Stack gap="xs">
                    {user.memberships.map((m, i) => (
                      <MembershipLine key={i} m={m} />
                    ))}
                  </Stack>
                )}
              </DataList.ItemValue>
            </DataList.Item>
          </DataList>
          <Text size="sm" c="gray.7">
            {t("account.rolesHelp")}
          </Text>
        </Stack>
      </Paper>
      <LanguageSection />
      <TokensSection />
      <SignOutSection />
    </Stack>
  );
}

function MembershipLine({ m }: { m: Membership }) {
  const { t } = useTranslation(["profile", "common"]);
  return (
    <Group gap="xs" wrap="wrap" align="center">
      <Badge variant="default" radius="sm">
        {enumLabel(t, "role", RoleSchema, m.role)}
      </Badge>
      <Text size="sm">{m.role === Role.ADMIN || !m.organisation ? t("account.installation") : <OrganisationName name={m.organisation} />}</Text>
      {m.grants.length > 0 && (
        <Text size="sm" c="gray.7">
          {t("account.limitedTo")}{" "}
          {m.grants.map((g, i) => (
            <span key={g}>
              {i > 0 && ", "}
              <GrantName name={g} />
            </span>
          ))}
        </Text>
      )}
    </Group>
  );
}

function OrganisationName({ name }: { name: string }) {
  const q = useQuery(OrganisationService.method.getOrganisation, { name }, { staleTime: 10 * 60_000 });
  if (q.isLoading) return <Loader size="xs" type="dots" />;
  const o = q.data?.organisation;
  if (!o) return <>{name}</>;
  return (
    <>
      {o.displayName}
      {o.shortName && o.shortName !== o.displayName ? ` (${o.shortName})` : ""}
    </>
  );
}

function GrantName({ name }: { name: string }) {
  const q = useQuery(GrantService.method.getGrant, { name }, { staleTime: 10 * 60_000 });
  const g = q.data?.grant;
  if (q.isLoading) return <Loader size="xs" type="dots" />;
  return <>{g ? g.donorReference || g.title : name}</>;
}

function LanguageSection() {
  const { t, i18n } = useTranslation(["profile", "common"]);
  return (
    <Paper withBorder radius="md" p={{ base: "md", sm: "lg" }}>
      <Stack gap="md">
        <Title order={3} size="h4">
          {t("language.title")}
        </Title>
        <Radio.Group
          label={t("language.label")}
          description={t("language.help")}
          value={i18n.resolvedLanguage ?? i18n.language}
          onChange={(v) => void i18n.changeLanguage(v)}
        >
          <Group gap="lg" mt="sm" wrap="wrap">
            {languages.map((l) => (
              <Radio key={l.code} value={l.code} label={l.label} lang={l.code} />
            ))}
          </Group>
        </Radio.Group>
      </Stack>
    </Paper>
  );
}

type TokenStatus = "active" | "expired" | "revoked";

function tokenStatus(tok: ApiToken, now: number): TokenStatus {
  if (tok.revokeTime) return "revoked";
  if (tok.expireTime && timestampDate(tok.expireTime).getTime() <= now) return "expired";
  return "active";
}

const statusColor: Record<TokenStatus, string> = { active: "teal", expired: "gray", revoked: "red" };

function TokensSection() {
  const { t } = useTranslation(["profile", "common"]);
  const f = useFormat();
  const queryClient = useQueryClient();
  const phone = useMediaQuery("(max-width: 48em)", false, { getInitialValueInEffect: false });
  const list = useQuery(AuthService.method.listApiTokens, { pageSize: 1000 });
  const revoke = useMutation(AuthService.method.revokeApiToken);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken>();
  const [revokeError, setRevokeError] = useState<string>();
  // eslint-disable-next-line react-hooks/purity -- a token's status is judged against the clock at each render (nothing here is memoised)
  const now = Date.now();
  const tokens = list.data?.apiTokens ?? [];
  const when = (ts: ApiToken["createTime"]) => (ts ? f.dateTime(timestampDate(ts)) : "");

  const askRevoke = (tok: ApiToken) => {
    setRevokeError(undefined);
    setRevoking(tok);
  };

  const confirmRevoke = () => {
    if (!revoking) return;
    setRevokeError(undefined);
    revoke.mutate(
      { name: revoking.name },
      {
        onSuccess: () => {
          showToast({
            color: "teal",
            message: t("tokens.revokedDone", { name: revoking.displayName }),
          });
          setRevoking(undefined);
          void queryClient.invalidateQueries();
        },
        onError: (err) => setRevokeError(errorMessage(err, t)),
      },
    );
  };

  return (
    <Paper withBorder radius="md" p={{ base: "md", sm: "lg" }}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={4} style={{ flex: "1 1 320px" }}>
            <Title order={3} size="h4">
              {t("tokens.title")}
            </Title>
            <Text size="sm" c="gray.7">
              {t("tokens.intro")}
            </Text>
          </Stack>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            {t("tokens.create")}
          </Button>
        </Group>
        {list.isLoading && <Loader size="sm" aria-label={t("common:loading")} />}
        {list.error && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />}>
            <Group justify="space-between" gap="xs">
              <Text size="sm">{errorMessage(list.error, t)}</Text>
              <Button size="xs" variant="white" onClick={() => void list.refetch()}>
                {t("common:actions.reload")}
              </Button>
            </Group>
          </Alert>
        )}
        {list.isSuccess && tokens.length === 0 && (
          <Text size="sm" c="gray.7">
            {t("tokens.empty")}
          </Text>
        )}
        {tokens.length > 0 && phone && (
          <Stack gap="sm">
            {tokens.map((tok) => {
              const s = tokenStatus(tok, now);
              return (
                <Paper key={tok.name} withBorder radius="sm" p="sm" c={s === "active" ? undefined : "gray.7"}>
                  <Stack gap="xs">
                    <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
                      <Text fw={500} size="sm" style={{ overflowWrap: "anywhere" }}>
                        {tok.displayName}
                      </Text>
                      <Badge color={statusColor[s]} variant="dot" radius="sm" style={{ flexShrink: 0 }}>
                        {t(`tokens.${s}`)}
                      </Badge>
                    </Group>
                    <DataList size="sm" gap={4} labelWidth={130} styles={dataListStyles}>
                      <DataList.Item>
                        <DataList.ItemLabel>{t("tokens.created")}</DataList.ItemLabel>
                        <DataList.ItemValue>{when(tok.createTime)}</DataList.ItemValue>
                      </DataList.Item>
                      <DataList.Item>
                        <DataList.ItemLabel>{s === "revoked" ? t("tokens.revoked") : t("tokens.expires")}</DataList.ItemLabel>
                        <DataList.ItemValue>{when(s === "revoked" ? tok.revokeTime : tok.expireTime)}</DataList.ItemValue>
                      </DataList.Item>
                      <DataList.Item>
                        <DataList.ItemLabel>{t("tokens.lastUsed")}</DataList.ItemLabel>
                        <DataList.ItemValue>{tok.lastUseTime ? when(tok.lastUseTime) : t("tokens.never")}</DataList.ItemValue>
                      </DataList.Item>
                    </DataList>
                    {s === "active" && (
                      <Group justify="flex-end">
                        <RevokeButton tok={tok} onClick={() => askRevoke(tok)} />
                      </Group>
                    )}
                  </Stack>
                </Paper>
              );
            })}
          </Stack>
        )}
        {tokens.length > 0 && !phone && (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("tokens.name")}</Table.Th>
                  <Table.Th style={nowrap}>{t("tokens.created")}</Table.Th>
                  <Table.Th style={nowrap}>{t("tokens.expires")}</Table.Th>
                  <Table.Th style={nowrap}>{t("tokens.lastUsed")}</Table.Th>
                  <Table.Th style={nowrap}>{t("tokens.status")}</Table.Th>
                  <Table.Th w={1}>
                    <VisuallyHidden>{t("tokens.actions")}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.map((tok) => {
                  const s = tokenStatus(tok, now);
                  return (
                    <Table.Tr key={tok.name} c={s === "active" ? undefined : "gray.7"}>
                      <Table.Td fw={500}>{tok.displayName}</Table.Td>
                      <Table.Td style={nowrap}>{when(tok.createTime)}</Table.Td>
                      <Table.Td style={nowrap}>{when(tok.expireTime)}</Table.Td>
                      <Table.Td style={nowrap}>{tok.lastUseTime ? when(tok.lastUseTime) : t("tokens.never")}</Table.Td>
                      <Table.Td style={nowrap}>
                        <Badge color={statusColor[s]} variant="dot" radius="sm">
                          {t(`tokens.${s}`)}
                        </Badge>
                        {s === "revoked" && (
                          <Text size="xs" c="gray.7" mt={2}>
                            {when(tok.revokeTime)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{s === "active" && <RevokeButton tok={tok} onClick={() => askRevoke(tok)} />}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <Modal opened={!!revoking} onClose={() => setRevoking(undefined)} title={t("tokens.revokeTitle")} centered>
        <Stack gap="md">
          <Text size="sm">{t("tokens.revokeText", { name: revoking?.displayName ?? "" })}</Text>
          {revokeError && (
            <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
              {revokeError}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setRevoking(undefined)}>
              {t("common:actions.cancel")}
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={confirmRevoke}>
              {t("tokens.revoke")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

function RevokeButton({ tok, onClick }: { tok: ApiToken; onClick: () => void }) {
  const { t } = useTranslation(["profile", "common"]);
  return (
    <Button size="xs" color="red" variant="subtle" aria-label={t("tokens.revokeLabel", { name: tok.displayName })} onClick={onClick}>
      {t("tokens.revoke")}
    </Button>
  );
}

function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation(["profile", "common"]);
  const f = useFormat();
  const phone = useMediaQuery("(max-width: 36em)");
  const queryClient = useQueryClient();
  const create = useMutation(AuthService.method.createApiToken);
  const [created, setCreated] = useState<CreateApiTokenResponse>();
  // One request_id per token asked for: a retry of the same request (a
  // flaky connection) gets the token, and its secret, made the first time.
  const intent = useRef<{ key: string; id: string }>(undefined);
  const [error, setError] = useState<string>();
  const form = useForm<{ name: string; days: number | string }>({
    initialValues: { name: "", days: 90 },
    validate: {
      name: (v) => (v.trim() === "" ? t("tokens.form.nameRequired") : null),
      days: (v) => {
        const n = Number(v);
        return Number.isInteger(n) && n >= 1 && n <= 366 ? null : t("tokens.form.daysRange");
      },
    },
  });

  const close = () => {
    setCreated(undefined);
    setError(undefined);
    form.reset();
    create.reset();
    onClose();
  };

  // The request_id is read when the form is sent, not while rendering.
  const send = (values: { name: string; days: number | string }) => {
    setError(undefined);
    const req = { displayName: values.name.trim(), ttlDays: Number(values.days) };
    const key = JSON.stringify(req);
    if (intent.current?.key !== key) intent.current = { key, id: newRequestId() };
    create.mutate(
      { ...req, requestId: intent.current.id },
      {
        onSuccess: (res) => {
          intent.current = undefined;
          setCreated(res);
          void queryClient.invalidateQueries();
        },
        onError: (err) => {
          const v = fieldViolations(err);
          const errors: Record<string, string> = {};
          if (v.display_name) errors.name = fieldMessage(t, v.display_name);
          if (v.ttl_days || v.ttl) errors.days = fieldMessage(t, v.ttl_days ?? v.ttl);
          if (Object.keys(errors).length > 0) form.setErrors(errors);
          else setError(errorMessage(err, t));
        },
      },
    );
  };
  const submit = (event?: React.FormEvent<HTMLFormElement>) => form.onSubmit(send)(event);

  const expires = created?.apiToken?.expireTime ? f.dateTime(timestampDate(created.apiToken.expireTime)) : "";

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t("tokens.secret.title") : t("tokens.form.title")}
      size="lg"
      fullScreen={phone}
      closeOnClickOutside={!created}
      closeOnEscape={!created}
    >
      {created ? (
        <Stack gap="md">
          <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} styles={warningTitle} title={t("tokens.secret.warningTitle")}>
            {t("tokens.secret.warning", { date: expires })}
          </Alert>
          <CopyField
            label={t("tokens.secret.label", { name: created.apiToken?.displayName ?? "" })}
            value={created.secret}
            copyLabel={t("tokens.secret.copy")}
            copiedLabel={t("tokens.secret.copied")}
          />
          <Text size="sm" c="gray.7">
            {t("tokens.secret.usage")} <code>Authorization: Bearer …</code>
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>{t("tokens.secret.done")}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm" c="gray.7">
              {t("tokens.form.intro")}
            </Text>
            {error && (
              <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label={t("tokens.form.name")}
              placeholder={t("tokens.form.namePlaceholder")}
              required
              maxLength={200}
              data-autofocus
              {...form.getInputProps("name")}
            />
            <NumberInput
              label={t("tokens.form.days")}
              description={t("tokens.form.daysHelp")}
              required
              min={1}
              max={366}
              allowDecimal={false}
              allowNegative={false}
              clampBehavior="strict"
              maw={220}
              {...form.getInputProps("days")}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t("common:actions.cancel")}
              </Button>
              <Button type="submit" leftSection={<IconKey size={16} aria-hidden />} loading={create.isPending}>
                {t("tokens.form.submit")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function SignOutSection() {
  const { t } = useTranslation(["profile", "common"]);
  const [, navigate] = useLocation();
  const session = useSessionCache();
  const signOut = useMutation(AuthService.method.signOut);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();

  const run = (everywhere: boolean) => {
    setError(undefined);
    signOut.mutate(
      { everywhere },
      {
        onSuccess: () => {
          session.signedOut();
          navigate("/sign-in", { replace: true });
        },
        onError: (err) => {
          setConfirming(false);
          setError(errorMessage(err, t));
        },
      },
    );
  };
  const pendingHere = signOut.isPending && signOut.variables?.everywhere === false;
  const pendingAll = signOut.isPending && signOut.variables?.everywhere === true;

  return (
    <Paper withBorder radius="md" p={{ base: "md", sm: "lg" }}>
      <Stack gap="md">
        <Title order={3} size="h4">
          {t("signOut.title")}
        </Title>
        <Text size="sm" c="gray.7">
          {t("signOut.intro")}
        </Text>
        {error && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
            {error}
          </Alert>
        )}
        <Group gap="sm" wrap="wrap">
          <Button leftSection={<IconLogout size={16} aria-hidden />} variant="default" loading={pendingHere} onClick={() => run(false)}>
            {t("common:actions.signOut")}
          </Button>
          <Button color="red" variant="outline" onClick={() => setConfirming(true)}>
            {t("signOut.everywhere")}
          </Button>
        </Group>
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t("signOut.confirmTitle")} centered>
        <Stack gap="md">
          <Text size="sm">{t("signOut.confirmText")}</Text>
          <Text size="sm" c="gray.7">
            {t("signOut.tokensNote")}
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t("common:actions.cancel")}
            </Button>
            <Button color="red" loading={pendingAll} onClick={() => run(true)}>
              {t("signOut.everywhere")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
