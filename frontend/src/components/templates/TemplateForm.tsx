// The form of a new budget template: its name, description and defining
// organisation, and its headings in the donor's order, each with a code, a
// title, a kind and (for headings that hold lines) the lines usually found
// under it. Headings are added, moved up and down, and removed. The form
// checks what must be filled in; the server checks the rest (codes unique,
// one heading of each computed kind, a heading of direct costs), and its
// field errors are placed on the heading and field they concern, worded in
// the user's language.
import { useMemo } from "react";
import { ActionIcon, Button, Fieldset, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@connectrpc/connect-query";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash, IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { BudgetTemplate } from "../../gen/pactum/v1/budget_pb";
import type { BudgetHeadingKind } from "../../gen/pactum/v1/budget_pb";
import { OrganisationKind, OrganisationService } from "../../gen/pactum/v1/organisation_pb";
import { Role } from "../../gen/pactum/v1/user_pb";
import { fieldViolations } from "../../lib/errors";
import { useSession } from "../../lib/session";
import { MutationError } from "../grants/MutationError";
import { useErrorFocus, useServerFieldErrors } from "../shared/forms";
import { computed, headingKinds, kindKey } from "./kinds";
import { placeFor, placed } from "./placement";

export interface LineRow {
  code: string;
  description: string;
}

export interface HeadingRow {
  key: string; // React's key: stays with the heading when it moves
  code: string;
  title: string;
  kind: string; // a BudgetHeadingKind as a string, "" when not chosen
  usualLines: LineRow[];
}

export interface TemplateValues {
  displayName: string;
  description: string;
  organisation: string;
  headings: HeadingRow[];
}

// A disabled move or remove button: no background, so that it does not
// look pressed.
const faint = { background: "transparent", opacity: 0.35 };

let keys = 0;
const newKey = () => `h${++keys}`;

export const emptyHeading = (): HeadingRow => ({ key: newKey(), code: "", title: "", kind: "", usualLines: [] });

// templateValues: the form's values for a copy of t (or an empty template).
export function templateValues(t: BudgetTemplate | undefined, copyName: (name: string) => string): TemplateValues {
  return {
    displayName: t ? copyName(t.displayName) : "",
    description: t?.description ?? "",
    organisation: "",
    headings: t
      ? t.headings.map((h) => ({
          key: newKey(),
          code: h.code,
          title: h.title,
          kind: String(h.kind),
          usualLines: h.usualLines.map((l) => ({ code: l.code, description: l.description })),
        }))
      : [emptyHeading()],
  };
}

// toTemplate: the request's template; computed rows carry no lines.
export function toTemplate(v: TemplateValues) {
  return {
    displayName: v.displayName.trim(),
    description: v.description.trim(),
    headings: v.headings.map((h) => {
      const kind = Number(h.kind) as BudgetHeadingKind;
      return {
        code: h.code.trim(),
        title: h.title.trim(),
        kind,
        usualLines: computed(kind) ? [] : h.usualLines.map((l) => ({ code: l.code.trim(), description: l.description.trim() })),
      };
    }),
  };
}

export function TemplateForm({
  initial,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: TemplateValues;
  pending: boolean;
  error: unknown;
  onSubmit: (v: TemplateValues) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation(["templates", "common"]);
  const { user } = useSession();
  const leads = useQuery(OrganisationService.method.listOrganisations, { pageSize: 1000, kind: OrganisationKind.LEAD });
  const own = useMemo(() => (user?.memberships ?? []).filter((m) => m.role === Role.COORDINATOR).map((m) => m.organisation), [user]);
  const orgOptions = useMemo(
    () => (leads.data?.organisations ?? []).map((o) => ({ value: o.name, label: o.shortName || o.displayName })),
    [leads.data],
  );
  const defaultOrg = orgOptions.find((o) => own.includes(o.value))?.value ?? orgOptions[0]?.value ?? "";

  const required = (s: string) => (s.trim() ? null : t("templates:validation.required"));
  const form = useForm<TemplateValues>({
    mode: "controlled",
    initialValues: initial,
    validate: {
      displayName: (v) => (v.trim() ? null : t("templates:validation.displayName")),
      headings: {
        code: required,
        title: required,
        kind: (v) => (v ? null : t("templates:validation.required")),
        usualLines: { code: required },
      },
    },
  });
  const organisation = form.values.organisation || defaultOrg;
  const [formRef, focusFirstError] = useErrorFocus();
  const place = useMemo(() => placeFor(t), [t]);
  useServerFieldErrors(error, "budget_template.", place, (errors) => {
    form.setErrors(errors);
    focusFirstError();
  });
  const violations = fieldViolations(error, "budget_template.");

  const kindOptions = headingKinds.map((k) => ({ value: String(k), label: t(`templates:kinds.${kindKey[k]}.label`) }));
  const hs = form.values.headings;
  // rowInput: a heading's code, title or kind, marked invalid with its
  // message below the row.
  const rowInput = (i: number, f: "code" | "title" | "kind") => {
    const props = form.getInputProps(`headings.${i}.${f}`);
    const err = props.error as string | undefined;
    return { ...props, error: !!err, "aria-describedby": err ? `${hs[i].key}-${f}-error` : undefined };
  };
  const label = (h: HeadingRow, i: number) => h.code.trim() || String(i + 1);

  return (
    <form
      ref={formRef}
      noValidate
      aria-label={t("templates:form.newTitle")}
      onSubmit={form.onSubmit((v) => onSubmit({ ...v, organisation }), focusFirstError)}
    >
      <Stack gap="md">
        <Fieldset legend={t("templates:form.about")} variant="filled">
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput label={t("templates:form.displayName")} description={t("templates:form.displayNameHelp")} required maxLength={200} {...form.getInputProps("displayName")} />
              <Select
                label={t("templates:form.organisation")}
                description={t("templates:form.organisationHelp")}
                required
                allowDeselect={false}
                data={orgOptions}
                nothingFoundMessage={t("common:empty")}
                {...form.getInputProps("organisation")}
                value={organisation || null}
                onChange={(v) => form.setFieldValue("organisation", v ?? "")}
              />
            </SimpleGrid>
            <Textarea label={t("templates:form.description")} autosize minRows={2} maxRows={6} maxLength={2000} {...form.getInputProps("description")} />
          </Stack>
        </Fieldset>
        <Fieldset legend={t("templates:form.headings")} variant="filled">
          <Stack gap="sm">
            <Text size="sm" c="gray.7">
              {t("templates:form.headingsHelp")}
            </Text>
            {hs.map((h, i) => {
              const kind = Number(h.kind) as BudgetHeadingKind;
              const isComputed = h.kind !== "" && computed(kind);
              return (
                <Paper key={h.key} withBorder radius="sm" p={{ base: "xs", sm: "sm" }} role="group" aria-label={t("templates:form.heading", { number: i + 1 })}>
                  <Group justify="space-between" align="center" mb="xs" wrap="nowrap">
                    <Text fw={600} size="sm">
                      {t("templates:form.heading", { number: i + 1 })}
                    </Text>
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        c="gray.8"
                        disabled={i === 0}
                        style={i === 0 ? faint : undefined}
                        onClick={() => form.reorderListItem("headings", { from: i, to: i - 1 })}
                        aria-label={t("templates:form.moveUp", { code: label(h, i) })}
                      >
                        <IconArrowUp size={16} aria-hidden />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        c="gray.8"
                        disabled={i === hs.length - 1}
                        style={i === hs.length - 1 ? faint : undefined}
                        onClick={() => form.reorderListItem("headings", { from: i, to: i + 1 })}
                        aria-label={t("templates:form.moveDown", { code: label(h, i) })}
                      >
                        <IconArrowDown size={16} aria-hidden />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        c="red.9"
                        disabled={hs.length === 1}
                        style={hs.length === 1 ? faint : undefined}
                        onClick={() => form.removeListItem("headings", i)}
                        aria-label={t("templates:form.remove", { code: label(h, i) })}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Group>
                  </Group>
                  {/* The row's errors go below it, full width: a code's
                      column is too narrow for a sentence. */}
                  <Group align="flex-start" gap="sm" wrap="wrap">
                    <TextInput
                      label={t("templates:form.code")}
                      required
                      maxLength={10}
                      spellCheck={false}
                      style={{ flex: "0 1 8rem", minWidth: "6rem" }}
                      {...rowInput(i, "code")}
                    />
                    <TextInput
                      label={t("templates:form.headingTitle")}
                      required
                      maxLength={300}
                      style={{ flex: "1 1 16rem" }}
                      {...rowInput(i, "title")}
                    />
                    <Select
                      label={t("templates:form.kind")}
                      required
                      allowDeselect={false}
                      data={kindOptions}
                      style={{ flex: "1 1 14rem", maxWidth: "20rem" }}
                      {...rowInput(i, "kind")}
                      value={h.kind || null}
                      onChange={(v) => form.setFieldValue(`headings.${i}.kind`, v ?? "")}
                    />
                  </Group>
                  {(["code", "title", "kind"] as const).map(
                    (f) =>
                      form.errors[`headings.${i}.${f}`] && (
                        <Text key={f} id={`${h.key}-${f}-error`} size="xs" c="red.9" mt={4}>
                          {form.errors[`headings.${i}.${f}`]}
                        </Text>
                      ),
                  )}
                  {h.kind !== "" && (
                    <Text size="xs" c="gray.7" mt={4}>
                      {t(`templates:kinds.${kindKey[kind]}.help`)}
                    </Text>
                  )}
                  {!isComputed && (
                    <Stack gap={6} mt="sm">
                      <Text size="sm" fw={500}>
                        {t("templates:form.usualLines")}
                      </Text>
                      <Text size="xs" c="gray.7" mt={-4}>
                        {t("templates:form.usualLinesHelp")}
                      </Text>
                      {h.usualLines.map((l, j) => (
                        <Group key={j} gap="xs" align="flex-start" wrap="nowrap">
                          <TextInput
                            aria-label={t("templates:form.lineCode")}
                            placeholder={t("templates:form.lineCode")}
                            w={{ base: 72, sm: 110 }}
                            maxLength={20}
                            spellCheck={false}
                            {...form.getInputProps(`headings.${i}.usualLines.${j}.code`)}
                          />
                          <TextInput
                            aria-label={t("templates:form.lineDescription")}
                            placeholder={t("templates:form.lineDescription")}
                            style={{ flex: 1, minWidth: 0 }}
                            maxLength={300}
                            {...form.getInputProps(`headings.${i}.usualLines.${j}.description`)}
                          />
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            c="red.9"
                            mt={4}
                            onClick={() => form.removeListItem(`headings.${i}.usualLines`, j)}
                            aria-label={t("templates:form.removeLine", { code: l.code || j + 1 })}
                          >
                            <IconX size={16} aria-hidden />
                          </ActionIcon>
                        </Group>
                      ))}
                      {form.errors[`headings.${i}.usualLines`] && (
                        <Text size="sm" c="red.9" role="alert">
                          {form.errors[`headings.${i}.usualLines`]}
                        </Text>
                      )}
                      <div>
                        <Button
                          variant="default"
                          size="xs"
                          leftSection={<IconPlus size={14} aria-hidden />}
                          onClick={() => form.insertListItem(`headings.${i}.usualLines`, { code: `${h.code.trim()}.${h.usualLines.length + 1}`, description: "" })}
                        >
                          {t("templates:form.addLine")}
                        </Button>
                      </div>
                    </Stack>
                  )}
                </Paper>
              );
            })}
            {form.errors.headings && (
              <Text size="sm" c="red.9" role="alert">
                {form.errors.headings}
              </Text>
            )}
            <div>
              <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => form.insertListItem("headings", emptyHeading())}>
                {t("templates:form.addHeading")}
              </Button>
            </div>
          </Stack>
        </Fieldset>
        <MutationError error={error} reasonsNs="templates" prefix="budget_template." placed={Object.keys(violations).filter(placed)} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t("common:actions.cancel")}
          </Button>
          <Button type="submit" loading={pending}>
            {t("templates:form.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
