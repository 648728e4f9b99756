// The organisation form, for creating and editing: identity (name, short
// name, kind, country, IATI id) and contact details. It reports the fields
// the user changed (the update mask) and places the server's field errors
// next to their fields.
import { useMemo } from "react";
import { Button, Fieldset, Group, Select, SimpleGrid, Stack, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";
import { OrganisationKindSchema, type Organisation, type OrganisationKind } from "../../gen/pactum/v1/organisation_pb";
import { enumOptions } from "../../lib/enums";
import { MutationError } from "../grants/MutationError";
import { byPaths, useErrorFocus, useFollowRecord, useServerFieldErrors, type Place } from "../shared/forms";
import { useCountries } from "./countries";

export interface OrganisationValues {
  displayName: string;
  shortName: string;
  kind: string;
  countryCode: string;
  iatiIdentifier: string;
  contactPerson: string;
  email: string;
  phone: string;
  website: string;
  address: string;
}

// Form keys and the API's field paths (relative to "organisation.").
const paths: Record<keyof OrganisationValues, string> = {
  displayName: "display_name",
  shortName: "short_name",
  kind: "kind",
  countryCode: "country_code",
  iatiIdentifier: "iati_identifier",
  contactPerson: "contact.contact_person",
  email: "contact.email",
  phone: "contact.phone",
  website: "contact.website",
  address: "contact.address",
};

const placeErrors: Place = (v, say) => {
  const errors = byPaths(paths)(v, say);
  if (v.contact && !errors.email) errors.email = say(v.contact);
  return errors;
};

export function valuesOf(o: Organisation | undefined): OrganisationValues {
  return {
    displayName: o?.displayName ?? "",
    shortName: o?.shortName ?? "",
    kind: o?.kind ? String(o.kind) : "",
    countryCode: o?.countryCode ?? "",
    iatiIdentifier: o?.iatiIdentifier ?? "",
    contactPerson: o?.contact?.contactPerson ?? "",
    email: o?.contact?.email ?? "",
    phone: o?.contact?.phone ?? "",
    website: o?.contact?.website ?? "",
    address: o?.contact?.address ?? "",
  };
}

// toMessage: the organisation to send (trimmed).
export function toMessage(v: OrganisationValues) {
  return {
    displayName: v.displayName.trim(),
    shortName: v.shortName.trim(),
    kind: Number(v.kind) as OrganisationKind,
    countryCode: v.countryCode,
    iatiIdentifier: v.iatiIdentifier.trim(),
    contact: {
      contactPerson: v.contactPerson.trim(),
      email: v.email.trim(),
      phone: v.phone.trim(),
      website: v.website.trim(),
      address: v.address.trim(),
    },
  };
}

// maskOf: the API field paths of what changed; the contact goes as a whole.
export function maskOf(initial: OrganisationValues, v: OrganisationValues): string[] {
  const out = new Set<string>();
  for (const k of Object.keys(paths) as (keyof OrganisationValues)[]) {
    if (initial[k] !== v[k]) out.add(paths[k].startsWith("contact.") ? "contact" : paths[k]);
  }
  return [...out];
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function OrganisationForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  onReload,
  reloading,
}: {
  initial?: Organisation;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: OrganisationValues, mask: string[]) => void;
  onCancel?: () => void;
  onReload?: () => void;
  reloading?: boolean;
}) {
  const { t } = useTranslation(["organisations", "common"]);
  const countries = useCountries();
  const start = useMemo(() => valuesOf(initial), [initial]);
  const form = useForm<OrganisationValues>({
    mode: "controlled",
    initialValues: start,
    validate: {
      displayName: (v) => (v.trim() ? null : t("organisations:validation.required")),
      kind: (v) => (v ? null : t("organisations:validation.required")),
      countryCode: (v) => (v ? null : t("organisations:validation.required")),
      email: (v) => (!v.trim() || emailPattern.test(v.trim()) ? null : t("organisations:validation.email")),
      iatiIdentifier: (v) => (!v.trim() || /^[A-Za-z]{2}(-[A-Za-z0-9_.]+)+$/.test(v.trim()) ? null : t("organisations:validation.iati")),
      website: (v) => (!v.trim() || /^https?:\/\/\S+\.\S+/.test(v.trim()) ? null : t("organisations:validation.website")),
    },
  });

  // After a Reload the record may have changed under the user: fields they
  // did not touch take the new values, what they typed stays.
  useFollowRecord(form, start);

  // The first field in error gets the focus (after a refused submission too).
  const [formRef, focusFirstError] = useErrorFocus();

  // The server's field errors, next to their fields (a missing means of
  // contact, next to the email address).
  useServerFieldErrors(error, "organisation.", placeErrors, (errors) => {
    form.setErrors(errors);
    focusFirstError();
  });

  const kinds = enumOptions(t, "organisationKind", OrganisationKindSchema);
  return (
    <form
      noValidate
      ref={formRef}
      onSubmit={form.onSubmit((values) => onSubmit(values, maskOf(start, values)), focusFirstError)}
      aria-label={submitLabel}
    >
      <Stack gap="md">
        <Fieldset legend={t("organisations:sections.identity")} variant="filled">
          <Stack gap="sm">
            <TextInput
              label={t("organisations:fields.displayName")}
              description={t("organisations:help.displayName")}
              required
              maxLength={200}
              autoComplete="organization"
              {...form.getInputProps("displayName")}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label={t("organisations:fields.shortName")}
                description={t("organisations:help.shortName")}
                maxLength={50}
                {...form.getInputProps("shortName")}
              />
              <Select
                label={t("organisations:fields.kind")}
                description={t("organisations:help.kind")}
                required
                data={kinds}
                allowDeselect={false}
                {...form.getInputProps("kind")}
              />
              <Select
                label={t("organisations:fields.country")}
                description={t("organisations:help.country")}
                required
                searchable
                data={countries.options}
                nothingFoundMessage={t("organisations:filters.noCountry")}
                limit={300}
                {...form.getInputProps("countryCode")}
              />
              <TextInput
                label={t("organisations:fields.iati")}
                description={t("organisations:help.iati")}
                maxLength={100}
                spellCheck={false}
                {...form.getInputProps("iatiIdentifier")}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <Fieldset legend={t("organisations:sections.contact")} variant="filled">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label={t("organisations:fields.contactPerson")} maxLength={200} autoComplete="name" {...form.getInputProps("contactPerson")} />
            <TextInput label={t("organisations:fields.email")} type="email" maxLength={254} autoComplete="email" {...form.getInputProps("email")} />
            <TextInput label={t("organisations:fields.phone")} type="tel" maxLength={50} autoComplete="tel" {...form.getInputProps("phone")} />
            <TextInput
              label={t("organisations:fields.website")}
              type="url"
              placeholder="https://"
              maxLength={500}
              autoComplete="url"
              {...form.getInputProps("website")}
            />
          </SimpleGrid>
          <Textarea
            mt="sm"
            label={t("organisations:fields.address")}
            autosize
            minRows={2}
            maxRows={5}
            maxLength={1000}
            autoComplete="street-address"
            {...form.getInputProps("address")}
          />
        </Fieldset>
        <MutationError
          error={error}
          onReload={onReload}
          reloading={reloading}
          reasonsNs="organisations"
          prefix="organisation."
          placed={[...Object.values(paths), "contact"]}
        />
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
