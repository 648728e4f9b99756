// /rates: the exchange-rate table (units of a currency per 1 unit of the
// base currency, InforEuro: per 1 EUR), newest month first, filtered by
// currency and months. Finance staff enter a month's rate by hand or import
// InforEuro's monthly file (CSV or XLSX; all rows or none, with the
// problems by row and column). Each write says how many expenditures were
// converted again with the new rates.
import { useState } from "react";
import { Alert, Anchor, Button, FileInput, Group, Modal, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { MonthPickerInput } from "@mantine/dates";
import { useForm } from "@mantine/form";
import { useMediaQuery } from "@mantine/hooks";
import { useInfiniteQuery, useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useSearchParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ExchangeRateService, type ExchangeRate, type ImportExchangeRatesResponse } from "../../gen/pactum/v1/exchange_rate_pb";
import { fieldViolations } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { useSession } from "../../lib/session";
import { showToast } from "../../lib/toast";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { DecimalInput } from "../../components/grants/MoneyInput";
import { MutationError } from "../../components/grants/MutationError";
import { useCurrencies } from "../../components/grants/currencies";
import { Empty, LoadError, LoadMore, PageHeader, Section } from "../../components/shared/ui";
import { ProblemsTable } from "../../components/expenditures/ProblemsTable";
import { fileBytes } from "../../components/expenditures/files";
import { numeric, srOnly, useRateFormat, pickerStyles, success } from "../../components/expenditures/shared";

type Panel = "manual" | "import" | undefined;

// month: "YYYY-MM" from a picker's "YYYY-MM-DD".
const month = (v: string | null | undefined) => (v ? String(v).slice(0, 7) : "");
const monthValue = (m: string) => (m ? `${m}-01` : null);

export default function Rates() {
  return (
    <DatesSetup>
      <RatesPage />
    </DatesSetup>
  );
}

function RatesPage() {
  const { t } = useTranslation(["rates", "expenditures", "common"]);
  const fmt = useFormat();
  const { permissions } = useSession();
  const currencies = useCurrencies();
  const rateFmt = useRateFormat();
  const queryClient = useQueryClient();
  const phone = useMediaQuery("(max-width: 48em)", window.matchMedia("(max-width: 48em)").matches, { getInitialValueInEffect: false });
  const [params, setParams] = useSearchParams();
  const currency = params.get("currency") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const [panel, setPanel] = useState<Panel>();
  const [reconverted, setReconverted] = useState<number>();
  const manage = !!permissions?.manageExchangeRates;

  const list = useInfiniteQuery(
    ExchangeRateService.method.listExchangeRates,
    { pageSize: 100, pageToken: "", currencyCode: currency, fromMonth: from, toMonth: to },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const rows = list.data?.pages.flatMap((p) => p.exchangeRates) ?? [];
  const filtered = !!(currency || from || to);

  const written = (count: number, message: string, banner = true) => {
    if (banner) setReconverted(count);
    void queryClient.invalidateQueries();
    showToast({ color: "teal", message: `${message} ${t("rates:reconverted", { count, formatted: fmt.number(count) })}` });
  };

  // Delete a rate: confirmed.
  const [deleting, setDeleting] = useState<ExchangeRate>();
  const del = useMutation(ExchangeRateService.method.deleteExchangeRate);
  const confirmDelete = () =>
    deleting &&
    del.mutate(
      { name: deleting.name },
      {
        onSuccess: (r) => {
          setDeleting(undefined);
          written(r.reconvertedCount, t("rates:deleted"));
        },
      },
    );

  const monthLabel = (m: string) => {
    const [y, mo] = m.split("-").map(Number);
    if (!y || !mo) return m;
    return new Intl.DateTimeFormat(fmt.locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, mo - 1, 1)));
  };
  const currencyName = (c: string) => currencies.find((x) => x.value === c)?.label ?? c;

  return (
    <>
      <PageHeader
        title={t("rates:title")}
        subtitle={t("rates:intro")}
        actions={
          manage && (
            <>
              <Button variant={panel === "import" ? "filled" : "default"} onClick={() => setPanel(panel === "import" ? undefined : "import")} aria-expanded={panel === "import"}>
                {t("rates:import.open")}
              </Button>
              <Button variant={panel === "manual" ? "filled" : "default"} onClick={() => setPanel(panel === "manual" ? undefined : "manual")} aria-expanded={panel === "manual"}>
                {t("rates:manual.open")}
              </Button>
            </>
          )
        }
      />

      <Stack gap="md">
        {reconverted !== undefined && (
          <Alert {...success} role="status" withCloseButton onClose={() => setReconverted(undefined)} closeButtonLabel={t("common:actions.close")}>
            {t("rates:reconverted", { count: reconverted, formatted: fmt.number(reconverted) })}
          </Alert>
        )}

        {panel === "manual" && (
          <Section title={t("rates:manual.title")} id="manual">
            <ManualRate
              onDone={(r, count) => {
                setPanel(undefined);
                written(count, t("rates:manual.saved", { currency: r?.currencyCode ?? "", month: monthLabel(r?.month ?? "") }));
              }}
              onCancel={() => setPanel(undefined)}
            />
          </Section>
        )}
        {panel === "import" && (
          <Section title={t("rates:import.title")} id="import">
            <ImportRates
              onDone={(r) => written(r.reconvertedCount, t("rates:import.done", { count: r.importedCount, imported: fmt.number(r.importedCount) }), false)}
              onCancel={() => setPanel(undefined)}
            />
          </Section>
        )}

        <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }}>
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" role="search" aria-label={t("rates:filters.label")}>
            <Select
              label={t("rates:filters.currency")}
              placeholder={t("expenditures:filters.any")}
              clearable
              searchable
              data={currencies}
              limit={400}
              value={currency || null}
              onChange={(v) => setParam("currency", v)}
              nothingFoundMessage={t("common:empty")}
              clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
            />
            <MonthPickerInput
              styles={pickerStyles}
              label={t("rates:filters.from")}
              placeholder={t("rates:filters.anyMonth")}
              clearable
              value={monthValue(from)}
              onChange={(v) => setParam("from", month(v))}
              maxDate={monthValue(to) ?? undefined}
              clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
            />
            <MonthPickerInput
              styles={pickerStyles}
              label={t("rates:filters.to")}
              placeholder={t("rates:filters.anyMonth")}
              clearable
              value={monthValue(to)}
              onChange={(v) => setParam("to", month(v))}
              minDate={monthValue(from) ?? undefined}
              clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
            />
          </SimpleGrid>
          {filtered && (
            <Button size="compact-sm" variant="subtle" mt="sm" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
              {t("common:actions.clear")}
            </Button>
          )}
        </Paper>

        <Section title={t("rates:listTitle")} id="rates-list">
          {list.error ? (
            <LoadError error={list.error} onRetry={() => void list.refetch()} />
          ) : list.isLoading ? (
            <Empty>{t("common:loading")}</Empty>
          ) : rows.length === 0 ? (
            <Empty>{filtered ? t("rates:noneMatch") : t("rates:none")}</Empty>
          ) : (
            <Table.ScrollContainer minWidth={phone ? 340 : 760} type="native" style={{ position: "relative" }}>
              <Table verticalSpacing="xs" highlightOnHover striped>
                <Table.Caption style={srOnly}>{t("rates:listTitle")}</Table.Caption>
                <Table.Thead>
                  <Table.Tr style={{ whiteSpace: "nowrap" }}>
                    <Table.Th scope="col">{t("rates:columns.month")}</Table.Th>
                    <Table.Th scope="col">{t("rates:columns.currency")}</Table.Th>
                    <Table.Th scope="col" style={{ textAlign: "right" }}>
                      {t("rates:columns.rate")}
                    </Table.Th>
                    {!phone && <Table.Th scope="col">{t("rates:columns.source")}</Table.Th>}
                    {!phone && <Table.Th scope="col">{t("rates:columns.updated")}</Table.Th>}
                    {manage && (
                      <Table.Th scope="col">
                        <span style={srOnly}>{t("expenditures:columns.actions")}</span>
                      </Table.Th>
                    )}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.name}>
                      <Table.Td style={{ whiteSpace: "nowrap" }}>{monthLabel(r.month)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600} span>
                          {r.currencyCode}
                        </Text>
                        {!phone && (
                          <Text size="xs" c="dimmed" span ml={6}>
                            {currencyName(r.currencyCode).replace(`${r.currencyCode} – `, "")}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td style={numeric}>
                        {rateFmt(r.rate)}
                        <Text span size="xs" c="dimmed" ml={4}>
                          {t("rates:perBase", { base: r.baseCurrency })}
                        </Text>
                      </Table.Td>
                      {!phone && <Table.Td>{r.source}</Table.Td>}
                      {!phone && <Table.Td style={{ whiteSpace: "nowrap" }}>{r.updateTime ? fmt.dateTime(timestampDate(r.updateTime)) : ""}</Table.Td>}
                      {manage && (
                        <Table.Td style={{ textAlign: "right" }}>
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            onClick={() => {
                              del.reset();
                              setDeleting(r);
                            }}
                            aria-label={t("rates:deleteOne", { currency: r.currencyCode, month: monthLabel(r.month) })}
                          >
                            {t("common:actions.delete")}
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
        </Section>
      </Stack>

      <Modal
        opened={!!deleting}
        onClose={() => setDeleting(undefined)}
        title={t("rates:deleteTitle")}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">
            {deleting && t("rates:deleteBody", { currency: deleting.currencyCode, month: monthLabel(deleting.month), rate: rateFmt(deleting.rate), base: deleting.baseCurrency })}
          </Text>
          <MutationError error={del.error} reasonsNs="rates" />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setDeleting(undefined)} disabled={del.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button color="red" onClick={confirmDelete} loading={del.isPending}>
              {t("common:actions.delete")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

interface ManualValues {
  baseCurrency: string;
  currencyCode: string;
  month: string | null;
  rate: string;
  source: string;
}

const manualPaths: Record<keyof ManualValues, string> = {
  baseCurrency: "base_currency",
  currencyCode: "currency_code",
  month: "month",
  rate: "rate",
  source: "source",
};

function ManualRate({ onDone, onCancel }: { onDone: (r: ExchangeRate | undefined, reconverted: number) => void; onCancel: () => void }) {
  const { t } = useTranslation(["rates", "expenditures", "common"]);
  const currencies = useCurrencies();
  const set = useMutation(ExchangeRateService.method.setExchangeRate);
  const required = (v: unknown) => (v === null || v === undefined || String(v).trim() === "" ? t("expenditures:validation.required") : null);
  const form = useForm<ManualValues>({
    mode: "controlled",
    initialValues: { baseCurrency: "EUR", currencyCode: "", month: null, rate: "", source: "" },
    validate: {
      baseCurrency: required,
      currencyCode: (v, all) => required(v) ?? (v === all.baseCurrency ? t("rates:validation.sameCurrency") : null),
      month: required,
      rate: (v) => required(v) ?? (/^0*(\.0*)?$/.test(v) ? t("rates:validation.positive") : null),
    },
  });
  const submit = (v: ManualValues) =>
    set.mutate(
      { exchangeRate: { baseCurrency: v.baseCurrency, currencyCode: v.currencyCode, month: month(v.month), rate: v.rate, source: v.source.trim() } },
      {
        onSuccess: (r) => onDone(r.exchangeRate, r.reconvertedCount),
        onError: (err) => {
          const fv = fieldViolations(err, "exchange_rate.");
          const errors: Record<string, string> = {};
          for (const [k, p] of Object.entries(manualPaths)) if (fv[p]) errors[k] = `${t("common:errors.field")}: ${fv[p]}`;
          form.setErrors(errors);
        },
      },
    );
  return (
    <form noValidate onSubmit={form.onSubmit(submit)} aria-label={t("rates:manual.title")}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
          <Select
            label={t("rates:fields.currency")}
            required
            searchable
            allowDeselect={false}
            data={currencies}
            limit={400}
            nothingFoundMessage={t("common:empty")}
            {...form.getInputProps("currencyCode")}
          />
          <MonthPickerInput styles={pickerStyles} label={t("rates:fields.month")} required placeholder={t("rates:fields.pickMonth")} {...form.getInputProps("month")} />
          <DecimalInput
            label={t("rates:fields.rate", { base: form.values.baseCurrency || "EUR" })}
            description={form.values.currencyCode ? t("rates:fields.rateHelp", { base: form.values.baseCurrency || "EUR", currency: form.values.currencyCode }) : undefined}
            required
            {...form.getInputProps("rate")}
            value={form.values.rate}
            onChange={(v) => form.setFieldValue("rate", v)}
            decimals={10}
            styles={{ input: { textAlign: "right", fontVariantNumeric: "tabular-nums" } }}
          />
          <Select
            label={t("rates:fields.base")}
            description={t("rates:fields.baseHelp")}
            required
            searchable
            allowDeselect={false}
            data={currencies}
            limit={400}
            nothingFoundMessage={t("common:empty")}
            {...form.getInputProps("baseCurrency")}
          />
        </SimpleGrid>
        <TextInput label={t("rates:fields.source")} description={t("rates:fields.sourceHelp")} maxLength={200} {...form.getInputProps("source")} />
        <MutationError error={set.error} reasonsNs="rates" prefix="exchange_rate." placed={Object.values(manualPaths)} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={set.isPending}>
            {t("common:actions.cancel")}
          </Button>
          <Button type="submit" loading={set.isPending}>
            {t("rates:manual.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ImportRates({ onDone, onCancel }: { onDone: (r: ImportExchangeRatesResponse) => void; onCancel: () => void }) {
  const { t } = useTranslation(["rates", "expenditures", "common"]);
  const fmt = useFormat();
  const currencies = useCurrencies();
  const importer = useMutation(ExchangeRateService.method.importExchangeRates);
  const [monthValue_, setMonth] = useState<string | null>(null);
  const [base, setBase] = useState("EUR");
  const [source, setSource] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<{ month?: string; file?: string }>({});
  const [result, setResult] = useState<ImportExchangeRatesResponse>();

  const run = async () => {
    setResult(undefined);
    importer.reset();
    const e = {
      month: monthValue_ ? undefined : t("expenditures:validation.required"),
      file: !file ? t("expenditures:validation.required") : file.size > 5 * 1024 * 1024 ? t("rates:import.tooLarge") : undefined,
    };
    setErrors(e);
    if (e.month || e.file || !file) return;
    const content = await fileBytes(file);
    importer.mutate(
      { fileName: file.name, content, month: month(monthValue_), baseCurrency: base, source: source.trim() },
      {
        onSuccess: (r) => {
          setResult(r);
          if (r.problems.length === 0) onDone(r);
        },
        onError: (err) => {
          const fv = fieldViolations(err);
          setErrors({ month: fv.month && `${t("common:errors.field")}: ${fv.month}`, file: (fv.content || fv.file_name) && `${t("common:errors.field")}: ${fv.content || fv.file_name}` });
        },
      },
    );
  };

  return (
    <Stack gap="sm">
      <Text size="sm">
        {t("rates:import.intro")}{" "}
        <Anchor href="https://commission.europa.eu/funding-tenders/procedures-guidelines-tenders/information-contractors-and-beneficiaries/exchange-rate-inforeuro_en" target="_blank" rel="noopener noreferrer" fz="sm">
          {t("rates:import.inforeuro")}
        </Anchor>
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
        <MonthPickerInput
          styles={pickerStyles}
          label={t("rates:fields.month")}
          description={t("rates:import.monthHelp")}
          required
          placeholder={t("rates:fields.pickMonth")}
          value={monthValue_}
          onChange={(v) => {
            setMonth(v ? String(v) : null);
            setErrors((x) => ({ ...x, month: undefined }));
          }}
          error={errors.month}
        />
        <Select
          label={t("rates:fields.base")}
          description={t("rates:fields.baseHelp")}
          required
          searchable
          allowDeselect={false}
          data={currencies}
          limit={400}
          value={base}
          onChange={(v) => setBase(v ?? "EUR")}
          nothingFoundMessage={t("common:empty")}
        />
        <TextInput
          label={t("rates:fields.source")}
          description={t("rates:import.sourceHelp")}
          placeholder={monthValue_ ? `InforEuro ${month(monthValue_)}` : "InforEuro"}
          maxLength={200}
          value={source}
          onChange={(e) => setSource(e.currentTarget.value)}
        />
        <FileInput
          label={t("rates:import.file")}
          description={t("rates:import.fileHelp")}
          placeholder={t("expenditures:receipts.choose")}
          required
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          value={file}
          onChange={(f) => {
            setFile(f);
            setResult(undefined);
            setErrors((x) => ({ ...x, file: undefined }));
          }}
          error={errors.file}
          clearable
          clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
        />
      </SimpleGrid>
      <MutationError error={importer.error} reasonsNs="rates" placed={["month", "content", "file_name"]} />
      {result && result.problems.length > 0 && (
        <>
          <Alert color="red" variant="light" role="alert" title={t("rates:import.refusedTitle", { file: file?.name ?? "" })}>
            {t("rates:import.refusedBody")}
          </Alert>
          <ProblemsTable problems={result.problems} caption={t("expenditures:problems.title")} />
        </>
      )}
      {result && result.problems.length === 0 && (
        <Alert {...success} role="status" title={t("rates:import.done", { count: result.importedCount, imported: fmt.number(result.importedCount) })}>
          {t("rates:reconverted", { count: result.reconvertedCount, formatted: fmt.number(result.reconvertedCount) })}
          {result.replacedCount > 0 && ` ${t("rates:import.replaced", { count: result.replacedCount, replaced: fmt.number(result.replacedCount) })}`}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onCancel} disabled={importer.isPending}>
          {t("common:actions.close")}
        </Button>
        <Button onClick={() => void run()} loading={importer.isPending}>
          {t("rates:import.submit")}
        </Button>
      </Group>
    </Stack>
  );
}
