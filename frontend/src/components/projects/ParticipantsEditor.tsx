// The participating organisations of a project, each in its role, as the
// project form edits them: one row per organisation (an organisation picker
// and a role), a button to add one and one to remove each. Errors are the
// server's (or the form's), by API path relative to the project:
// "participants", "participants[2].organisation", "participants[2].role".
import { ActionIcon, Button, Group, Paper, Select, Stack, Text } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { create } from "@bufbuild/protobuf";
import { useTranslation } from "react-i18next";
import { ParticipantRoleSchema, ParticipantSchema, type Participant } from "../../gen/pactum/v1/project_pb";
import { enumOptions } from "../../lib/enums";
import { useOrganisations } from "./lookups";

export function ParticipantsEditor({
  participants,
  onChange,
  errors = {},
}: {
  participants: Participant[];
  onChange: (next: Participant[]) => void;
  errors?: Record<string, string>;
}) {
  const { t } = useTranslation(["setup", "projects", "common"]);
  const organisations = useOrganisations();
  const roles = enumOptions(t, "participantRole", ParticipantRoleSchema);
  const options = [...organisations.list]
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
    .map((o) => ({ value: o.name, label: o.shortName ? `${o.displayName} (${o.shortName})` : o.displayName }));
  const set = (i: number, change: Partial<Participant>) => onChange(participants.map((p, k) => (k === i ? create(ParticipantSchema, { ...p, ...change }) : p)));
  const remove = (i: number) => onChange(participants.filter((_, k) => k !== i));
  const add = () => onChange([...participants, create(ParticipantSchema, {})]);

  return (
    <Stack gap="xs">
      {participants.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("setup:project.participants.none")}
        </Text>
      )}
      {participants.map((p, i) => {
        const chosen = new Set(participants.filter((_, k) => k !== i).map((x) => x.organisation));
        return (
          <Paper key={i} withBorder radius="sm" p="xs" role="group" aria-label={t("setup:project.participants.row", { n: i + 1 })}>
            <Group align="flex-start" gap="xs" wrap="wrap">
              <Select
                label={t("projects:organisation")}
                required
                searchable
                data={options.filter((o) => !chosen.has(o.value))}
                value={p.organisation || null}
                onChange={(v) => set(i, { organisation: v ?? "" })}
                nothingFoundMessage={t("common:empty")}
                error={errors[`participants[${i}].organisation`]}
                style={{ flex: "1 1 16rem" }}
              />
              <Select
                label={t("projects:role")}
                required
                data={roles}
                value={p.role ? String(p.role) : null}
                onChange={(v) => set(i, { role: Number(v ?? 0) })}
                allowDeselect={false}
                error={errors[`participants[${i}].role`]}
                style={{ flex: "1 1 12rem" }}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                mt={26}
                onClick={() => remove(i)}
                aria-label={t("setup:project.participants.remove", { n: i + 1 })}
              >
                <IconTrash size={18} aria-hidden />
              </ActionIcon>
            </Group>
          </Paper>
        );
      })}
      {errors.participants && (
        <Text size="sm" c="red.8" role="alert">
          {errors.participants}
        </Text>
      )}
      <Group>
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={add}>
          {t("setup:project.participants.add")}
        </Button>
      </Group>
    </Stack>
  );
}
