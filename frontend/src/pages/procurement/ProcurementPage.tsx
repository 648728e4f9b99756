// /grants/:id/procurement: the procurement contracts awarded under a grant by
// its coordinator or a beneficiary (goods, works, services bought under the
// contract's procurement rules). The final narrative report lists those
// above EUR 60,000: they are marked here. The grant's coordinators record
// and change them; its finance staff and auditors read them.
import { useState } from "react";
import { Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { useForm } from "@mantine/form";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantService, type Grant } from "../../gen/pactum/v1/grant_pb";
import { ProcurementContractService, ProcurementProcedure, type ProcurementContract } from "../../gen/pactum/v1/procurement_pb";
import { fieldViolations } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { showToast } from "../../lib/toast";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { DecimalInput } from "../../components/grants/MoneyInput";
import { MutationError } from "../../components/grants/MutationError";
import { minorDigits } from "../../components/grants/currencies";
import { newRequestId } from "../../components/shared/requestId";
import { Empty, LoadError, PageHeader, Section } from "../../components/shared/ui";
import { useOrganisations } from "../../components/projects/lookups";
import { pickerStyles, useGrantParties } from "../../components/expenditures/shared";
import { PageLoader } from "../../components/PageLoader";

export default function Procurement() {
  return (
    <DatesSetup>
      <ProcurementPage />
    </DatesSetup>
  );
}

// The words of each procedure (keys of procurement:procedures).
export const procedureKey: Record<ProcurementProcedure, string> = {
  [ProcurementProcedure.UNSPECIFIED]: "unspecified",
  [ProcurementProcedure.INTERNATIONAL_OPEN_TENDER]: "internationalOpenTender",
  [ProcurementProcedure.INTERNATIONAL_RESTRICTED_TENDER]: "internationalRestrictedTender",
  [ProcurementProcedure.LOCAL_OPEN_TENDER]: "localOpenTender",
  [ProcurementProcedure.COMPETITIVE_NEGOTIATED]: "competitiveNegotiated",
  [ProcurementProcedure.NEGOTIATED_SINGLE_TENDER]: "negotiatedSingleTender",
  [ProcurementProcedure.FRAMEWORK_CONTRACT]: "frameworkContract",
  [ProcurementProcedure.OTHER]: "other",
};

// A badge whose words wrap on a narrow screen rather than being cut.
const wrapping = {
  root: { textTransform: "none", height: "auto", maxWidth: "100%", paddingBlock: 2 },
  label: { whiteSpace: "normal", overflow: "visible", textOverflow: "clip" },
} as const;

const procedures = [
  ProcurementProcedure.INTERNATIONAL_OPEN_TENDER,
  ProcurementProcedure.INTERNATIONAL_RESTRICTED_TENDER,
  ProcurementProcedure.LOCAL_OPEN_TENDER,
  ProcurementProcedure.COMPETITIVE_NEGOTIATED,
  ProcurementProcedure.NEGOTIATED_SINGLE_TENDER,
  ProcurementProcedure.FRAMEWORK_CONTRACT,
  ProcurementProcedure.OTHER,
];

function ProcurementPage() {
  const { id } = useParams<{ id: string }>();
  const grantName = `grants/${id}`;
  const { t } = useTranslation(["procurement", "common"]);
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const phone = useMediaQuery("(max-width: 36em)");
  const grantQ = useQuery(GrantService.method.getGrant, { name: grantName });
  const grant = grantQ.data?.grant;
  const list = useQuery(ProcurementContractService.method.listProcurementContracts, { parent: grantName, pageSize: 1000 });
  const contracts = list.data?.procurementContracts ?? [];
  const canCreate = !!list.data?.callerCanCreate;
  const [editing, setEditing] = useState<ProcurementContract | "new">();
  const [deleting, setDeleting] = useState<ProcurementContract>();
  const del = useMutation(ProcurementContractService.method.deleteProcurementContract);

  const changed = (message: string) => {
    void queryClient.invalidateQueries();
    showToast({ color: "teal", message });
  };

  if (grantQ.isLoading) return <PageLoader />;
  const back = { href: `/grants/${id}`, label: grant?.title ?? t("common:nav.grants") };
  if (!grant) {
    return (
      <>
        <PageHeader title={t("procurement:title")} back={back} />
        <LoadError error={grantQ.error} onRetry={() => void grantQ.refetch()} />
      </>
    );
  }
  const money = (v: string) => fmt.money(v, grant.currencyCode);
  const reported = contracts.filter((c) => c.inFinalReport).length;

  return (
    <>
      <PageHeader
        title={t("procurement:title")}
        back={back}
        subtitle={`${grant.donorReference} · ${t("procurement:intro")}`}
        actions={canCreate && <Button onClick={() => setEditing("new")}>{t("procurement:add")}</Button>}
      />
      <Section title={t("procurement:listTitle")} id="procurement-contracts">
        {list.error ? (
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        ) : list.isLoading ? (
          <Empty>{t("common:loading")}</Empty>
        ) : contracts.length === 0 ? (
          <Empty>{t("procurement:none")}</Empty>
        ) : (
          <Stack gap="sm">
            <Text size="sm" c="dimmed" data-testid="procurement-summary">
              {grant.currencyCode === "EUR"
                ? t("procurement:summary", { count: contracts.length, reported })
                : t("procurement:summaryOtherCurrency", { count: contracts.length, currency: grant.currencyCode })}
            </Text>
            {contracts.map((c) => (
              <Paper key={c.name} withBorder radius="sm" p="sm" component="article" aria-label={c.title}>
                <Group justify="space-between" align="flex-start" gap="xs">
                  <Stack gap={2} style={{ flex: "1 1 16rem", minWidth: 0 }}>
                    <Group gap="xs" wrap="wrap">
                      <Text fw={600} style={{ overflowWrap: "anywhere" }}>
                        {c.title}
                      </Text>
                      {c.inFinalReport && (
                        <Badge color="teal" variant="light" styles={wrapping}>
                          {t("procurement:inFinalReport")}
                        </Badge>
                      )}
                    </Group>
                    <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                      {[c.contractor, t(`procurement:procedures.${procedureKey[c.procedure]}`)].join(" · ")}
                    </Text>
                    <Text size="sm">
                      <Text span fw={600} style={{ fontVariantNumeric: "tabular-nums" }}>
                        {money(c.amount)}
                      </Text>
                      {" · "}
                      {t("procurement:awardedOn", { date: fmt.date(c.awardDate) })}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
                      {[c.reference && t("procurement:referenceShown", { reference: c.reference }), t("procurement:awardedBy", { organisation: c.organisationDisplayName })]
                        .filter(Boolean)
                        .join(" · ")}
                    </Text>
                  </Stack>
                  {(c.callerCanUpdate || c.callerCanDelete) && (
                    <Group gap={4}>
                      {c.callerCanUpdate && (
                        <Button size="compact-sm" variant="subtle" onClick={() => setEditing(c)} aria-label={t("procurement:editOne", { title: c.title })}>
                          {t("common:actions.edit")}
                        </Button>
                      )}
                      {c.callerCanDelete && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          onClick={() => {
                            del.reset();
                            setDeleting(c);
                          }}
                          aria-label={t("procurement:deleteOne", { title: c.title })}
                        >
                          {t("common:actions.delete")}
                        </Button>
                      )}
                    </Group>
                  )}
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
      </Section>

      <Modal
        opened={!!editing}
        onClose={() => setEditing(undefined)}
        title={editing === "new" ? t("procurement:add") : t("procurement:edit")}
        fullScreen={phone}
        size="lg"
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        {editing && (
          <ContractForm
            grant={grant}
            contract={editing === "new" ? undefined : editing}
            onDone={() => {
              setEditing(undefined);
              changed(t("procurement:saved"));
            }}
            onCancel={() => setEditing(undefined)}
          />
        )}
      </Modal>

      <Modal
        opened={!!deleting}
        onClose={() => setDeleting(undefined)}
        title={t("procurement:deleteTitle")}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{t("procurement:deleteBody", { title: deleting?.title ?? "" })}</Text>
          <MutationError error={del.error} reasonsNs="procurement" />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setDeleting(undefined)} disabled={del.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button
              color="red"
              loading={del.isPending}
              onClick={() =>
                deleting &&
                del.mutate(
                  { name: deleting.name, etag: deleting.etag },
                  {
                    onSuccess: () => {
                      setDeleting(undefined);
                      changed(t("procurement:deleted"));
                    },
                  },
                )
              }
            >
              {t("common:actions.delete")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

interface ContractValues {
  reference: string;
  title: string;
  contractor: string;
  procedure: string;
  awardDate: string | null;
  amount: string;
  organisation: string;
}

const contractPaths: Record<keyof ContractValues, string> = {
  reference: "reference",
  title: "title",
  contractor: "contractor",
  procedure: "procedure",
  awardDate: "award_date",
  amount: "amount",
  organisation: "organisation",
};

function ContractForm({ grant, contract, onDone, onCancel }: { grant: Grant; contract?: ProcurementContract; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation(["procurement", "common"]);
  const parties = useGrantParties(grant.name);
  const organisations = useOrganisations();
  const [requestId] = useState(newRequestId);
  const create = useMutation(ProcurementContractService.method.createProcurementContract);
  const update = useMutation(ProcurementContractService.method.updateProcurementContract);
  const m = contract ? update : create;
  const required = (v: unknown) => (v === null || v === undefined || String(v).trim() === "" ? t("procurement:validation.required") : null);
  const form = useForm<ContractValues>({
    mode: "controlled",
    initialValues: {
      reference: contract?.reference ?? "",
      title: contract?.title ?? "",
      contractor: contract?.contractor ?? "",
      procedure: contract ? String(contract.procedure) : "",
      awardDate: contract?.awardDate || null,
      amount: contract?.amount ?? "",
      organisation: contract?.organisation || grant.leadOrganisation,
    },
    validate: { title: required, contractor: required, procedure: required, awardDate: required, amount: required },
  });
  // Who may have awarded it: the lead and every organisation taking part in
  // one of the grant's projects.
  const names = new Set<string>([grant.leadOrganisation, ...parties.organisations]);
  if (contract?.organisation) names.add(contract.organisation);
  const orgOptions = [...names]
    .map((n) => ({ value: n, label: organisations.get(n)?.displayName ?? (n === contract?.organisation ? contract.organisationDisplayName : n) }))
    .sort((a, b) => a.label.localeCompare(b.label));

  const submit = (x: ContractValues) => {
    const body = {
      reference: x.reference.trim(),
      title: x.title.trim(),
      contractor: x.contractor.trim(),
      procedure: Number(x.procedure) as ProcurementProcedure,
      awardDate: x.awardDate ?? "",
      amount: x.amount,
      organisation: x.organisation,
    };
    const onError = (err: unknown) => {
      const fv = fieldViolations(err, "procurement_contract.");
      const errors: Record<string, string> = {};
      for (const [k, p] of Object.entries(contractPaths)) if (fv[p]) errors[k] = `${t("common:errors.field")}: ${fv[p]}`;
      form.setErrors(errors);
    };
    if (contract) {
      update.mutate(
        { procurementContract: { ...body, name: contract.name, etag: contract.etag }, updateMask: { paths: Object.values(contractPaths) } },
        { onSuccess: onDone, onError },
      );
    } else {
      create.mutate({ parent: grant.name, requestId, procurementContract: body }, { onSuccess: onDone, onError });
    }
  };

  return (
    <form noValidate onSubmit={form.onSubmit(submit)} aria-label={contract ? t("procurement:edit") : t("procurement:add")}>
      <Stack gap="sm">
        <TextInput label={t("procurement:form.title")} description={t("procurement:form.titleHelp")} required maxLength={300} {...form.getInputProps("title")} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label={t("procurement:form.contractor")} required maxLength={200} {...form.getInputProps("contractor")} />
          <TextInput label={t("procurement:form.reference")} maxLength={100} spellCheck={false} {...form.getInputProps("reference")} />
        </SimpleGrid>
        <Select
          label={t("procurement:form.procedure")}
          required
          allowDeselect={false}
          placeholder={t("procurement:form.chooseProcedure")}
          data={procedures.map((p) => ({ value: String(p), label: t(`procurement:procedures.${procedureKey[p]}`) }))}
          {...form.getInputProps("procedure")}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <DatePickerInput
            styles={pickerStyles}
            label={t("procurement:form.awardDate")}
            required
            valueFormat="D MMM YYYY"
            placeholder={t("procurement:form.pickDate")}
            minDate={grant.startDate || undefined}
            maxDate={grant.endDate || undefined}
            {...form.getInputProps("awardDate")}
          />
          <DecimalInput
            label={t("procurement:form.amount", { currency: grant.currencyCode })}
            required
            {...form.getInputProps("amount")}
            value={form.values.amount}
            onChange={(x) => form.setFieldValue("amount", x)}
            decimals={minorDigits(grant.currencyCode)}
            rightSection={
              <Text size="xs" c="dimmed">
                {grant.currencyCode}
              </Text>
            }
            rightSectionWidth={48}
          />
        </SimpleGrid>
        <Select
          label={t("procurement:form.organisation")}
          description={t("procurement:form.organisationHelp")}
          required
          searchable
          allowDeselect={false}
          data={orgOptions}
          nothingFoundMessage={t("common:empty")}
          {...form.getInputProps("organisation")}
        />
        <MutationError error={m.error} reasonsNs="procurement" prefix="procurement_contract." placed={Object.values(contractPaths)} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={m.isPending}>
            {t("common:actions.cancel")}
          </Button>
          <Button type="submit" loading={m.isPending}>
            {t("procurement:form.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
