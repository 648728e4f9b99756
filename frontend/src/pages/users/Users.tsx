// /users (admins and coordinators): everyone who can sign in, their roles
// and status, filtered by organisation; invite a user (the link is shown
// when it was not mailed); change a user's name, roles and disabled flag.
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDocumentTitle, useMediaQuery } from "@mantine/hooks";
import { showToast } from "../../lib/toast";
import { IconAlertCircle, IconAlertTriangle, IconMailCheck, IconPencil, IconRefresh, IconUserPlus } from "@tabler/icons-react";
import { callUnaryMethod, useInfiniteQuery, useMutation, useQuery, useTransport } from "@connectrpc/connect-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { OrganisationService, type Organisation } from "../../gen/pactum/v1/organisation_pb";
import { Role, RoleSchema, UserService, type InviteUserResponse, type User } from "../../gen/pactum/v1/user_pb";
import { errorMessage, fieldViolations, isStale } from "../../lib/errors";
import { enumLabel } from "../../lib/enums";
import { useSession } from "../../lib/session";
import { CopyField } from "../../components/auth/CopyField";
import {
  MembershipFields,
  emptyMembership,
  membershipsFromForm,
  membershipsToForm,
  serverErrors,
  validateUser,
  type Option,
  type UserFormValues,
} from "../../components/auth/MembershipFields";

interface Lookups {
  organisations: Map<string, Organisation>;
  organisationOptions: Option[];
  grantRefs: Map<string, string>;
  grantOptions: Option[];
}

function useLookups(enabled: boolean): Lookups {
  const orgs = useQuery(OrganisationService.method.listOrganisations, { pageSize: 1000 }, { enabled, staleTime: 5 * 60_000 });
  const grants = useQuery(GrantService.method.listGrants, { pageSize: 1000 }, { enabled, staleTime: 5 * 60_000 });
  return useMemo(() => {
    const list = [...(orgs.data?.organisations ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName));
    const gl = grants.data?.grants ?? [];
    return {
      organisations: new Map(list.map((o) => [o.name, o])),
      organisationOptions: list.map((o) => ({
        value: o.name,
        label: o.shortName && o.shortName !== o.displayName ? `${o.displayName} (${o.shortName})` : o.displayName,
      })),
      grantRefs: new Map(gl.map((g) => [g.name, g.donorReference || g.title])),
      grantOptions: gl.map((g) => ({ value: g.name, label: g.donorReference ? `${g.donorReference} · ${g.title}` : g.title })),
    };
  }, [orgs.data, grants.data]);
}

// Yellow on light yellow is too faint for a title (WCAG AA): warnings keep
// the text colour and say what they are with the icon and background.
const warningTitle = { title: { color: "var(--mantine-color-text)" } };

export default function Users() {
  const { t } = useTranslation(["users", "common"]);
  useDocumentTitle(`${t("title")} · Pactum`);
  const { user: me, permissions } = useSession();
  const allowed = !!permissions?.manageUsers;
  // Only those who may manage admins give the admin role or change an admin.
  const admin = !!permissions?.manageAdmins;
  const lookups = useLookups(allowed);
  const [organisation, setOrganisation] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<User>();
  const phone = useMediaQuery("(max-width: 48em)", false, { getInitialValueInEffect: false });
  const users = useInfiniteQuery(
    UserService.method.listUsers,
    { organisation: organisation ?? "", pageSize: 50, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined, enabled: allowed },
  );

  if (!allowed) {
    return (
      <Stack gap="lg">
        <Title order={2}>{t("title")}</Title>
        <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />}>
          {t("common:errors.permissionDenied")}
        </Alert>
      </Stack>
    );
  }

  const rows = users.data?.pages.flatMap((p) => p.users) ?? [];
  const editable = (u: User) => admin || !u.memberships.some((m) => m.role === Role.ADMIN);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Stack gap={4} style={{ flex: "1 1 300px" }}>
          <Title order={2}>{t("title")}</Title>
          <Text size="sm" c="gray.7">
            {t("intro")}
          </Text>
        </Stack>
        <Button leftSection={<IconUserPlus size={18} aria-hidden />} onClick={() => setInviting(true)}>
          {t("invite")}
        </Button>
      </Group>

      <Select
        label={t("filter.organisation")}
        placeholder={t("filter.all")}
        data={lookups.organisationOptions}
        value={organisation}
        onChange={setOrganisation}
        searchable
        clearable
        nothingFoundMessage={t("form.nothingFound")}
        w={{ base: "100%", sm: 420 }}
      />

      {users.error && (
        <Alert color="red" icon={<IconAlertCircle aria-hidden />}>
          <Group justify="space-between" gap="xs">
            <Text size="sm">{errorMessage(users.error, t)}</Text>
            <Button size="xs" variant="white" onClick={() => void users.refetch()}>
              {t("common:actions.reload")}
            </Button>
          </Group>
        </Alert>
      )}

      {users.isLoading ? (
        <Group justify="center" p="xl">
          <Loader size="sm" aria-label={t("common:loading")} />
        </Group>
      ) : rows.length === 0 && !users.error ? (
        <Paper withBorder radius="md">
          <Text c="gray.7" size="sm" p="lg" ta="center">
            {organisation ? t("emptyFiltered") : t("empty")}
          </Text>
        </Paper>
      ) : phone ? (
        <Stack gap="sm">
          {rows.map((u) => (
            <Paper key={u.name} withBorder radius="md" p="md">
              <Stack gap="sm">
                <div>
                  <Text fw={600}>{u.displayName}</Text>
                  <Text size="sm" c="gray.7" style={{ overflowWrap: "anywhere" }}>
                    {u.email}
                  </Text>
                </div>
                <StatusBadges user={u} t={t} />
                <RolesList user={u} lookups={lookups} t={t} />
                <Group justify="flex-end">
                  <UserAction user={u} editable={editable(u)} onEdit={() => setEditing(u)} t={t} />
                </Group>
              </Stack>
            </Paper>
          ))}
        </Stack>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("table.name")}</Table.Th>
                  <Table.Th>{t("table.roles")}</Table.Th>
                  <Table.Th>{t("table.status")}</Table.Th>
                  <Table.Th w={1}>
                    <VisuallyHidden>{t("table.actions")}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((u) => (
                  <Table.Tr key={u.name}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {u.displayName}
                      </Text>
                      <Text size="sm" c="gray.7" style={{ overflowWrap: "anywhere" }}>
                        {u.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <RolesList user={u} lookups={lookups} t={t} />
                    </Table.Td>
                    <Table.Td>
                      <StatusBadges user={u} t={t} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <UserAction user={u} editable={editable(u)} onEdit={() => setEditing(u)} t={t} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {users.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={users.isFetchingNextPage} onClick={() => void users.fetchNextPage()}>
            {t("common:actions.more")}
          </Button>
        </Group>
      )}

      <InviteModal opened={inviting} onClose={() => setInviting(false)} lookups={lookups} canGiveAdmin={admin} />
      {editing && <EditModal key={editing.name} user={editing} me={me?.name ?? ""} onClose={() => setEditing(undefined)} lookups={lookups} canGiveAdmin={admin} />}
    </Stack>
  );
}

function UserAction({ user, editable, onEdit, t }: { user: User; editable: boolean; onEdit: () => void; t: TFunction }) {
  if (!editable) {
    return (
      <Text size="xs" c="gray.7" miw={140} maw={180} ta="right">
        {t("adminOnly")}
      </Text>
    );
  }
  return (
    <Button size="xs" variant="default" leftSection={<IconPencil size={14} aria-hidden />} aria-label={t("editLabel", { name: user.displayName })} onClick={onEdit}>
      {t("common:actions.edit")}
    </Button>
  );
}

function RolesList({ user, lookups, t }: { user: User; lookups: Lookups; t: TFunction }) {
  if (user.memberships.length === 0) {
    return (
      <Text size="sm" c="gray.7">
        {t("noRole")}
      </Text>
    );
  }
  return (
    <Stack gap={4}>
      {user.memberships.map((m, i) => {
        const o = lookups.organisations.get(m.organisation);
        return (
          <Group key={i} gap={6} wrap="nowrap" align="baseline">
            <Badge size="md" variant="default" radius="sm" style={{ flexShrink: 0 }}>
              {enumLabel(t, "role", RoleSchema, m.role)}
            </Badge>
            <Text size="sm" title={o?.displayName}>
              {m.role === Role.ADMIN || !m.organisation ? t("installation") : (o?.shortName || o?.displayName || m.organisation)}
              {m.grants.length > 0 && (
                <Text span size="xs" c="gray.7">
                  {" · "}
                  {m.grants.map((g) => lookups.grantRefs.get(g) ?? g).join(", ")}
                </Text>
              )}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}

function StatusBadges({ user, t }: { user: User; t: TFunction }) {
  return (
    <Group gap={6} style={{ flexShrink: 0 }}>
      {user.active ? (
        <Badge color="teal" variant="dot" radius="sm">
          {t("status.active")}
        </Badge>
      ) : (
        <Badge color="yellow" variant="dot" radius="sm">
          {t("status.invited")}
        </Badge>
      )}
      {user.disabled && (
        <Badge color="red" variant="dot" radius="sm">
          {t("status.disabled")}
        </Badge>
      )}
    </Group>
  );
}

interface ModalProps {
  onClose: () => void;
  lookups: Lookups;
  canGiveAdmin: boolean;
}

function InviteModal({ opened, onClose, lookups, canGiveAdmin }: ModalProps & { opened: boolean }) {
  const { t } = useTranslation(["users", "common"]);
  const phone = useMediaQuery("(max-width: 48em)");
  const queryClient = useQueryClient();
  const invite = useMutation(UserService.method.inviteUser);
  const [result, setResult] = useState<InviteUserResponse>();
  const [error, setError] = useState<string[]>();
  const form = useForm<UserFormValues>({
    initialValues: { email: "", displayName: "", memberships: [emptyMembership()], disabled: false },
    validate: (v) => validateUser(t, v, true),
  });

  const close = () => {
    setResult(undefined);
    setError(undefined);
    form.reset();
    invite.reset();
    onClose();
  };

  const again = () => {
    setResult(undefined);
    setError(undefined);
    form.reset();
    invite.reset();
  };

  const submit = form.onSubmit((v) => {
    setError(undefined);
    invite.mutate(
      { user: { email: v.email.trim(), displayName: v.displayName.trim(), memberships: membershipsFromForm(v.memberships) } },
      {
        onSuccess: (res) => {
          setResult(res);
          void queryClient.invalidateQueries();
        },
        onError: (err) => {
          if (err instanceof ConnectError && err.code === Code.AlreadyExists) {
            form.setFieldError("email", t("form.emailTaken"));
            return;
          }
          const { fields, other } = serverErrors(t, fieldViolations(err, "user."));
          if (Object.keys(fields).length > 0) form.setErrors(fields);
          setError([errorMessage(err, t), ...other]);
        },
      },
    );
  });

  const invitedEmail = result?.user?.email ?? "";
  return (
    <Modal opened={opened} onClose={close} title={result ? t("invited.title") : t("form.inviteTitle")} size="lg" fullScreen={phone} closeOnClickOutside={!result}>
      {result ? (
        <Stack gap="md">
          {result.mailed ? (
            <Alert color="teal" icon={<IconMailCheck aria-hidden />} role="status">
              {t("invited.mailed", { email: invitedEmail })}
            </Alert>
          ) : (
            <>
              <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} styles={warningTitle} title={t("invited.notMailedTitle")}>
                {t("invited.notMailed", { email: invitedEmail })}
              </Alert>
              <CopyField label={t("invited.link")} value={result.invitationUrl} copyLabel={t("copy")} copiedLabel={t("copied")} description={t("invited.linkHelp")} />
            </>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={again}>
              {t("invited.another")}
            </Button>
            <Button onClick={close}>{t("common:actions.close")}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm" c="gray.7">
              {t("form.inviteIntro")}
            </Text>
            {error && <ErrorAlert lines={error} />}
            <TextInput
              label={t("form.email")}
              type="email"
              autoComplete="off"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              required
              data-autofocus
              {...form.getInputProps("email")}
            />
            <TextInput label={t("form.name")} description={t("form.nameHelp")} autoComplete="off" required {...form.getInputProps("displayName")} />
            <MembershipFields form={form} organisations={lookups.organisationOptions} grants={lookups.grantOptions} canGiveAdmin={canGiveAdmin} />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t("common:actions.cancel")}
              </Button>
              <Button type="submit" loading={invite.isPending} leftSection={<IconUserPlus size={16} aria-hidden />}>
                {t("form.send")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

// useShowWhen scrolls a message into view when it appears: in a long form
// on a phone, the button pressed is far below the message at the top.
function useShowWhen<T extends HTMLElement>(shown: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (shown) ref.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [shown]);
  return ref;
}

function ErrorAlert({ lines }: { lines: string[] }) {
  const ref = useShowWhen<HTMLDivElement>(lines);
  return (
    <Alert ref={ref} color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
      <Stack gap={4}>
        {lines.map((l, i) => (
          <Text key={i} size="sm">
            {l}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

const maskPaths: Record<string, string> = { displayName: "display_name", memberships: "memberships", disabled: "disabled" };

function EditModal({ user, me, onClose, lookups, canGiveAdmin }: ModalProps & { user: User; me: string }) {
  const { t } = useTranslation(["users", "common"]);
  const phone = useMediaQuery("(max-width: 48em)");
  const queryClient = useQueryClient();
  const transport = useTransport();
  const update = useMutation(UserService.method.updateUser);
  const [etag, setEtag] = useState(user.etag);
  const [stale, setStale] = useState(false);
  const staleRef = useShowWhen<HTMLDivElement>(stale);
  const [reloading, setReloading] = useState(false);
  const [latest, setLatest] = useState<User>();
  const [error, setError] = useState<string[]>();
  const self = user.name === me;
  const form = useForm<UserFormValues>({
    initialValues: { email: user.email, displayName: user.displayName, memberships: membershipsToForm(user.memberships), disabled: user.disabled },
    validate: (v) => validateUser(t, v, false),
  });

  const reload = async () => {
    setReloading(true);
    try {
      const res = await callUnaryMethod(transport, UserService.method.getUser, { name: user.name });
      if (res.user) {
        setEtag(res.user.etag);
        setLatest(res.user);
      }
      setStale(false);
      setError(undefined);
    } catch (err) {
      setError([errorMessage(err, t)]);
    } finally {
      setReloading(false);
    }
  };

  const submit = form.onSubmit((v) => {
    setError(undefined);
    const paths = Object.keys(maskPaths).filter((k) => form.isDirty(k)).map((k) => maskPaths[k]);
    if (paths.length === 0) {
      onClose();
      return;
    }
    update.mutate(
      {
        user: {
          name: user.name,
          etag,
          displayName: v.displayName.trim(),
          memberships: membershipsFromForm(v.memberships),
          disabled: v.disabled,
        },
        updateMask: { paths },
      },
      {
        onSuccess: (res) => {
          showToast({
            color: "teal",
            message: t("saved", { name: res.user?.displayName ?? v.displayName }),
          });
          void queryClient.invalidateQueries();
          onClose();
        },
        onError: (err) => {
          if (isStale(err)) {
            setStale(true);
            return;
          }
          const { fields, other } = serverErrors(t, fieldViolations(err, "user."));
          if (Object.keys(fields).length > 0) form.setErrors(fields);
          setError([errorMessage(err, t), ...other]);
        },
      },
    );
  });

  return (
    <Modal opened onClose={onClose} title={t("form.editTitle", { name: user.displayName })} size="lg" fullScreen={phone}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="gray.7" style={{ overflowWrap: "anywhere" }}>
            {user.email} · {user.active ? t("status.active") : t("status.invited")}
          </Text>
          {stale && (
            <Alert ref={staleRef} color="yellow" icon={<IconAlertTriangle aria-hidden />} styles={warningTitle} title={t("common:errors.stale")} role="alert">
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t("common:errors.staleHelp")}</Text>
                <Button size="xs" variant="white" color="dark" leftSection={<IconRefresh size={14} aria-hidden />} loading={reloading} onClick={() => void reload()}>
                  {t("common:actions.reload")}
                </Button>
              </Stack>
            </Alert>
          )}
          {latest && !stale && (
            <Alert color="blue" title={t("form.latestTitle")}>
              <Stack gap={6}>
                <Text size="sm">{t("form.latestHelp")}</Text>
                <Text size="sm" fw={500}>
                  {latest.displayName}
                </Text>
                <RolesList user={latest} lookups={lookups} t={t} />
                <StatusBadges user={latest} t={t} />
              </Stack>
            </Alert>
          )}
          {error && <ErrorAlert lines={error} />}
          <TextInput label={t("form.name")} description={t("form.nameHelp")} autoComplete="off" required data-autofocus {...form.getInputProps("displayName")} />
          <MembershipFields form={form} organisations={lookups.organisationOptions} grants={lookups.grantOptions} canGiveAdmin={canGiveAdmin} />
          <Switch
            label={t("form.disabled")}
            description={self ? t("form.disableSelf") : t("form.disabledHelp")}
            disabled={self && !form.values.disabled}
            color="red"
            {...form.getInputProps("disabled", { type: "checkbox" })}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t("common:actions.cancel")}
            </Button>
            <Button type="submit" loading={update.isPending} disabled={stale}>
              {t("common:actions.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
