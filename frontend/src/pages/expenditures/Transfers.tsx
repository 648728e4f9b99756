// /grants/:id/transfers: the bank transfers that funded partners, oldest
// first. Under the "transfer" rate policy a partner's expenditures convert
// at the rate of the latest transfer to them in that currency, so recording
// one shows the rate it makes (received / sent) and how many expenditures
// were converted again.
import { useState } from "react";
import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ExchangeRateService, type Transfer } from "../../gen/pactum/v1/exchange_rate_pb";
import { GrantService, type Grant } from "../../gen/pactum/v1/grant_pb";
import { fieldViolations } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { showToast } from "../../lib/toast";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { DecimalInput } from "../../components/grants/MoneyInput";
import { MutationError } from "../../components/grants/MutationError";
import { minorDigits, useCurrencies } from "../../components/grants/currencies";
import { newRequestId } from "../../components/shared/requestId";
import { Empty, LoadError, PageHeader, Section } from "../../components/shared/ui";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { useOrganisations } from "../../components/projects/lookups";
import { divideDecimals, sumDecimals } from "../../lib/decimal";
import { numeric, srOnly, useGrantParties, useRateFormat, pickerStyles, success } from "../../components/expenditures/shared";
import { PageLoader } from "../../components/PageLoader";
import { DateField } from "../../components/shared/DateField";

export default function Transfers() {
  return (
    <DatesSetup>
      <TransfersPage />
    </DatesSetup>
  );
}

function TransfersPage() {
  const { id } = useParams<{ id: string }>();
  const grantName = `grants/${id}`;
  const { t } = useTranslation(["expenditures", "rates", "common"]);
  const fmt = useFormat();
  const rateFmt = useRateFormat();
  const queryClient = useQueryClient();
  const phone = useMediaQuery("(max-width: 36em)");
  const grantQ = useQuery(GrantService.method.getGrant, { name: grantName });
  const grant = grantQ.data?.grant;
  const list = useQuery(ExchangeRateService.method.listTransfers, { parent: grantName, pageSize: 1000 });
  const transfers = list.data?.transfers ?? [];
  const [adding, setAdding] = useState(false);
  const [reconverted, setReconverted] = useState<number>();
  const [deleting, setDeleting] = useState<Transfer>();
  const del = useMutation(ExchangeRateService.method.deleteTransfer);
  const manage = !!grant?.callerCanManageBudget;

  const done = (count: number, message: string) => {
    setReconverted(count);
    void queryClient.invalidateQueries();
    showToast({ color: "teal", message: `${message} ${t("rates:reconverted", { count, formatted: fmt.number(count) })}` });
  };

  if (grantQ.isLoading) return <PageLoader />;
  const back = { href: `/grants/${id}/expenditures`, label: t("expenditures:title") };
  if (!grant) {
    return (
      <>
        <PageHeader title={t("expenditures:transfers.title")} back={back} />
        <LoadError error={grantQ.error} onRetry={() => void grantQ.refetch()} />
      </>
    );
  }
  const currency = grant.currencyCode;
  const total = sumDecimals(
    transfers.map((x) => x.grantAmount),
    minorDigits(currency),
  );

  return (
    <>
      <PageHeader
        title={t("expenditures:transfers.title")}
        back={back}
        subtitle={`${grant.donorReference} · ${t("expenditures:transfers.intro")}`}
        actions={manage && !adding && <Button onClick={() => setAdding(true)}>{t("expenditures:transfers.add")}</Button>}
      />
      <Stack gap="md">
        {reconverted !== undefined && (
          <Alert {...success} role="status" withCloseButton onClose={() => setReconverted(undefined)} closeButtonLabel={t("common:actions.close")}>
            {t("rates:reconverted", { count: reconverted, formatted: fmt.number(reconverted) })}
          </Alert>
        )}
        {adding && (
          <Section title={t("expenditures:transfers.add")} id="add-transfer">
            <TransferForm
              grant={grant}
              onDone={(count) => {
                setAdding(false);
                done(count, t("expenditures:transfers.saved"));
              }}
              onCancel={() => setAdding(false)}
            />
          </Section>
        )}
        <Section title={t("expenditures:transfers.listTitle")} id="transfers">
          {list.error ? (
            <LoadError error={list.error} onRetry={() => void list.refetch()} />
          ) : list.isLoading ? (
            <Empty>{t("common:loading")}</Empty>
          ) : transfers.length === 0 ? (
            <Empty>{t("expenditures:transfers.none")}</Empty>
          ) : (
            <Table.ScrollContainer minWidth={760} type="native" style={{ position: "relative" }}>
              <Table verticalSpacing="xs" highlightOnHover>
                <Table.Caption style={srOnly}>{t("expenditures:transfers.listTitle")}</Table.Caption>
                <Table.Thead>
                  <Table.Tr style={{ whiteSpace: "nowrap" }}>
                    <Table.Th scope="col">{t("expenditures:transfers.date")}</Table.Th>
                    <Table.Th scope="col">{t("expenditures:transfers.partner")}</Table.Th>
                    <Table.Th scope="col" style={{ textAlign: "right" }}>
                      {t("expenditures:transfers.sent", { currency })}
                    </Table.Th>
                    <Table.Th scope="col" style={{ textAlign: "right" }}>
                      {t("expenditures:transfers.received")}
                    </Table.Th>
                    <Table.Th scope="col" style={{ textAlign: "right" }}>
                      {t("expenditures:transfers.rate")}
                    </Table.Th>
                    <Table.Th scope="col">{t("expenditures:transfers.reference")}</Table.Th>
                    {manage && (
                      <Table.Th scope="col">
                        <span style={srOnly}>{t("expenditures:columns.actions")}</span>
                      </Table.Th>
                    )}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {transfers.map((x) => (
                    <Table.Tr key={x.name}>
                      <Table.Td style={{ whiteSpace: "nowrap" }}>{fmt.date(x.transferDate)}</Table.Td>
                      <Table.Td>
                        <OrganisationName name={x.organisation} short />
                      </Table.Td>
                      <Table.Td style={numeric}>{fmt.money(x.grantAmount, currency)}</Table.Td>
                      <Table.Td style={numeric}>{fmt.money(x.localAmount, x.currencyCode)}</Table.Td>
                      <Table.Td style={numeric}>{rateFmt(x.rate)}</Table.Td>
                      <Table.Td>{x.reference}</Table.Td>
                      {manage && (
                        <Table.Td style={{ textAlign: "right" }}>
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            onClick={() => {
                              del.reset();
                              setDeleting(x);
                            }}
                            aria-label={t("expenditures:transfers.deleteOne", { date: fmt.date(x.transferDate) })}
                          >
                            {t("common:actions.delete")}
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr style={{ borderTop: "2px solid var(--mantine-color-gray-5)" }}>
                    <Table.Th scope="row" colSpan={2}>
                      {t("expenditures:transfers.total")}
                    </Table.Th>
                    <Table.Td style={{ ...numeric, fontWeight: 700 }}>{fmt.money(total, currency)}</Table.Td>
                    <Table.Td colSpan={manage ? 4 : 3} />
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
          )}
        </Section>
      </Stack>

      <Modal
        opened={!!deleting}
        onClose={() => setDeleting(undefined)}
        title={t("expenditures:transfers.deleteTitle")}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{t("expenditures:transfers.deleteBody")}</Text>
          <MutationError error={del.error} reasonsNs="expenditures" />
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
                  { name: deleting.name },
                  {
                    onSuccess: (r) => {
                      setDeleting(undefined);
                      done(r.reconvertedCount, t("expenditures:transfers.deleted"));
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

interface TransferValues {
  organisation: string;
  transferDate: string | null;
  grantAmount: string;
  currencyCode: string;
  localAmount: string;
  reference: string;
}

const transferPaths: Record<keyof TransferValues, string> = {
  organisation: "organisation",
  transferDate: "transfer_date",
  grantAmount: "grant_amount",
  currencyCode: "currency_code",
  localAmount: "local_amount",
  reference: "reference",
};

function TransferForm({ grant, onDone, onCancel }: { grant: Grant; onDone: (reconverted: number) => void; onCancel: () => void }) {
  const { t } = useTranslation(["expenditures", "rates", "common"]);
  const rateFmt = useRateFormat();
  const currencies = useCurrencies();
  const parties = useGrantParties(grant.name);
  const organisations = useOrganisations();
  const [requestId] = useState(newRequestId);
  const create = useMutation(ExchangeRateService.method.createTransfer);
  const required = (v: unknown) => (v === null || v === undefined || String(v).trim() === "" ? t("expenditures:validation.required") : null);
  const form = useForm<TransferValues>({
    mode: "controlled",
    initialValues: { organisation: "", transferDate: null, grantAmount: "", currencyCode: "", localAmount: "", reference: "" },
    validate: { organisation: required, transferDate: required, grantAmount: required, currencyCode: required, localAmount: required },
  });
  const v = form.values;
  const preview = v.grantAmount && v.localAmount ? divideDecimals(v.localAmount, v.grantAmount, 6) : undefined;
  const orgOptions = parties.organisations
    .map((n) => {
      const o = organisations.get(n);
      return { value: n, label: o ? (o.shortName ? `${o.displayName} (${o.shortName})` : o.displayName) : n };
    })
    .sort((a, b) => a.label.localeCompare(b.label));

  const submit = (x: TransferValues) =>
    create.mutate(
      {
        parent: grant.name,
        requestId,
        transfer: {
          organisation: x.organisation,
          transferDate: x.transferDate ?? "",
          grantAmount: x.grantAmount,
          currencyCode: x.currencyCode,
          localAmount: x.localAmount,
          reference: x.reference.trim(),
        },
      },
      {
        onSuccess: (r) => onDone(r.reconvertedCount),
        onError: (err) => {
          const fv = fieldViolations(err, "transfer.");
          const errors: Record<string, string> = {};
          for (const [k, p] of Object.entries(transferPaths)) if (fv[p]) errors[k] = `${t("common:errors.field")}: ${fv[p]}`;
          form.setErrors(errors);
        },
      },
    );

  return (
    <form noValidate onSubmit={form.onSubmit(submit)} aria-label={t("expenditures:transfers.add")}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t("expenditures:transfers.partner")}
            required
            searchable
            data={orgOptions}
            nothingFoundMessage={t("common:empty")}
            {...form.getInputProps("organisation")}
          />
          <DateField
            styles={pickerStyles}
            label={t("expenditures:transfers.date")}
            required
            valueFormat="D MMM YYYY"
            placeholder={t("expenditures:form.pickDate")}
            minDate={grant.startDate || undefined}
            maxDate={grant.endDate || undefined}
            {...form.getInputProps("transferDate")}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <DecimalInput
            label={t("expenditures:transfers.sent", { currency: grant.currencyCode })}
            required
            {...form.getInputProps("grantAmount")}
            value={v.grantAmount}
            onChange={(x) => form.setFieldValue("grantAmount", x)}
            decimals={minorDigits(grant.currencyCode)}
            rightSection={
              <Text size="xs" c="dimmed">
                {grant.currencyCode}
              </Text>
            }
            rightSectionWidth={48}
          />
          <Select
            label={t("expenditures:transfers.currency")}
            required
            searchable
            allowDeselect={false}
            data={currencies}
            limit={400}
            nothingFoundMessage={t("common:empty")}
            {...form.getInputProps("currencyCode")}
          />
          <DecimalInput
            label={t("expenditures:transfers.localAmount")}
            required
            {...form.getInputProps("localAmount")}
            value={v.localAmount}
            onChange={(x) => form.setFieldValue("localAmount", x)}
            decimals={minorDigits(v.currencyCode)}
            rightSection={
              <Text size="xs" c="dimmed">
                {v.currencyCode}
              </Text>
            }
            rightSectionWidth={48}
          />
        </SimpleGrid>
        <TextInput label={t("expenditures:transfers.reference")} maxLength={200} {...form.getInputProps("reference")} />
        <Text size="sm" fw={600} aria-live="polite" style={{ fontVariantNumeric: "tabular-nums" }}>
          {preview && v.currencyCode
            ? t("expenditures:transfers.preview", { grantCurrency: grant.currencyCode, rate: rateFmt(preview), currency: v.currencyCode })
            : t("expenditures:transfers.previewEmpty")}
        </Text>
        <MutationError error={create.error} reasonsNs="expenditures" prefix="transfer." placed={Object.values(transferPaths)} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={create.isPending}>
            {t("common:actions.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t("expenditures:transfers.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
