// /grants/:id/narrative/:period: the narrative report of a grant for a
// reporting period (the EU's Annex VI narrative), compiled by the server
// (NarrativeReportService) from the partners' approved progress updates,
// the activity log, the results framework and the photos with consent.
// Before the first compilation: what it will hold, and "Compile the report"
// for the grant's coordinators. After: when it was compiled and from what
// (updates included and left out, photos included and left out for want of
// consent), the description from the grant's records, each section with its
// sources linked and an editor (the section's etag; "Use the compiled text"
// drops the edit), a notice with a word-level diff when the sources of an
// edited section changed since, the updated logframe with the partners'
// values, the procurement contracts of a final report, the DOCX and PDF
// downloads in a language chosen, and "Mark as submitted", which locks it.
// Auditors read and download it; the server refuses the others.
import { useMemo, useRef, useState } from "react";
import { Alert, Anchor, Badge, Button, Group, List, Paper, Progress, Radio, Select, SimpleGrid, Stack, Table, Text, Textarea, Title, VisuallyHidden } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { Link, useLocation, useParams } from "wouter";
import { GrantService, type Grant } from "../../gen/pactum/v1/grant_pb";
import {
  NarrativeReportKind,
  NarrativeReportService,
  NarrativeReportState,
  NarrativeSectionKind,
  NarrativeSourceKind,
  type NarrativeIndicator,
  type NarrativeParty,
  type NarrativeReport,
  type NarrativeSection,
  type NarrativeSource,
} from "../../gen/pactum/v1/narrative_pb";
import type { Participants } from "../../gen/pactum/v1/activity_pb";
import type { DisaggregatedValue } from "../../gen/pactum/v1/results_pb";
import { ReportFormat } from "../../gen/pactum/v1/report_pb";
import { useFormat } from "../../lib/format";
import { errorMessage, fieldViolations } from "../../lib/errors";
import { languages } from "../../lib/i18n";
import { isPartner, useSession } from "../../lib/session";
import { showToast } from "../../lib/toast";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { todayISO } from "../../components/grants/period";
import { MutationError } from "../../components/grants/MutationError";
import { ConfirmDialog } from "../../components/shared/ConfirmDialog";
import { Detail, Details, Empty, LoadError, PageHeader, Section } from "../../components/shared/ui";
import { ScrollTable } from "../../components/budget/ui";
import { PageLoader } from "../../components/PageLoader";
import { useCountries } from "../../components/organisations/countries";
import { formatValue, levelLabel } from "../../components/results/indicators";
import { reportingPeriods, type ReportingPeriod } from "../../components/report/periods";
import { saveReport, type Progress as ReportProgress, type Report } from "../../components/report/download";
import { fetchNarrative, narrativeClient } from "../../components/narrative/download";
import { wordDiff } from "../../components/narrative/wordDiff";
import { IndicatorType, ResultLevel } from "../../gen/pactum/v1/results_pb";

const num = { textAlign: "right", fontVariantNumeric: "tabular-nums" } as const;
// Readable on the light backgrounds of alerts.
const doneText = "#06503a";
const addedBg = "#d3f9d8";
const removedBg = "#ffe3e3";

const lastPart = (name: string) => name.slice(name.lastIndexOf("/") + 1);

export default function NarrativePage() {
  return (
    <DatesSetup>
      <NarrativeScreen />
    </DatesSetup>
  );
}

function NarrativeScreen() {
  const { id, period } = useParams<{ id: string; period: string }>();
  const grantName = `grants/${id}`;
  const name = `${grantName}/narrativeReports/${period}`;
  const { t } = useTranslation(["narrative", "common"]);
  const fmt = useFormat();
  const [, navigate] = useLocation();
  const { user } = useSession();
  const partner = isPartner(user);
  const g = useQuery(GrantService.method.getGrant, { name: grantName }, { enabled: !partner });
  const q = useQuery(NarrativeReportService.method.getNarrativeReport, { name }, { enabled: !partner, retry: false });
  const grant = g.data?.grant;
  const report = q.data?.narrativeReport;
  const periods = useMemo(() => (grant ? reportingPeriods(grant.startDate, grant.endDate, grant.reportingPeriodMonths) : []), [grant]);

  if (partner) {
    return (
      <>
        <PageHeader title={t("narrative:title")} back={{ href: `/grants/${id}`, label: t("narrative:backToGrant") }} />
        <Alert color="red" variant="light" role="alert" title={t("common:errors.permissionDenied")} />
      </>
    );
  }
  if (g.isLoading || q.isLoading) return <PageLoader />;
  const notCompiled = q.error instanceof ConnectError && q.error.code === Code.NotFound;
  if (!grant || (!report && !notCompiled)) {
    return (
      <>
        <PageHeader title={t("narrative:title")} back={grant ? { href: `/grants/${id}`, label: grant.title } : { href: "/grants", label: t("common:nav.grants") }} />
        <LoadError error={g.error ?? q.error} onRetry={() => void (grant ? q.refetch() : g.refetch())} />
      </>
    );
  }
  const chosen = periods.find((p) => String(p.n) === period);
  const today = todayISO();
  const periodLabel = (p: ReportingPeriod) => t("narrative:periodOption", { n: fmt.number(p.n), from: fmt.date(p.from), to: fmt.date(p.to) });
  return (
    <>
      <PageHeader
        title={t("narrative:title")}
        back={{ href: `/grants/${id}`, label: grant.title }}
        subtitle={[grant.donorReference, grant.title, chosen ? periodLabel(chosen) : ""].filter(Boolean).join(" · ")}
        badge={report && <StateBadges report={report} />}
        actions={
          <Button component={Link} href={`/grants/${id}/report`} variant="default">
            {t("narrative:openFinancialReport")}
          </Button>
        }
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }}>
          <Select
            label={t("narrative:period")}
            data={periods.map((p) => ({ value: String(p.n), label: periodLabel(p), disabled: p.from > today }))}
            value={chosen ? String(chosen.n) : null}
            placeholder={t("narrative:choosePeriod")}
            onChange={(v) => v && navigate(`/grants/${id}/narrative/${v}`)}
            allowDeselect={false}
            maw={520}
          />
        </Paper>
        {report ? (
          <ReportView key={report.name} report={report} grant={grant} refetch={() => void q.refetch()} />
        ) : (
          <NotCompiled name={name} grant={grant} />
        )}
      </Stack>
    </>
  );
}

function StateBadges({ report }: { report: NarrativeReport }) {
  const { t } = useTranslation(["narrative"]);
  const submitted = report.state === NarrativeReportState.SUBMITTED;
  return (
    <Group gap={6}>
      <Badge size="lg" variant="light" color={submitted ? "teal" : "gray"} styles={{ label: { color: submitted ? doneText : undefined } }}>
        {submitted ? t("narrative:state.submitted") : t("narrative:state.draft")}
      </Badge>
      <Badge size="lg" variant="outline" color="dark">
        {report.kind === NarrativeReportKind.FINAL ? t("narrative:kind.final") : t("narrative:kind.interim")}
      </Badge>
    </Group>
  );
}

// Before the first compilation.
function NotCompiled({ name, grant }: { name: string; grant: Grant }) {
  const { t } = useTranslation(["narrative", "common"]);
  const queryClient = useQueryClient();
  const compile = useMutation(NarrativeReportService.method.compileNarrativeReport);
  return (
    <Section title={t("narrative:notCompiled.title")} id="not-compiled">
      <Stack gap="sm">
        <Text size="sm">{t("narrative:notCompiled.body")}</Text>
        <List size="sm" spacing={4}>
          <List.Item>{t("narrative:notCompiled.fromUpdates")}</List.Item>
          <List.Item>{t("narrative:notCompiled.fromActivities")}</List.Item>
          <List.Item>{t("narrative:notCompiled.fromResults")}</List.Item>
          <List.Item>{t("narrative:notCompiled.fromPhotos")}</List.Item>
        </List>
        <Text size="sm">{t("narrative:notCompiled.edits")}</Text>
        {grant.callerCanUpdate ? (
          <>
            <MutationError error={compile.error} />
            <Group>
              <Button
                loading={compile.isPending}
                onClick={() =>
                  compile.mutate(
                    { name },
                    {
                      onSuccess: () => {
                        void queryClient.invalidateQueries();
                        showToast({ color: "teal", message: t("narrative:compiled") });
                      },
                    },
                  )
                }
              >
                {t("narrative:compile")}
              </Button>
            </Group>
          </>
        ) : (
          <Alert color="blue" variant="light">
            <Text size="sm">{t("narrative:notCompiled.readOnly")}</Text>
          </Alert>
        )}
      </Stack>
    </Section>
  );
}

function ReportView({ report, grant, refetch }: { report: NarrativeReport; grant: Grant; refetch: () => void }) {
  const { t } = useTranslation(["narrative", "common"]);
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const compile = useMutation(NarrativeReportService.method.compileNarrativeReport);
  const submit = useMutation(NarrativeReportService.method.submitNarrativeReport);
  const [asking, setAsking] = useState(false);
  const [submitDate, setSubmitDate] = useState<string | null>(todayISO());
  const submitted = report.state === NarrativeReportState.SUBMITTED;
  const editable = report.callerCanEdit && !submitted;
  const compiledAt = report.compileTime ? fmt.dateTime(timestampDate(report.compileTime)) : "";
  const partners = useMemo(() => partnersByProject(report), [report]);
  // A report is sent once its period is over: from its last day.
  const today = todayISO();
  const over = report.periodEndDate !== "" && report.periodEndDate <= today;
  const submitViolations = fieldViolations(submit.error, "");

  const doCompile = () =>
    compile.mutate(
      { name: report.name },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("narrative:compiled") });
        },
      },
    );
  const doSubmit = () =>
    submit.mutate(
      { name: report.name, etag: report.etag, submitDate: submitDate ?? "" },
      {
        onSuccess: () => {
          setAsking(false);
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("narrative:submit.done") });
        },
      },
    );

  return (
    <>
      <Section title={t("narrative:overview.title")} id="overview">
        <Stack gap="sm">
          {submitted ? (
            <Alert color="teal" variant="light" title={t("narrative:locked.title")} styles={{ title: { color: doneText } }}>
              <Text size="sm">
                {t("narrative:locked.body", { date: fmt.date(report.submitDate), who: report.submitterDisplayName || t("common:none") })}
              </Text>
            </Alert>
          ) : (
            !report.callerCanEdit && (
              <Alert color="blue" variant="light">
                <Text size="sm">{t("narrative:readOnly")}</Text>
              </Alert>
            )
          )}
          <Text size="sm">{t("narrative:overview.compiledAt", { when: compiledAt })}</Text>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <Figure label={t("narrative:overview.updatesIncluded")} value={fmt.number(report.updatesIncluded)} testId="updates-included" />
            <Figure label={t("narrative:overview.updatesNotApproved")} value={fmt.number(report.updatesNotApproved)} testId="updates-left-out" />
            <Figure label={t("narrative:overview.photosIncluded")} value={fmt.number(report.photosIncluded)} testId="photos-included" />
            <Figure label={t("narrative:overview.photosWithoutConsent")} value={fmt.number(report.photosWithoutConsent)} testId="photos-left-out" />
          </SimpleGrid>
          {report.updatesNotApproved > 0 && (
            <Text size="sm" c="dimmed">
              {t("narrative:overview.updatesNote", { count: report.updatesNotApproved, n: fmt.number(report.updatesNotApproved) })}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            {t("narrative:overview.consentNote")}
          </Text>
          {report.sectionsWithChangedSources > 0 && (
            <Alert color="orange" variant="light" role="status">
              <Text size="sm">
                {t("narrative:overview.changedSections", { count: report.sectionsWithChangedSources, n: fmt.number(report.sectionsWithChangedSources) })}
              </Text>
            </Alert>
          )}
          {editable && (
            <Stack gap="xs">
              <MutationError error={compile.error} />
              <Group gap="sm">
                <Button variant="default" onClick={doCompile} loading={compile.isPending}>
                  {t("narrative:compileAgain")}
                </Button>
                <Button
                  color="teal"
                  disabled={!over}
                  aria-describedby={over ? undefined : "submit-when"}
                  onClick={() => {
                    submit.reset();
                    setSubmitDate(todayISO());
                    setAsking(true);
                  }}
                >
                  {t("narrative:submit.button")}
                </Button>
              </Group>
              <Text size="xs" c="dimmed">
                {t("narrative:compileAgainHelp")}
              </Text>
              {!over && (
                <Text size="xs" c="dimmed" id="submit-when">
                  {t("narrative:submit.notYet", { date: fmt.date(report.periodEndDate) })}
                </Text>
              )}
            </Stack>
          )}
        </Stack>
      </Section>

      <DescriptionView report={report} />

      <Title order={3} size="h4" mt="sm">
        {t("narrative:sectionsTitle")}
      </Title>
      {report.sections.length === 0 ? (
        <Empty />
      ) : (
        report.sections.map((s) => <SectionCard key={s.name} section={s} heading={sectionHeading(t, s, partners)} editable={editable} refetch={refetch} />)
      )}

      <LogframeView report={report} />
      {report.kind === NarrativeReportKind.FINAL && <ProcurementView report={report} currency={grant.currencyCode} />}
      <Exports report={report} />

      <ConfirmDialog
        opened={asking}
        onClose={() => setAsking(false)}
        title={t("narrative:submit.title")}
        body={t("narrative:submit.body")}
        confirmLabel={t("narrative:submit.confirm")}
        color="teal"
        onConfirm={doSubmit}
        pending={submit.isPending}
        error={submitViolations.submit_date !== undefined ? undefined : submit.error}
        onReload={refetch}
      >
        <DatePickerInput
          label={t("narrative:submit.date")}
          description={t("narrative:submit.dateHelp", { from: fmt.date(report.periodEndDate), to: fmt.date(today) })}
          valueFormat="D MMM YYYY"
          value={submitDate}
          onChange={(v) => setSubmitDate(v ? String(v).slice(0, 10) : null)}
          minDate={report.periodEndDate || undefined}
          maxDate={today}
          error={submitViolations.submit_date !== undefined ? t("narrative:submit.dateError", { from: fmt.date(report.periodEndDate), to: fmt.date(today) }) : undefined}
          required
        />
      </ConfirmDialog>
    </>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600} style={{ fontVariantNumeric: "tabular-nums" }} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

function roleLabel(t: TFunction, role: string): string {
  switch (role) {
    case "coordinator":
    case "co_beneficiary":
    case "affiliated_entity":
    case "associate":
      return t(`narrative:roles.${role}`);
  }
  return t("narrative:roles.other");
}

function DescriptionView({ report }: { report: NarrativeReport }) {
  const { t } = useTranslation(["narrative", "common"]);
  const fmt = useFormat();
  const countries = useCountries();
  const d = report.description;
  if (!d) return null;
  const party = (p: NarrativeParty | undefined) => (p ? [p.displayName, p.countryCode ? countries.name(p.countryCode) : ""].filter(Boolean).join(", ") : "");
  const names = (codes: string[]) => codes.map((c) => countries.name(c)).join(", ");
  return (
    <Section title={t("narrative:description.title")} id="description">
      <Stack gap="md">
        <Details cols={2}>
          <Detail label={t("narrative:description.actionTitle")}>{d.title}</Detail>
          <Detail label={t("narrative:description.contractNumber")}>{d.contractNumber}</Detail>
          <Detail label={t("narrative:description.coordinator")}>{party(d.coordinator)}</Detail>
          <Detail label={t("narrative:description.contact")}>
            {[d.contactName, d.contactEmail].filter(Boolean).join(" · ")}
          </Detail>
          <Detail label={t("narrative:description.period")}>
            {t("narrative:description.periodDates", { from: fmt.date(report.periodStartDate), to: fmt.date(report.periodEndDate) })}
          </Detail>
          <Detail label={t("narrative:description.action")}>{d.startDate && t("narrative:description.periodDates", { from: fmt.date(d.startDate), to: fmt.date(d.endDate) })}</Detail>
          <Detail label={t("narrative:description.targetCountries")}>{names(d.targetCountries)}</Detail>
          <Detail label={t("narrative:description.countriesOfActivity")}>{names(d.countriesOfActivity)}</Detail>
        </Details>
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.03em" }} mb={4}>
            {t("narrative:description.partners")}
          </Text>
          {d.partners.length === 0 ? (
            <Text size="sm">{t("common:none")}</Text>
          ) : (
            <List size="sm" spacing={2}>
              {d.partners.map((p) => (
                <List.Item key={p.organisation}>
                  {party(p)} — {roleLabel(t, p.role)}
                </List.Item>
              ))}
            </List>
          )}
        </div>
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.03em" }} mb={4}>
            {t("narrative:description.people")}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <People title={t("narrative:description.inPeriod", { n: fmt.number(d.activitiesPeriod), count: d.activitiesPeriod })} p={d.participantsPeriod} testId="people-period" />
            <People title={t("narrative:description.toDate")} p={d.participantsToDate} testId="people-to-date" />
          </SimpleGrid>
        </div>
      </Stack>
    </Section>
  );
}

function People({ title, p, testId }: { title: string; p: Participants | undefined; testId: string }) {
  const { t } = useTranslation(["narrative"]);
  const fmt = useFormat();
  const women = p?.women ?? 0;
  const men = p?.men ?? 0;
  const other = p?.otherOrNotStated ?? 0;
  return (
    <Paper withBorder radius="sm" p="sm" data-testid={testId} role="group" aria-label={title}>
      <Text size="sm" fw={600} mb={4}>
        {title}
      </Text>
      <SimpleGrid cols={4} spacing={4}>
        <Figure label={t("narrative:description.women")} value={fmt.number(women)} />
        <Figure label={t("narrative:description.men")} value={fmt.number(men)} />
        <Figure label={t("narrative:description.other")} value={fmt.number(other)} />
        <Figure label={t("narrative:description.total")} value={fmt.number(women + men + other)} />
      </SimpleGrid>
    </Paper>
  );
}

// projectOf: the project of a resource name ("projects/{p}/...").
const projectOf = (name: string) => /^projects\/([^/]+)\//.exec(name)?.[1] ?? "";

// partnersByProject: the partner of each project, from the logframe's
// per-partner values.
export function partnersByProject(report: Pick<NarrativeReport, "logframe">): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of report.logframe) for (const p of i.partnerValues) if (p.organisationDisplayName) out.set(projectOf(p.indicator), p.organisationDisplayName);
  return out;
}

// sectionHeading: a section's heading in the reader's language. Projects
// often share their outputs' codes and titles: an output's heading names
// its project's partner when known.
export function sectionHeading(t: TFunction, s: Pick<NarrativeSection, "kind" | "subject" | "subjectDisplayName">, partners?: Map<string, string>): string {
  switch (s.kind) {
    case NarrativeSectionKind.EXECUTIVE_SUMMARY:
      return t("narrative:sections.executiveSummary");
    case NarrativeSectionKind.OUTPUT: {
      const partner = partners?.get(projectOf(s.subject));
      return partner ? t("narrative:sections.outputOf", { name: s.subjectDisplayName, partner }) : t("narrative:sections.output", { name: s.subjectDisplayName });
    }
    case NarrativeSectionKind.PARTNER:
      return t("narrative:sections.partner", { name: s.subjectDisplayName });
    case NarrativeSectionKind.COOPERATION:
      return t("narrative:sections.cooperation");
    case NarrativeSectionKind.VISIBILITY:
      return t("narrative:sections.visibility");
    case NarrativeSectionKind.RECORDS:
      return t("narrative:sections.records");
  }
  return s.subjectDisplayName || t("narrative:sections.other");
}

// sourceHref: the page of a source record, from its resource name.
export function sourceHref(name: string): string | undefined {
  let m = /^progressUpdates\/([^/]+)$/.exec(name);
  if (m) return `/progress/${m[1]}`;
  m = /^projects\/([^/]+)\/activities\/([^/]+)$/.exec(name);
  if (m) return `/projects/${m[1]}/activities/${m[2]}`;
  m = /^projects\/([^/]+)\/(?:results|indicators)\/[^/]+$/.exec(name);
  if (m) return `/projects/${m[1]}/results`;
  return undefined;
}

function sourceKindLabel(t: TFunction, kind: NarrativeSourceKind): string {
  switch (kind) {
    case NarrativeSourceKind.PROGRESS_UPDATE:
      return t("narrative:sourceKind.progressUpdate");
    case NarrativeSourceKind.ACTIVITY:
      return t("narrative:sourceKind.activity");
    case NarrativeSourceKind.INDICATOR:
      return t("narrative:sourceKind.indicator");
    case NarrativeSourceKind.RESULT:
      return t("narrative:sourceKind.result");
  }
  return t("narrative:sourceKind.other");
}

function Sources({ sources }: { sources: NarrativeSource[] }) {
  const { t } = useTranslation(["narrative"]);
  if (sources.length === 0) return null;
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} mb={2}>
        {t("narrative:sources", { count: sources.length })}
      </Text>
      <List size="sm" spacing={2}>
        {sources.map((s) => {
          const href = sourceHref(s.name);
          const label = [s.displayName || sourceKindLabel(t, s.kind), s.organisationDisplayName].filter(Boolean).join(" — ");
          return (
            <List.Item key={s.name}>
              <Text span size="sm" c="dimmed">
                {sourceKindLabel(t, s.kind)}:{" "}
              </Text>
              {href ? (
                <Anchor component={Link} href={href} size="sm">
                  {label}
                </Anchor>
              ) : (
                label
              )}
            </List.Item>
          );
        })}
      </List>
    </div>
  );
}

function SectionCard({ section, heading, editable, refetch }: { section: NarrativeSection; heading: string; editable: boolean; refetch: () => void }) {
  const { t } = useTranslation(["narrative", "common"]);
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const update = useMutation(NarrativeReportService.method.updateNarrativeSection);
  const [draft, setDraft] = useState<string | null>(null);
  const id = `section-${lastPart(section.name)}`;
  const editing = draft !== null;
  // After someone else's change: the section's new etag (and text) come
  // with the report read again; what the user typed stays.
  const reload = () => {
    update.reset();
    refetch();
  };

  const send = (req: { text?: string; useCompiled?: boolean }, message: string) =>
    update.mutate(
      { name: section.name, etag: section.etag, text: req.text ?? "", useCompiled: req.useCompiled ?? false },
      {
        onSuccess: () => {
          setDraft(null);
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message });
        },
      },
    );

  return (
    <Section
      title={heading}
      id={id}
      actions={
        editable &&
        !editing && (
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              update.reset();
              setDraft(section.text);
            }}
            aria-label={t("narrative:editSection", { section: heading })}
          >
            {t("common:actions.edit")}
          </Button>
        )
      }
    >
      <Stack gap="sm">
        {section.edited && (
          <Text size="xs" c="dimmed" data-testid="edited-by">
            {t("narrative:editedBy", {
              who: section.editorDisplayName || t("common:none"),
              when: section.editTime ? fmt.dateTime(timestampDate(section.editTime)) : "",
            })}
          </Text>
        )}
        {section.sourcesChanged && (
          <SourcesChanged section={section} editable={editable && !editing} pending={update.isPending} onKeep={() => send({ text: section.text }, t("narrative:keptMine"))} onTake={() => send({ useCompiled: true }, t("narrative:tookNew"))} />
        )}
        {editing ? (
          <Stack gap="xs">
            <Textarea
              label={t("narrative:textOf", { section: heading })}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              autosize
              minRows={6}
              maxRows={30}
              maxLength={100000}
            />
            <MutationError error={update.error} onReload={reload} />
            <Group gap="sm">
              <Button onClick={() => send({ text: draft }, t("narrative:sectionSaved"))} loading={update.isPending} disabled={draft === section.text}>
                {t("common:actions.save")}
              </Button>
              <Button variant="default" onClick={() => setDraft(null)} disabled={update.isPending}>
                {t("common:actions.cancel")}
              </Button>
              {section.edited && (
                <Button variant="subtle" onClick={() => send({ useCompiled: true }, t("narrative:tookNew"))} disabled={update.isPending}>
                  {t("narrative:useCompiled")}
                </Button>
              )}
            </Group>
          </Stack>
        ) : section.text.trim() === "" ? (
          <Text size="sm" c="dimmed" fs="italic">
            {t("narrative:emptySection")}
          </Text>
        ) : (
          <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} data-testid="section-text">
            {section.text}
          </Text>
        )}
        {!editing && <MutationError error={update.error} onReload={reload} />}
        <Sources sources={section.sources} />
      </Stack>
    </Section>
  );
}

function SourcesChanged({
  section,
  editable,
  pending,
  onKeep,
  onTake,
}: {
  section: NarrativeSection;
  editable: boolean;
  pending: boolean;
  onKeep: () => void;
  onTake: () => void;
}) {
  const { t } = useTranslation(["narrative"]);
  const parts = useMemo(() => wordDiff(section.editBaseText, section.compiledText), [section.editBaseText, section.compiledText]);
  return (
    <Alert color="orange" variant="light" title={t("narrative:changed.title")} data-testid="sources-changed">
      <Stack gap="xs">
        <Text size="sm">{t("narrative:changed.body")}</Text>
        <Text size="xs" c="dimmed">
          {t("narrative:changed.legend")}{" "}
          <ins style={{ background: addedBg, textDecoration: "underline" }}>{t("narrative:changed.added")}</ins>{" "}
          <del style={{ background: removedBg }}>{t("narrative:changed.removed")}</del>
        </Text>
        <Paper withBorder radius="sm" p="xs" bg="white" data-testid="sources-diff">
          <Text size="sm" component="div" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {parts.map((p, i) =>
              p.kind === "same" ? (
                <span key={i}>{p.text}</span>
              ) : p.kind === "added" ? (
                <ins key={i} style={{ background: addedBg, textDecoration: "underline" }}>
                  <VisuallyHidden>{t("narrative:changed.addedSr")}</VisuallyHidden>
                  {p.text}
                </ins>
              ) : (
                <del key={i} style={{ background: removedBg }}>
                  <VisuallyHidden>{t("narrative:changed.removedSr")}</VisuallyHidden>
                  {p.text}
                </del>
              ),
            )}
          </Text>
        </Paper>
        {editable && (
          <Group gap="sm">
            <Button size="xs" color="orange" variant="outline" onClick={onKeep} loading={pending}>
              {t("narrative:changed.keep")}
            </Button>
            <Button size="xs" color="orange" onClick={onTake} disabled={pending}>
              {t("narrative:changed.take")}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

function resultLabel(t: TFunction, i: NarrativeIndicator): string {
  const name = [i.resultCode, i.resultTitle].filter(Boolean).join(" ");
  return i.resultLevel !== ResultLevel.UNSPECIFIED ? t("narrative:logframe.result", { level: levelLabel(t, i.resultLevel), name }) : name;
}

// The usual disaggregations and categories (those the results editor
// proposes) in the reader's language; others as their authors wrote them.
const knownDisaggregations: Record<string, string> = { sex: "sex", "age group": "ageGroup", age_group: "ageGroup", country: "country" };
const knownCategories: Record<string, string> = { women: "women", men: "men", other_or_not_stated: "otherOrNotStated" };

function disaggregated(t: TFunction, values: DisaggregatedValue[], show: (v: string) => string): string[] {
  const by = new Map<string, string[]>();
  for (const v of values) {
    const list = by.get(v.disaggregation) ?? [];
    const c = knownCategories[v.category.trim().toLowerCase()];
    list.push(`${c ? t(`narrative:disaggregation.categories.${c}`) : v.category} ${show(v.value)}`);
    by.set(v.disaggregation, list);
  }
  return [...by.entries()].map(([d, list]) => {
    const k = knownDisaggregations[d.trim().toLowerCase()];
    return t("narrative:disaggregation.line", { name: k ? t(`narrative:disaggregation.names.${k}`) : d, values: list.join(", ") });
  });
}

function LogframeView({ report }: { report: NarrativeReport }) {
  const { t } = useTranslation(["narrative", "results", "common"]);
  const fmt = useFormat();
  const narrow = useMediaQuery("(max-width: 48em)", window.matchMedia("(max-width: 48em)").matches, { getInitialValueInEffect: false });
  const groups = useMemo(() => {
    const out: { key: string; label: string; rows: NarrativeIndicator[] }[] = [];
    for (const i of report.logframe) {
      const key = `${i.resultLevel}/${i.resultCode}/${i.resultTitle}`;
      let g = out.find((x) => x.key === key);
      if (!g) {
        g = { key, label: resultLabel(t, i), rows: [] };
        out.push(g);
      }
      g.rows.push(i);
    }
    return out;
  }, [report.logframe, t]);
  const v = (i: NarrativeIndicator, value: string) => formatValue(t, fmt.locale, i.type, value);
  const title = (i: NarrativeIndicator) => [i.code, i.title].filter(Boolean).join(" ") + (i.unit && i.type === IndicatorType.NUMBER ? ` (${i.unit})` : "");
  const label = t("narrative:logframe.title");
  if (report.logframe.length === 0) {
    return (
      <Section title={label} id="logframe">
        <Empty>{t("narrative:logframe.empty")}</Empty>
      </Section>
    );
  }
  const cols = [
    t("narrative:logframe.baseline"),
    t("narrative:logframe.targetPeriod"),
    t("narrative:logframe.achievedPeriod"),
    t("narrative:logframe.targetToDate"),
    t("narrative:logframe.achievedToDate"),
  ];
  return (
    <Section title={label} id="logframe">
      <Text size="sm" c="dimmed" mb="sm">
        {t("narrative:logframe.help")}
      </Text>
      {narrow ? (
        <Stack gap="md">
          {groups.map((g) => (
            <Stack key={g.key} gap="xs" role="group" aria-label={g.label}>
              <Text fw={700} size="sm">
                {g.label}
              </Text>
              {g.rows.map((i, n) => (
                <Paper key={`${i.code}-${n}`} withBorder radius="md" p="sm">
                  <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                    {title(i)}
                  </Text>
                  <SimpleGrid cols={2} spacing={4} verticalSpacing={2} my={6}>
                    {[i.baseline, i.targetPeriod, i.achievedPeriod, i.targetToDate, i.achievedToDate].map((x, k) => (
                      <div key={k}>
                        <Text size="xs" c="dimmed">
                          {cols[k]}
                        </Text>
                        <Text size="sm" style={{ fontVariantNumeric: "tabular-nums", overflowWrap: "anywhere" }}>
                          {v(i, x) || "—"}
                        </Text>
                      </div>
                    ))}
                  </SimpleGrid>
                  {disaggregated(t, i.disaggregatedValues, (x) => v(i, x)).map((line) => (
                    <Text key={line} size="xs">
                      {line}
                    </Text>
                  ))}
                  {i.partnerValues.length > 0 && (
                    <List size="xs" mt={4} spacing={2}>
                      {i.partnerValues.map((p) => (
                        <List.Item key={p.indicator}>
                          {t("narrative:logframe.partnerValue", {
                            partner: [p.organisationDisplayName, p.projectDisplayName].filter(Boolean).join(" — "),
                            target: v(i, p.target) || "—",
                            achieved: v(i, p.achieved) || "—",
                          })}
                        </List.Item>
                      ))}
                    </List>
                  )}
                </Paper>
              ))}
            </Stack>
          ))}
        </Stack>
      ) : (
        <ScrollTable minWidth={820} label={label}>
          <Table verticalSpacing={6} horizontalSpacing="xs" withRowBorders fz="sm">
            <VisuallyHidden component="caption">{label}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" miw={240}>
                  {t("narrative:logframe.indicator")}
                </Table.Th>
                {cols.map((c) => (
                  <Table.Th key={c} scope="col" style={num}>
                    {c}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            {groups.map((g) => (
              <Table.Tbody key={g.key}>
                <Table.Tr bg="gray.0">
                  <Table.Th scope="colgroup" colSpan={6} fw={700}>
                    {g.label}
                  </Table.Th>
                </Table.Tr>
                {g.rows.map((i, n) => (
                  <IndicatorRows key={`${i.code}-${n}`} i={i} title={title(i)} v={(x) => v(i, x)} />
                ))}
              </Table.Tbody>
            ))}
          </Table>
        </ScrollTable>
      )}
    </Section>
  );
}

function IndicatorRows({ i, title, v }: { i: NarrativeIndicator; title: string; v: (x: string) => string }) {
  const { t } = useTranslation(["narrative"]);
  const breakdown = disaggregated(t, i.disaggregatedValues, v);
  return (
    <>
      <Table.Tr>
        <Table.Th scope="row" fw={600} style={{ paddingInlineStart: 16 }}>
          {title}
          {breakdown.map((line) => (
            <Text key={line} size="xs" c="dimmed" fw={400}>
              {line}
            </Text>
          ))}
        </Table.Th>
        <Table.Td style={num}>{v(i.baseline)}</Table.Td>
        <Table.Td style={num}>{v(i.targetPeriod)}</Table.Td>
        <Table.Td style={num}>{v(i.achievedPeriod)}</Table.Td>
        <Table.Td style={num}>{v(i.targetToDate)}</Table.Td>
        <Table.Td style={num}>{v(i.achievedToDate)}</Table.Td>
      </Table.Tr>
      {i.partnerValues.map((p) => (
        <Table.Tr key={p.indicator} data-testid="partner-value">
          <Table.Td style={{ paddingInlineStart: 32 }}>
            <Text size="xs">{[p.organisationDisplayName, p.projectDisplayName].filter(Boolean).join(" — ")}</Text>
            {disaggregated(t, p.disaggregatedValues, v).map((line) => (
              <Text key={line} size="xs" c="dimmed">
                {line}
              </Text>
            ))}
          </Table.Td>
          <Table.Td />
          <Table.Td style={num} fz="xs">
            {v(p.target)}
          </Table.Td>
          <Table.Td style={num} fz="xs">
            {v(p.achieved)}
          </Table.Td>
          <Table.Td />
          <Table.Td />
        </Table.Tr>
      ))}
    </>
  );
}

function ProcurementView({ report, currency }: { report: NarrativeReport; currency: string }) {
  const { t } = useTranslation(["narrative", "common"]);
  const fmt = useFormat();
  const label = t("narrative:procurement.title");
  return (
    <Section title={label} id="procurement">
      {report.procurementContracts.length === 0 ? (
        <Empty>{t("narrative:procurement.empty")}</Empty>
      ) : (
        <Stack gap="xs">
          {report.procurementContracts.map((c) => (
            <Paper key={c.reference + c.title} withBorder radius="sm" p="sm">
              <Group justify="space-between" gap="xs" wrap="wrap">
                <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                  {[c.reference, c.title].filter(Boolean).join(" — ")}
                </Text>
                <Text size="sm" fw={600} style={num}>
                  {fmt.money(c.amount, currency)}
                </Text>
              </Group>
              <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
                {t("narrative:procurement.line", {
                  contractor: c.contractor || t("common:none"),
                  procedure: c.procedure || t("common:none"),
                  date: fmt.date(c.awardDate),
                  organisation: c.organisationDisplayName || t("common:none"),
                })}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Section>
  );
}

type Format = "docx" | "pdf";

function Exports({ report }: { report: NarrativeReport }) {
  const { t } = useTranslation(["narrative", "common"]);
  const [format, setFormat] = useState<Format>("docx");
  const [language, setLanguage] = useState<string | null>(languages.some((l) => l.code === report.language) ? report.language : "en");
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<ReportProgress>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<Report>();
  const abort = useRef<AbortController | null>(null);

  const run = async () => {
    const ctl = new AbortController();
    abort.current = ctl;
    setRunning(true);
    setError(undefined);
    setDone(undefined);
    setProgress(undefined);
    try {
      const file = await fetchNarrative(
        narrativeClient(),
        { name: report.name, format: format === "pdf" ? ReportFormat.PDF : ReportFormat.DOCX, language: language ?? "" },
        setProgress,
        ctl.signal,
      );
      saveReport(file);
      setDone(file);
    } catch (err) {
      if (!(ctl.signal.aborted || (err instanceof ConnectError && err.code === Code.Canceled))) setError(err);
    } finally {
      abort.current = null;
      setRunning(false);
      setProgress(undefined);
    }
  };
  const reportLanguage = languages.find((l) => l.code === report.language)?.label;
  const stage = !progress ? t("narrative:export.working") : progress.phase === "receiving" ? t("narrative:export.receiving") : t("narrative:export.working");
  return (
    <Section title={t("narrative:export.title")} id="export">
      <Stack gap="md">
        <Radio.Group label={t("narrative:export.format")} value={format} onChange={(v) => setFormat(v as Format)}>
          <Stack gap="sm" mt={6}>
            <Radio value="docx" label={t("narrative:export.docx")} description={t("narrative:export.docxHelp")} disabled={running} />
            <Radio value="pdf" label={t("narrative:export.pdf")} description={t("narrative:export.pdfHelp")} disabled={running} />
          </Stack>
        </Radio.Group>
        <Select
          label={t("narrative:export.language")}
          description={reportLanguage ? t("narrative:export.languageHelp", { language: reportLanguage }) : undefined}
          data={languages.map((l) => ({ value: l.code, label: l.label }))}
          value={language}
          onChange={setLanguage}
          allowDeselect={false}
          disabled={running}
          maw={520}
        />
        <Group gap="sm">
          <Button onClick={() => void run()} loading={running}>
            {format === "pdf" ? t("narrative:export.downloadPdf") : t("narrative:export.downloadDocx")}
          </Button>
          {running && (
            <Button variant="default" onClick={() => abort.current?.abort()}>
              {t("common:actions.cancel")}
            </Button>
          )}
        </Group>
        <VisuallyHidden role="status" aria-live="polite">
          {running ? stage : done ? t("narrative:export.done", { file: done.fileName }) : ""}
        </VisuallyHidden>
        {running && (
          <div>
            <Text size="sm" fw={600} mb={4}>
              {stage}
            </Text>
            <Progress value={100} striped animated size="lg" radius="xl" aria-label={stage} transitionDuration={0} />
          </div>
        )}
        {!running && error !== undefined && (
          <Alert color="red" variant="light" role="alert" title={error instanceof ConnectError ? errorMessage(error, t) : t("narrative:export.incomplete")}>
            <Text size="sm">{t("narrative:export.tryAgain")}</Text>
          </Alert>
        )}
        {!running && done && (
          <Alert color="teal" variant="light" title={t("narrative:export.doneTitle")} styles={{ title: { color: doneText } }}>
            <Stack gap={6}>
              <Text size="sm" style={{ overflowWrap: "anywhere" }} data-testid="export-done">
                {t("narrative:export.done", { file: done.fileName })}
              </Text>
              <Group>
                <Anchor component="button" type="button" size="sm" fw={600} c={doneText} onClick={() => saveReport(done)}>
                  {t("narrative:export.again")}
                </Anchor>
              </Group>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Section>
  );
}
