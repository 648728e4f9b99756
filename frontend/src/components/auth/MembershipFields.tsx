// The roles of a user (one per organisation, optionally limited to grants),
// edited in the invite and edit forms of the Users screen; and the
// conversions between the form and the API.
import { useId } from "react";
import { ActionIcon, Button, Group, MultiSelect, Paper, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Role, RoleSchema, type Membership } from "../../gen/pactum/v1/user_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { MembershipSchema } from "../../gen/pactum/v1/user_pb";
import type { FieldErrors } from "../../lib/errors";
import { enumOptions } from "../../lib/enums";
import { fieldMessage, looksLikeEmail } from "./forms";

export interface MembershipValue {
  role: string; // the Role number, "" until chosen
  organisation: string | null;
  grants: string[];
}

export interface UserFormValues {
  email: string;
  displayName: string;
  memberships: MembershipValue[];
  disabled: boolean;
}

export interface Option {
  value: string;
  label: string;
}

const grantRoles = new Set([String(Role.COORDINATOR), String(Role.FINANCE), String(Role.AUDITOR)]);
export const canLimitToGrants = (role: string) => grantRoles.has(role);

export const emptyMembership = (): MembershipValue => ({ role: "", organisation: null, grants: [] });

export function membershipsToForm(ms: Membership[]): MembershipValue[] {
  return ms.map((m) => ({ role: m.role ? String(m.role) : "", organisation: m.organisation || null, grants: [...m.grants] }));
}

export function membershipsFromForm(ms: MembershipValue[]): MessageInitShape<typeof MembershipSchema>[] {
  return ms.map((m) => ({
    role: Number(m.role) as Role,
    organisation: m.role === String(Role.ADMIN) ? "" : (m.organisation ?? ""),
    grants: canLimitToGrants(m.role) ? m.grants : [],
  }));
}

// validateUser checks what the server would refuse, before asking it.
export function validateUser(t: TFunction, v: UserFormValues, invite: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (invite) {
    if (v.email.trim() === "") e.email = t("users:form.emailRequired");
    else if (!looksLikeEmail(v.email)) e.email = t("users:form.emailInvalid");
    if (v.memberships.length === 0) e.memberships = t("users:form.roleNeeded");
  }
  if (v.displayName.trim() === "") e.displayName = t("users:form.nameRequired");
  v.memberships.forEach((m, i) => {
    if (m.role === "") e[`memberships.${i}.role`] = t("users:form.roleRequired");
    else if (m.role !== String(Role.ADMIN) && !m.organisation) e[`memberships.${i}.organisation`] = t("users:form.organisationRequired");
    if (m.role === String(Role.AUDITOR) && m.grants.length === 0) e[`memberships.${i}.grants`] = t("users:form.auditorGrants");
  });
  return e;
}

// serverErrors places the server's field violations ("memberships[1].grants[0]")
// on the form's fields ("memberships.1.grants"); the rest are returned apart.
export function serverErrors(t: TFunction, v: FieldErrors): { fields: Record<string, string>; other: string[] } {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  const known = /^(email|displayName|disabled|memberships(\.\d+\.(role|organisation|grants))?)$/;
  for (const [field, description] of Object.entries(v)) {
    let path = field.replace(/\[(\d+)\]/g, ".$1").replace(/^(memberships\.\d+\.grants)\.\d+$/, "$1");
    if (path === "display_name") path = "displayName";
    if (known.test(path)) fields[path] = fieldMessage(t, description);
    else other.push(`${field}: ${description}`);
  }
  return { fields, other };
}

interface Props {
  form: UseFormReturnType<UserFormValues>;
  organisations: Option[];
  grants: Option[];
  canGiveAdmin: boolean;
}

function withMissing(options: Option[], values: (string | null)[]): Option[] {
  const have = new Set(options.map((o) => o.value));
  const extra = values.filter((v): v is string => !!v && !have.has(v)).map((v) => ({ value: v, label: v }));
  return extra.length ? [...options, ...extra] : options;
}

export function MembershipFields({ form, organisations, grants, canGiveAdmin }: Props) {
  const { t } = useTranslation(["users", "common"]);
  const roleOptions = enumOptions(t, "role", RoleSchema).filter((o) => canGiveAdmin || o.value !== String(Role.ADMIN));
  const ms = form.values.memberships;
  const id = useId();

  const setRole = (i: number, role: string | null) => {
    const m = ms[i];
    const r = role ?? "";
    form.setFieldValue(`memberships.${i}`, {
      role: r,
      organisation: r === String(Role.ADMIN) ? null : m.organisation,
      grants: canLimitToGrants(r) ? m.grants : [],
    });
    form.clearFieldError(`memberships.${i}.role`);
  };

  return (
    <Stack gap="sm">
      <div>
        <Text size="sm" fw={600}>
          {t("form.roles")}
        </Text>
        <Text size="xs" c="gray.7">
          {t("form.rolesHelp")}
        </Text>
      </div>
      {ms.map((m, i) => {
        const auditor = m.role === String(Role.AUDITOR);
        const admin = m.role === String(Role.ADMIN);
        return (
          <Paper key={i} withBorder radius="sm" p="sm" bg="gray.0" role="group" aria-labelledby={`${id}-${i}`}>
            <Group justify="space-between" mb={6} wrap="nowrap">
              <Text size="sm" fw={600} id={`${id}-${i}`}>
                {t("form.roleN", { n: i + 1 })}
              </Text>
              <ActionIcon variant="subtle" color="red" aria-label={t("form.removeRole", { n: i + 1 })} onClick={() => form.removeListItem("memberships", i)}>
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Select
                label={t("form.role")}
                placeholder={t("form.rolePlaceholder")}
                data={roleOptions}
                required
                allowDeselect={false}
                {...form.getInputProps(`memberships.${i}.role`)}
                onChange={(v) => setRole(i, v)}
              />
              {admin ? (
                <div>
                  <Text size="sm" fw={500}>
                    {t("form.organisation")}
                  </Text>
                  <Text size="sm" c="gray.7" mt={8}>
                    {t("installation")}
                  </Text>
                </div>
              ) : (
                <Select
                  label={t("form.organisation")}
                  placeholder={t("form.organisationPlaceholder")}
                  data={withMissing(organisations, [m.organisation])}
                  searchable
                  required
                  nothingFoundMessage={t("form.nothingFound")}
                  {...form.getInputProps(`memberships.${i}.organisation`)}
                />
              )}
            </SimpleGrid>
            {canLimitToGrants(m.role) && (
              <MultiSelect
                mt="sm"
                label={auditor ? t("form.grantsAuditor") : t("form.grants")}
                description={auditor ? t("form.grantsAuditorHelp") : t("form.grantsHelp")}
                placeholder={m.grants.length === 0 ? (auditor ? t("form.grantsPick") : t("form.grantsAll")) : undefined}
                data={withMissing(grants, m.grants)}
                searchable
                clearable
                required={auditor}
                nothingFoundMessage={t("form.nothingFound")}
                {...form.getInputProps(`memberships.${i}.grants`)}
              />
            )}
          </Paper>
        );
      })}
      {typeof form.errors.memberships === "string" && (
        <Text size="sm" c="red" role="alert">
          {form.errors.memberships}
        </Text>
      )}
      <Group>
        <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => form.insertListItem("memberships", emptyMembership())}>
          {t("form.addRole")}
        </Button>
      </Group>
    </Stack>
  );
}
