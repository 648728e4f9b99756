// /grants/:id/report: the donor financial report (EU Annex VI style) of a
// grant, for its coordinators, finance staff and auditors. They pick a
// reporting period (numbered from the grant's start, as the server counts
// them) or dates of their choice, Excel or PDF, and the report's language
// (the screen's by default), then download it: the server streams its
// progress while it makes the report, then the file, which the browser
// saves under the report's own name. Partners are refused by the server and
// get no link here.
import { useMemo, useRef, useState } from "react";
import { Alert, Anchor, Button, Checkbox, Group, Paper, Progress, Radio, Select, SimpleGrid, Stack, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "wouter";
import { GrantService, type Grant } from "../../gen/pactum/v1/grant_pb";
import { ReportFormat } from "../../gen/pactum/v1/report_pb";
import { useFormat } from "../../lib/format";
import { errorMessage, fieldViolations } from "../../lib/errors";
import { languages } from "../../lib/i18n";
import { isPartner, useSession } from "../../lib/session";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { todayISO } from "../../components/grants/period";
import { LoadError, PageHeader, Section } from "../../components/shared/ui";
import { PageLoader } from "../../components/PageLoader";
import { periodOn, reportingPeriods } from "../../components/report/periods";
import { fetchReport, reportClient, saveReport, type Progress as ReportProgress, type Report } from "../../components/report/download";
import { DateField } from "../../components/shared/DateField";

export default function ReportPage() {
  return (
    <DatesSetup>
      <ReportScreen />
    </DatesSetup>
  );
}

function ReportScreen() {
  const { id } = useParams<{ id: string }>();
  const name = `grants/${id}`;
  const { t } = useTranslation(["report", "common"]);
  const { user } = useSession();
  const partner = isPartner(user);
  const q = useQuery(GrantService.method.getGrant, { name }, { enabled: !partner });
  const grant = q.data?.grant;

  if (partner) {
    return (
      <>
        <PageHeader title={t("report:title")} back={{ href: `/grants/${id}`, label: t("report:backToGrant") }} />
        <Alert color="red" variant="light" role="alert" title={t("common:errors.permissionDenied")} />
      </>
    );
  }
  if (q.isLoading) return <PageLoader />;
  if (!grant) {
    return (
      <>
        <PageHeader title={t("report:title")} back={{ href: "/grants", label: t("common:nav.grants") }} />
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  }
  // The forecast goes with a request for further pre-financing: for the
  // period under way (the one after the period reported on), 2 at the
  // earliest; none when the grant has a single period.
  const periods = reportingPeriods(grant.startDate, grant.endDate, grant.reportingPeriodMonths);
  const forecastPeriod = periods.length >= 2 ? Math.max(2, periodOn(periods, todayISO())?.n ?? 2) : undefined;
  return (
    <>
      <PageHeader
        title={t("report:title")}
        back={{ href: `/grants/${id}`, label: grant.title }}
        subtitle={`${grant.donorReference} · ${grant.title} · ${t("report:currency", { currency: grant.currencyCode })}`}
        actions={
          <>
            {forecastPeriod && (
              <Button component={Link} href={`/grants/${id}/forecast/${forecastPeriod}`} variant="default">
                {t("report:openForecast")}
              </Button>
            )}
            <Button component={Link} href={`/grants/${id}/budget`} variant="default">
              {t("report:openBudget")}
            </Button>
          </>
        }
      />
      <ReportForm grant={grant} />
    </>
  );
}

type Scope = "period" | "range";
type Format = "xlsx" | "pdf";

// Dark enough on the light teal of a success alert.
const doneText = "#06503a";
// A note in the readable orange of warnings.
const noteText = "#8a3206";

// The stages the server reports; others are shown as "working".
const stages = new Set(["summary", "expenditures", "writing"]);

function ReportForm({ grant }: { grant: Grant }) {
  const { t, i18n } = useTranslation(["report", "common"]);
  const fmt = useFormat();
  const today = todayISO();
  const periods = useMemo(
    () => reportingPeriods(grant.startDate, grant.endDate, grant.reportingPeriodMonths),
    [grant.startDate, grant.endDate, grant.reportingPeriodMonths],
  );
  const [scope, setScope] = useState<Scope>(periods.length > 0 ? "period" : "range");
  const [period, setPeriod] = useState<string | null>(String(periodOn(periods, today)?.n ?? ""));
  const [from, setFrom] = useState<string | null>(grant.startDate || null);
  const [to, setTo] = useState<string | null>(grant.endDate && grant.endDate < today ? grant.endDate : today);
  const [format, setFormat] = useState<Format>("xlsx");
  const [language, setLanguage] = useState<string | null>(languages.some((l) => l.code === i18n.language) ? i18n.language : "en");

  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<ReportProgress>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<Report>();
  const [cancelled, setCancelled] = useState(false);
  const { user } = useSession();
  const [verifiedOnly, setVerifiedOnly] = useState(false);
  const [signatoryName, setSignatoryName] = useState(user?.displayName ?? "");
  const [signatoryFunction, setSignatoryFunction] = useState("");
  const abort = useRef<AbortController | null>(null);

  const violations = fieldViolations(error);
  const fieldError = (field: string) => (violations[field] !== undefined ? t(`report:errors.${field}`) : undefined);
  const rangeError = scope === "range" && from && to && to < from ? t("report:errors.to_date") : undefined;

  const run = async () => {
    if (rangeError) return;
    const ctl = new AbortController();
    abort.current = ctl;
    setRunning(true);
    setError(undefined);
    setDone(undefined);
    setCancelled(false);
    setProgress(undefined);
    try {
      const report = await fetchReport(
        reportClient(),
        {
          grant: grant.name,
          format: format === "pdf" ? ReportFormat.PDF : ReportFormat.XLSX,
          language: language ?? "en",
          verifiedOnly,
          signatoryName: signatoryName.trim(),
          signatoryFunction: signatoryFunction.trim(),
          ...(scope === "period" ? { reportingPeriod: Number(period) } : { fromDate: from ?? "", toDate: to ?? "" }),
        },
        setProgress,
        ctl.signal,
      );
      saveReport(report);
      setDone(report);
    } catch (err) {
      if (ctl.signal.aborted || (err instanceof ConnectError && err.code === Code.Canceled)) setCancelled(true);
      else setError(err);
    } finally {
      abort.current = null;
      setRunning(false);
      setProgress(undefined);
    }
  };

  const periodLabel = (p: { n: number; from: string; to: string }) => t("report:periodOption", { n: fmt.number(p.n), from: fmt.date(p.from), to: fmt.date(p.to) });
  const chosen = periods.find((p) => String(p.n) === period);
  const chosenRunning = scope === "period" && chosen && chosen.from <= today && today <= chosen.to;

  return (
    <Stack gap="md">
      <Section title={t("report:form.title")} id="report-form">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <Stack gap="lg">
            <Radio.Group label={t("report:form.scope")} value={scope} onChange={(v) => setScope(v as Scope)}>
              <Group gap="lg" mt={6}>
                <Radio value="period" label={t("report:form.byPeriod")} disabled={periods.length === 0 || running} />
                <Radio value="range" label={t("report:form.byDates")} disabled={running} />
              </Group>
            </Radio.Group>

            {scope === "period" ? (
              <Select
                label={t("report:form.period")}
                description={
                  grant.reportingPeriodMonths > 0 ? t("report:form.periodHelp", { months: fmt.number(grant.reportingPeriodMonths) }) : t("report:form.periodWhole")
                }
                // Periods that have not begun have nothing to report yet.
                data={periods.map((p) => ({ value: String(p.n), label: periodLabel(p), disabled: p.from > today }))}
                value={period}
                onChange={setPeriod}
                allowDeselect={false}
                disabled={running}
                error={fieldError("reporting_period")}
                maw={520}
                inputContainer={(children) => (
                  <>
                    {children}
                    {chosenRunning && (
                      <Text size="sm" c={noteText} mt={6} id="period-running">
                        {t("report:inProgress")}
                      </Text>
                    )}
                  </>
                )}
              />
            ) : (
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" maw={520}>
                <DateField
                  label={t("report:form.from")}
                  valueFormat="D MMM YYYY"
                  value={from}
                  onChange={(v) => setFrom(v ? String(v).slice(0, 10) : null)}
                  maxDate={to ?? undefined}
                  disabled={running}
                  error={fieldError("from_date")}
                  required
                />
                <DateField
                  label={t("report:form.to")}
                  valueFormat="D MMM YYYY"
                  value={to}
                  onChange={(v) => setTo(v ? String(v).slice(0, 10) : null)}
                  minDate={from ?? undefined}
                  disabled={running}
                  error={rangeError ?? fieldError("to_date")}
                  required
                />
              </SimpleGrid>
            )}

            <Radio.Group label={t("report:form.format")} value={format} onChange={(v) => setFormat(v as Format)} error={fieldError("format")}>
              <Stack gap="sm" mt={6}>
                <Radio value="xlsx" label={t("report:format.xlsx")} description={t("report:format.xlsxHelp")} disabled={running} />
                <Radio value="pdf" label={t("report:format.pdf")} description={t("report:format.pdfHelp")} disabled={running} />
              </Stack>
            </Radio.Group>

            <Select
              label={t("report:form.language")}
              description={t("report:form.languageHelp")}
              data={languages.map((l) => ({ value: l.code, label: l.label }))}
              value={language}
              onChange={setLanguage}
              allowDeselect={false}
              disabled={running}
              error={fieldError("language")}
              maw={520}
            />

            <Checkbox
              label={t("report:form.verifiedOnly")}
              description={t("report:form.verifiedOnlyHelp")}
              checked={verifiedOnly}
              onChange={(e) => setVerifiedOnly(e.currentTarget.checked)}
              disabled={running}
            />

            <SimpleGrid cols={{ base: 1, sm: 2 }} maw={720}>
              <TextInput
                label={t("report:form.signatoryName")}
                description={t("report:form.signatoryHelp")}
                value={signatoryName}
                onChange={(e) => setSignatoryName(e.currentTarget.value)}
                maxLength={200}
                disabled={running}
                error={fieldError("signatory_name")}
              />
              <TextInput
                label={t("report:form.signatoryFunction")}
                description={t("report:form.signatoryFunctionHelp")}
                value={signatoryFunction}
                onChange={(e) => setSignatoryFunction(e.currentTarget.value)}
                maxLength={200}
                disabled={running}
                error={fieldError("signatory_function")}
              />
            </SimpleGrid>

            <Group gap="sm">
              <Button type="submit" loading={running} disabled={(scope === "period" && !period) || (scope === "range" && (!from || !to))}>
                {format === "pdf" ? t("report:download.pdf") : t("report:download.xlsx")}
              </Button>
              {running && (
                <Button variant="default" onClick={() => abort.current?.abort()}>
                  {t("report:cancel")}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Section>

      <Status running={running} progress={progress} error={error} done={done} cancelled={cancelled} />
    </Stack>
  );
}

function Status({ running, progress, error, done, cancelled }: { running: boolean; progress?: ReportProgress; error: unknown; done?: Report; cancelled: boolean }) {
  const { t } = useTranslation(["report", "common"]);
  const fmt = useFormat();
  const size = (bytes: number) =>
    bytes >= 1 << 20
      ? new Intl.NumberFormat(fmt.locale, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 }).format(bytes / (1 << 20))
      : new Intl.NumberFormat(fmt.locale, { style: "unit", unit: "kilobyte", maximumFractionDigits: 0 }).format(bytes > 0 ? Math.max(1, Math.round(bytes / 1024)) : 0);

  // What screen readers announce (the stage, not every count): a live
  // region that is always there, so that changes in it are read out.
  let announce = "";
  let body = null;
  if (running) {
    const stage = !progress
      ? t("report:stage.start")
      : progress.phase === "receiving"
        ? t("report:stage.receiving")
        : stages.has(progress.stage)
          ? t(`report:stage.${progress.stage}`)
          : t("report:stage.working");
    announce = stage;
    const known = progress && progress.total > 0;
    // Until the first rows are done the bar is full and striped, as while
    // the total is unknown: an empty bar would show nothing at all.
    const moving = known && progress.done > 0;
    const percent = moving ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 100;
    const counts =
      progress && known
        ? progress.phase === "receiving"
          ? t("report:counts.bytes", { done: size(progress.done), total: size(progress.total) })
          : t("report:counts.rows", { done: fmt.number(progress.done), total: fmt.number(progress.total) })
        : "";
    body = (
      <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }}>
        <Group justify="space-between" gap="xs" mb={6}>
          <Text size="sm" fw={600}>
            {stage}
          </Text>
          <Text size="sm" c="dimmed" style={{ fontVariantNumeric: "tabular-nums" }}>
            {counts}
          </Text>
        </Group>
        <Progress
          value={percent}
          size="lg"
          radius="xl"
          striped={!moving}
          animated={!moving}
          aria-label={t("report:progressLabel")}
          aria-valuetext={known ? `${stage}: ${counts}` : stage}
          // No easing: a bar that slid back from a full indeterminate stage
          // would look like lost progress.
          transitionDuration={0}
        />
        <Text size="xs" c="dimmed" mt={6}>
          {t("report:keepOpen")}
        </Text>
      </Paper>
    );
  } else if (error) {
    const incomplete = !(error instanceof ConnectError) && error instanceof Error && error.name === "IncompleteReport";
    const placed = Object.keys(fieldViolations(error)).length > 0;
    announce = incomplete ? t("report:errors.incomplete") : errorMessage(error, t);
    body = (
      <Alert color="red" variant="light" title={incomplete ? t("report:errors.incomplete") : errorMessage(error, t)}>
        {placed ? t("report:errors.checkFields") : t("report:errors.tryAgain")}
      </Alert>
    );
  } else if (done) {
    announce = `${t("report:done.title")} ${t("report:done.body", { file: done.fileName, size: size(done.blob.size) })}`;
    body = (
      <Alert color="teal" variant="light" title={t("report:done.title")} styles={{ title: { color: doneText } }}>
        <Stack gap={6}>
          <Text size="sm" style={{ overflowWrap: "anywhere" }}>
            {t("report:done.body", { file: done.fileName, size: size(done.blob.size) })}
          </Text>
          <Group>
            <Anchor component="button" type="button" size="sm" fw={600} c={doneText} onClick={() => saveReport(done)}>
              {t("report:done.again")}
            </Anchor>
          </Group>
        </Stack>
      </Alert>
    );
  } else if (cancelled) {
    announce = t("report:cancelled");
    body = (
      <Text size="sm" c="dimmed">
        {t("report:cancelled")}
      </Text>
    );
  }
  return (
    <>
      <VisuallyHidden role="status" aria-live="polite">
        {announce}
      </VisuallyHidden>
      {body}
    </>
  );
}
