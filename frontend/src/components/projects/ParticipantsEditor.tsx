// The partners of an action, each in its contractual role (EU PRAG:
// coordinator, co-beneficiary, affiliated entity, associate, contractor,
// recipient of financial support to third parties), with the country it
// works in and its share of the budget, as the project form and the grant
// from its contract edit them. One card per organisation, stacked on a
// phone; the chosen role's consequence is said under it. Errors are the
// server's (or the form's), by API path relative to the project:
// "participants", "participants[2].organisation", "participants[2].role",
// "participants[2].country_code", "participants[2].budget_share".
import { ActionIcon, Button, Group, Paper, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { create } from "@bufbuild/protobuf";
import { useTranslation } from "react-i18next";
import { ParticipantRole, ParticipantRoleSchema, ParticipantSchema, type Participant } from "../../gen/pactum/v1/project_pb";
import { sumDecimals } from "../../lib/decimal";
import { useFormat } from "../../lib/format";
import { DecimalInput } from "../grants/MoneyInput";
import { useCountries } from "../organisations/countries";
import { useOrganisations } from "./lookups";

// roleKey is the enum value's name: the key of its label and its hint.
function roleKey(role: ParticipantRole): string {
  return ParticipantRoleSchema.values.find((v) => v.number === role)?.localName ?? "";
}

export function ParticipantsEditor({
  participants,
  onChange,
  errors = {},
  currency,
  allocated,
}: {
  participants: Participant[];
  onChange: (next: Participant[]) => void;
  errors?: Record<string, string>;
  // The grant currency, for the budget shares ("" or absent: shares are not asked).
  currency?: string;
  // What the budget's lines allocate to each organisation (by name), shown
  // next to its share.
  allocated?: Record<string, string>;
}) {
  const { t } = useTranslation(["projects", "common"]);
  const f = useFormat();
  const organisations = useOrganisations();
  const countries = useCountries();
  const roles = ParticipantRoleSchema.values
    .filter((v) => v.number !== 0)
    .map((v) => ({ value: String(v.number), label: t(`common:participantRole.${v.localName}`) }));
  const options = [...organisations.list]
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
    .map((o) => ({ value: o.name, label: o.shortName ? `${o.displayName} (${o.shortName})` : o.displayName }));
  const set = (i: number, change: Partial<Participant>) =>
    onChange(participants.map((p, k) => (k === i ? create(ParticipantSchema, { ...p, ...change }) : p)));
  const remove = (i: number) => onChange(participants.filter((_, k) => k !== i));
  const add = () =>
    onChange([
      ...participants,
      create(ParticipantSchema, {
        role: participants.some((p) => p.role === ParticipantRole.COORDINATOR) ? ParticipantRole.CO_BENEFICIARY : ParticipantRole.COORDINATOR,
      }),
    ]);
  const shares = participants.map((p) => p.budgetShare).filter((s) => s !== "");
  const decimals = currency ? (new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2) : 2;

  return (
    <Stack gap="xs">
      {participants.length === 0 && (
        <Text size="sm" c="gray.7">
          {t("projects:partners.none")}
        </Text>
      )}
      {participants.map((p, i) => {
        const chosen = new Set(participants.filter((_, k) => k !== i).map((x) => x.organisation));
        const org = organisations.get(p.organisation);
        const key = roleKey(p.role);
        const at = (field: string) => errors[`participants[${i}].${field}`];
        return (
          <Paper key={i} withBorder radius="sm" p="sm" role="group" aria-label={t("projects:partners.row", { n: i + 1 })} data-testid="participant">
            <Stack gap="xs">
              <Group align="flex-start" gap="xs" wrap="nowrap">
                <Select
                  label={t("projects:organisation")}
                  required
                  searchable
                  data={options.filter((o) => !chosen.has(o.value))}
                  value={p.organisation || null}
                  onChange={(v) => set(i, { organisation: v ?? "" })}
                  nothingFoundMessage={t("common:empty")}
                  error={at("organisation")}
                  style={{ flex: 1, minWidth: 0 }}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  mt={26}
                  onClick={() => remove(i)}
                  aria-label={t("projects:partners.remove", { n: i + 1, name: org?.shortName || org?.displayName || "" })}
                >
                  <IconTrash size={18} aria-hidden />
                </ActionIcon>
              </Group>
              <SimpleGrid cols={{ base: 1, sm: currency ? 3 : 2 }} spacing="xs">
                <Select
                  label={t("projects:role")}
                  required
                  data={roles}
                  value={p.role ? String(p.role) : null}
                  onChange={(v) => set(i, { role: Number(v ?? 0) })}
                  allowDeselect={false}
                  error={at("role")}
                  renderOption={({ option }) => {
                    const k = roleKey(Number(option.value));
                    return (
                      <div>
                        <Text size="sm">{option.label}</Text>
                        <Text size="xs" c="gray.7">
                          {t(`common:participantRoleHint.${k}`)}
                        </Text>
                      </div>
                    );
                  }}
                />
                <Select
                  label={t("projects:partners.country")}
                  searchable
                  clearable
                  data={countries.options}
                  value={p.countryCode || null}
                  onChange={(v) => set(i, { countryCode: v ?? "" })}
                  placeholder={org ? countries.name(org.countryCode) : undefined}
                  nothingFoundMessage={t("common:empty")}
                  limit={300}
                  error={at("country_code")}
                />
                {currency && (
                  <DecimalInput
                    label={t("projects:partners.share", { currency })}
                    value={p.budgetShare}
                    onChange={(v) => set(i, { budgetShare: v })}
                    decimals={decimals}
                    error={at("budget_share")}
                    description={
                      allocated && currency ? t("projects:partners.allocated", { amount: f.money(allocated[p.organisation] ?? "0", currency) }) : undefined
                    }
                  />
                )}
              </SimpleGrid>
              {key && (
                <Text
                  size="xs"
                  // orange.9 is 3.9:1 on white; the theme's light-variant text holds AA.
                  c={p.role === ParticipantRole.ASSOCIATE ? "var(--mantine-color-orange-light-color)" : "gray.7"}
                  data-testid="role-hint"
                >
                  {t(`common:participantRoleHint.${key}`)}
                </Text>
              )}
            </Stack>
          </Paper>
        );
      })}
      {errors.participants && (
        <Text size="sm" c="red.8" role="alert">
          {errors.participants}
        </Text>
      )}
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={add}>
          {t("projects:partners.add")}
        </Button>
        {currency && shares.length > 0 && (
          <Text size="sm" c="gray.7">
            {t("projects:partners.sharesTotal", { total: f.money(sumDecimals(shares, decimals), currency) })}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
