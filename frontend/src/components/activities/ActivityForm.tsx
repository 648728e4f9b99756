// The activity form, to log an activity and to change one: what (title,
// type, description), when and where (dates; the country, the project's
// first, named in the user's language; the place), who took part (women,
// men, other or not stated, with a live total; age groups that must add up
// to that total, flagged as the user types), and the outputs and
// indicators it serves (from the project's results framework). The
// server's field errors are placed next to their fields.
import { DateField } from "../shared/DateField";
import { useMemo } from "react";
import { ActionIcon, Alert, Button, Fieldset, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import type { Project } from "../../gen/pactum/v1/project_pb";
import { ResultLevel, ResultsService } from "../../gen/pactum/v1/results_pb";
import { fieldViolations } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { useCountries } from "../organisations/countries";
import { MutationError } from "../grants/MutationError";
import { useErrorFocus, useServerFieldErrors, type FormErrors, type Place } from "../shared/forms";
import { ageMismatch, ageSum, agesGiven, fieldOf, participantTotal, type ActivityValues } from "./activityValues";
import { typeOptions } from "./labels";

export interface ActivityFormProps {
  project: Project;
  start: ActivityValues;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ActivityValues) => void;
  onCancel?: () => void;
  onReload?: () => void;
  reloading?: boolean;
}

// placeErrors: the server's field errors on the form's fields (several
// paths may name one field: the age groups).
const placeErrors: Place = (v, say) => {
  const errors: FormErrors = {};
  for (const [path, d] of Object.entries(v)) {
    const f = fieldOf(path);
    if (!f) continue;
    errors[f] = errors[f] ? `${errors[f]} ${d}` : say(d);
  }
  return errors;
};

export function ActivityForm({ project, start, submitLabel, pending, error, onSubmit, onCancel, onReload, reloading }: ActivityFormProps) {
  const { t } = useTranslation(["activities", "common"]);
  const fmt = useFormat();
  const countries = useCountries();
  const resultsQ = useQuery(ResultsService.method.listResults, { parent: project.name, pageSize: 1000 });
  const indicatorsQ = useQuery(ResultsService.method.listIndicators, { parent: project.name, pageSize: 1000 });

  const required = (v: unknown) => (v === null || v === undefined || String(v).trim() === "" ? t("activities:validation.required") : null);
  const form = useForm<ActivityValues>({
    mode: "controlled",
    initialValues: start,
    validate: {
      title: required,
      type: required,
      startDate: required,
      endDate: (v, all) => (v && all.startDate && v < all.startDate ? t("activities:validation.endBeforeStart") : null),
      ages: (_, all) => {
        const m = ageMismatch(all);
        return m ? t("activities:participants.mismatch", { sum: fmt.number(m.sum), total: fmt.number(m.total) }) : null;
      },
    },
  });

  const [formRef, focusFirstError] = useErrorFocus('[aria-invalid="true"], [data-invalid="true"] input');

  // The server's field errors, next to their fields.
  const placed = useMemo(() => Object.keys(fieldViolations(error, "activity.")).filter((p) => fieldOf(p)), [error]);
  useServerFieldErrors(error, "activity.", placeErrors, (errors) => {
    form.setErrors(errors);
    focusFirstError();
  });

  // Countries: the project's first, then every other.
  const countryOptions = useMemo(() => {
    const mine = project.countryCodes.map((c) => ({ value: c, label: `${countries.name(c)} (${c})` }));
    const rest = countries.options.filter((o) => !project.countryCodes.includes(o.value));
    return mine.length
      ? [
          { group: t("activities:form.projectCountries"), items: mine },
          { group: t("activities:form.otherCountries"), items: rest },
        ]
      : rest;
  }, [countries, project.countryCodes, t]);

  const outputOptions = (resultsQ.data?.results ?? [])
    .filter((r) => r.level === ResultLevel.OUTPUT)
    .map((r) => ({ value: r.name, label: r.code ? `${r.code} – ${r.title}` : r.title }));
  const indicatorOptions = (indicatorsQ.data?.indicators ?? []).map((i) => ({ value: i.name, label: i.code ? `${i.code} – ${i.title}` : i.title }));
  // A served output or indicator no longer listed stays visible.
  for (const o of form.values.outputs) if (!outputOptions.some((x) => x.value === o)) outputOptions.push({ value: o, label: o });
  for (const o of form.values.indicators) if (!indicatorOptions.some((x) => x.value === o)) indicatorOptions.push({ value: o, label: o });

  const total = participantTotal(form.values);
  const mismatch = ageMismatch(form.values);
  const count = (field: "women" | "men" | "other", label: string) => (
    <NumberInput
      label={label}
      min={0}
      max={10_000_000}
      allowDecimal={false}
      allowNegative={false}
      inputMode="numeric"
      hideControls
      placeholder="0"
      {...form.getInputProps(field)}
      error={field === "women" ? form.errors.women : undefined}
    />
  );

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={form.onSubmit((values) => onSubmit(values), focusFirstError)}
      aria-label={submitLabel}
    >
      <Stack gap="md">
        <Fieldset legend={t("activities:form.what")} variant="filled">
          <Stack gap="sm">
            <TextInput label={t("activities:fields.title")} description={t("activities:help.title")} required maxLength={500} {...form.getInputProps("title")} />
            <Select
              label={t("activities:fields.type")}
              required
              allowDeselect={false}
              placeholder={t("activities:form.chooseType")}
              data={typeOptions(t)}
              {...form.getInputProps("type")}
              value={form.values.type || null}
              onChange={(v) => form.setFieldValue("type", v ?? "")}
            />
            <Textarea
              label={t("activities:fields.description")}
              description={t("activities:help.description")}
              autosize
              minRows={3}
              maxRows={10}
              maxLength={20000}
              {...form.getInputProps("description")}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend={t("activities:form.whenWhere")} variant="filled">
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <DateField
                label={t("activities:fields.startDate")}
                required
                {...form.getInputProps("startDate")}
                onChange={(v) => form.setFieldValue("startDate", v ?? "")}
              />
              <DateField
                label={t("activities:fields.endDate")}
                description={t("activities:help.endDate")}
                minDate={form.values.startDate || undefined}
                {...form.getInputProps("endDate")}
                onChange={(v) => form.setFieldValue("endDate", v ?? "")}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <Select
                label={t("activities:fields.country")}
                searchable
                clearable
                placeholder={t("activities:form.chooseCountry")}
                data={countryOptions}
                limit={300}
                nothingFoundMessage={t("common:empty")}
                clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                {...form.getInputProps("countryCode")}
                value={form.values.countryCode || null}
                onChange={(v) => form.setFieldValue("countryCode", v ?? "")}
              />
              <TextInput label={t("activities:fields.place")} description={t("activities:help.place")} maxLength={500} {...form.getInputProps("place")} />
            </SimpleGrid>
          </Stack>
        </Fieldset>

        <Fieldset legend={t("activities:form.participants")} variant="filled">
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
              {count("women", t("activities:participants.women"))}
              {count("men", t("activities:participants.men"))}
              {count("other", t("activities:participants.other"))}
            </SimpleGrid>
            <Text size="sm" fw={600} aria-live="polite" data-testid="participant-total">
              {t("activities:participants.liveTotal", { total: fmt.number(total) })}
            </Text>

            <Stack gap={6} role="group" aria-labelledby="age-groups-label">
              <Text size="sm" fw={500} id="age-groups-label">
                {t("activities:participants.byAge")}
              </Text>
              <Text size="xs" c="dimmed">
                {t("activities:help.byAge")}
              </Text>
              {form.values.ages.map((_, k) => (
                <Group key={k} gap="xs" wrap="nowrap" align="flex-start">
                  <TextInput
                    style={{ flex: "1 1 0", minWidth: 0 }}
                    aria-label={t("activities:participants.ageGroupN", { n: k + 1 })}
                    placeholder={t("activities:participants.ageGroupPlaceholder")}
                    maxLength={50}
                    {...form.getInputProps(`ages.${k}.ageGroup`)}
                  />
                  <NumberInput
                    style={{ flex: "0 0 7rem" }}
                    aria-label={t("activities:participants.ageCountN", { group: form.values.ages[k].ageGroup || k + 1 })}
                    min={0}
                    allowDecimal={false}
                    allowNegative={false}
                    inputMode="numeric"
                    hideControls
                    placeholder="0"
                    {...form.getInputProps(`ages.${k}.count`)}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="lg"
                    mt={2}
                    aria-label={t("activities:participants.removeAge", { group: form.values.ages[k].ageGroup || k + 1 })}
                    onClick={() => form.removeListItem("ages", k)}
                  >
                    ×
                  </ActionIcon>
                </Group>
              ))}
              <Group gap="sm" justify="space-between" wrap="wrap">
                <Button variant="subtle" size="compact-sm" onClick={() => form.insertListItem("ages", { ageGroup: "", count: "" })}>
                  + {t("activities:participants.addAge")}
                </Button>
                {agesGiven(form.values.ages) && !mismatch && (
                  <Text size="sm" c="teal.9" aria-live="polite">
                    ✓ {t("activities:participants.addsUp", { total: fmt.number(ageSum(form.values.ages)) })}
                  </Text>
                )}
              </Group>
              {mismatch && (
                <Alert color="red" variant="light" role="status" data-testid="age-mismatch" py="xs">
                  {t("activities:participants.mismatch", { sum: fmt.number(mismatch.sum), total: fmt.number(mismatch.total) })}
                </Alert>
              )}
              {form.errors.ages && !mismatch && (
                <Text size="sm" c="red.8" role="alert">
                  {form.errors.ages}
                </Text>
              )}
            </Stack>
          </Stack>
        </Fieldset>

        <Fieldset legend={t("activities:form.serves")} variant="filled">
          <Stack gap="sm">
            <MultiSelect
              label={t("activities:fields.outputs")}
              description={outputOptions.length ? t("activities:help.outputs") : t("activities:help.noOutputs")}
              placeholder={resultsQ.isPending ? t("common:loading") : undefined}
              data={outputOptions}
              searchable
              clearable
              nothingFoundMessage={t("common:empty")}
              clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
              {...form.getInputProps("outputs")}
            />
            <MultiSelect
              label={t("activities:fields.indicators")}
              description={indicatorOptions.length ? t("activities:help.indicators") : t("activities:help.noIndicators")}
              placeholder={indicatorsQ.isPending ? t("common:loading") : undefined}
              data={indicatorOptions}
              searchable
              clearable
              nothingFoundMessage={t("common:empty")}
              clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
              {...form.getInputProps("indicators")}
            />
          </Stack>
        </Fieldset>

        <MutationError error={error} onReload={onReload} reloading={reloading} prefix="activity." placed={placed} />
        <Group justify="flex-end" gap="sm">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={pending}>
              {t("common:actions.cancel")}
            </Button>
          )}
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
