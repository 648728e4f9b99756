// /grants/:id: one grant. Its contract (reference, agreement, parties,
// period), its money in the grant currency for the user's locale, how much of
// the implementation period has elapsed (budget burn comes with
// expenditures, in a later release), its reporting milestones on a timeline
// and its projects. Coordinators activate, close, edit (only the fields they
// changed, with the etag; Reload after someone else's change keeps what they
// typed) and delete drafts.
import { useConfirmedAction } from "../../components/shared/confirmedAction";
import "@mantine/dates/styles.css";
import { lazy, Suspense, useState } from "react";
import { Alert, Anchor, Button, Group, Modal, Paper, Progress, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { showToast } from "../../lib/toast";
import { useInfiniteQuery, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { GrantService, GrantState, type Grant, type UpdateGrantRequestSchema, type UpdateGrantResponse } from "../../gen/pactum/v1/grant_pb";
import { ParticipantRole, ProjectService } from "../../gen/pactum/v1/project_pb";
import { FrameworkAgreementService } from "../../gen/pactum/v1/framework_agreement_pb";
import { useFormat } from "../../lib/format";
import { useCountries } from "../../components/organisations/countries";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { GrantStateBadge } from "../../components/grants/badges";
import { MilestoneTimeline } from "../../components/grants/MilestoneTimeline";
import { MutationError, errorReason } from "../../components/grants/MutationError";
import { IneligibleConfirm } from "../../components/grants/IneligibleConfirm";
import { elapsed, todayISO } from "../../components/grants/period";
import { narrativePeriod } from "../../components/narrative/period";
import { grantValues, toGrant, type GrantValues } from "../../components/grants/grantValues";
import { idOf } from "../../components/shared/requestId";
import { sameText, useEtagEdit } from "../../components/shared/forms";
import { Detail, Details, Empty, LoadError, LoadMore, PageHeader, Section } from "../../components/shared/ui";
import { PageLoader } from "../../components/PageLoader";
import { GrantResultsLinks } from "../../components/results/ResultsLinks";
import { useMilestoneDialogs } from "../../components/milestones/MilestoneDialogs";

const GrantEditor = lazy(() => import("../../components/grants/GrantEditor"));
const BudgetSummary = lazy(() => import("../../components/budget/BudgetSummary"));

const fieldLabels: Partial<Record<keyof GrantValues, string>> = {
  donorReference: "grants:fields.donorReference",
  title: "grants:fields.title",
  currencyCode: "grants:fields.currency",
  startDate: "grants:fields.startDate",
  endDate: "grants:fields.endDate",
  totalEligibleCosts: "grants:fields.totalEligibleCosts",
  maxDonorContribution: "grants:fields.maxDonorContribution",
  coFinancingRate: "grants:fields.coFinancingRate",
  indirectCostRate: "grants:fields.indirectCostRate",
  reportingPeriodMonths: "grants:fields.reportingPeriodMonths",
  interimReportDueDays: "grants:fields.interimReportDueDays",
  finalReportDueMonths: "grants:fields.finalReportDueMonths",
  reportingLanguage: "grants:fields.reportingLanguage",
};

type Transition = "activate" | "close" | "delete";

type UpdateRequest = Pick<MessageInitShape<typeof UpdateGrantRequestSchema>, "grant" | "updateMask">;

export default function GrantPage() {
  const { id } = useParams<{ id: string }>();
  const name = `grants/${id}`;
  const { t } = useTranslation(["grants", "setup", "common"]);
  const fmt = useFormat();
  const countries = useCountries();
  const milestoneDialogs = useMilestoneDialogs({ grant: name });
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const phone = useMediaQuery("(max-width: 36em)");

  const q = useQuery(GrantService.method.getGrant, { name });
  const grant = q.data?.grant;
  const agreement = useQuery(
    FrameworkAgreementService.method.getFrameworkAgreement,
    { name: grant?.frameworkAgreement },
    { enabled: !!grant?.frameworkAgreement, retry: false },
  );

  // Editing: the grant as it was when editing began, and the etag to send.
  const update = useMutation(GrantService.method.updateGrant);
  const edit = useEtagEdit<Grant>({
    refetch: async () => (await q.refetch()).data?.grant,
    reset: update.reset,
    changes: (was, now) => {
      const before = grantValues(was);
      const after = grantValues(now);
      return (Object.keys(fieldLabels) as (keyof GrantValues)[]).filter((k) => !sameText(before[k], after[k])).map((k) => t(fieldLabels[k]!));
    },
  });
  const base = edit.base;
  const changedMeanwhile = edit.changed ?? [];
  // A change of dates that would leave recorded expenditures outside the
  // implementation period is refused until confirmed: the server lists them
  // (validate only) and the coordinator confirms their number.
  const preview = useMutation(GrantService.method.updateGrant);
  const [outside, setOutside] = useState<{ req: UpdateRequest; res: UpdateGrantResponse }>();
  const saved = () => {
    void queryClient.invalidateQueries();
    showToast({ color: "teal", message: t("grants:saved") });
    setOutside(undefined);
    edit.stop();
  };
  const save = (v: GrantValues, mask: string[]) => {
    if (mask.length === 0) {
      edit.stop();
      return;
    }
    const { frameworkAgreement: _a, donor: _d, leadOrganisation: _l, ...fields } = toGrant(v);
    const req: UpdateRequest = { grant: { name, etag: edit.etag, ...fields }, updateMask: { paths: mask } };
    update.mutate(req, {
      onSuccess: saved,
      onError: (err) => {
        if (errorReason(err) !== "EXPENDITURES_OUTSIDE_PERIOD") return;
        preview.mutate(
          { ...req, validateOnly: true },
          {
            onSuccess: (res) => {
              update.reset();
              setOutside({ req, res });
            },
          },
        );
      },
    });
  };
  const confirmOutside = () => {
    if (!outside) return;
    update.mutate({ ...outside.req, confirmIneligibleCount: outside.res.ineligibleCount }, { onSuccess: saved });
  };

  // Activate, close, delete: confirmed in a dialog.
  const activate = useMutation(GrantService.method.activateGrant);
  const close = useMutation(GrantService.method.closeGrant);
  const del = useMutation(GrantService.method.deleteGrant);
  const { step: pending, current, open: openDialog, cancel, done } = useConfirmedAction<Transition>({ activate, close, delete: del });
  const confirm = () => {
    const req = { name, etag: grant?.etag ?? "" };
    if (pending === "activate") activate.mutate(req, { onSuccess: () => done(t("grants:activated")) });
    if (pending === "close") close.mutate(req, { onSuccess: () => done(t("grants:closed")) });
    if (pending === "delete")
      del.mutate(req, {
        onSuccess: () => {
          done(t("grants:deleted"));
          navigate("/grants");
        },
      });
  };

  const projects = useInfiniteQuery(
    ProjectService.method.listProjects,
    { grant: name, pageSize: 50, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined, enabled: !!grant },
  );
  const projectRows = projects.data?.pages.flatMap((p) => p.projects) ?? [];

  if (q.isLoading) return <PageLoader />;
  if (!grant) {
    return (
      <>
        <PageHeader title={t("grants:title")} back={{ href: "/grants", label: t("grants:title") }} />
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  }

  const period = elapsed(grant.startDate, grant.endDate);
  const unit = (n: number, u: "day" | "month") => new Intl.NumberFormat(fmt.locale, { style: "unit", unit: u, unitDisplay: "long" }).format(n);
  const a = agreement.data?.frameworkAgreement;
  // What the caller may do, as the server decides it for this grant.
  const editable = grant.callerCanUpdate;
  const manage = grant.callerCanUpdate || grant.callerCanDelete;

  return (
    <>
      <PageHeader
        title={grant.title}
        back={{ href: "/grants", label: t("grants:title") }}
        subtitle={grant.donorReference}
        badge={<GrantStateBadge state={grant.state} size="lg" />}
        actions={
          <>
            {grant.state !== GrantState.DRAFT && (
              <Button component={Link} href={`/grants/${id}/expenditures`} variant="default">
                {t("common:nav.expenditures")}
              </Button>
            )}
            {grant.state !== GrantState.DRAFT && <GrantResultsLinks grant={name} />}
            {grant.callerCanReadBudget && (
              <Button component={Link} href={`/grants/${id}/report`} variant="default">
                {t("common:nav.financialReport")}
              </Button>
            )}
            {grant.callerCanReadBudget && grant.state !== GrantState.DRAFT && (
              <Button
                component={Link}
                href={`/grants/${id}/narrative/${narrativePeriod(grant.startDate, grant.endDate, grant.reportingPeriodMonths, todayISO())}`}
                variant="default"
              >
                {t("grants:narrativeReport")}
              </Button>
            )}
            {grant.callerCanReadBudget && (
              <Button component={Link} href={`/grants/${id}/funding`} variant="default">
                {t("common:nav.funding")}
              </Button>
            )}
            {grant.callerCanReadBudget && (
              <Button component={Link} href={`/grants/${id}/procurement`} variant="default">
                {t("common:nav.procurement")}
              </Button>
            )}
            {grant.callerCanReadHistory && (
              <Button component={Link} href={`/history/grants/${id}`} variant="default">
                {t("common:actions.history")}
              </Button>
            )}
            {manage && !base && (
              <>
                {editable && <Button onClick={() => edit.start(grant)}>{t("common:actions.edit")}</Button>}
                {editable && grant.state === GrantState.DRAFT && (
                  <Button color="teal" variant="outline" onClick={() => openDialog("activate")}>
                    {t("grants:activate")}
                  </Button>
                )}
                {editable && grant.state === GrantState.ACTIVE && (
                  <Button color="dark" variant="outline" onClick={() => openDialog("close")}>
                    {t("grants:close")}
                  </Button>
                )}
                {grant.callerCanDelete && (
                  <Button color="red" variant="outline" onClick={() => openDialog("delete")}>
                    {t("common:actions.delete")}
                  </Button>
                )}
              </>
            )}
          </>
        }
      />

      <Stack gap="md">
        {base ? (
          <Section title={t("grants:editTitle")} id="edit">
            {changedMeanwhile.length > 0 && (
              <Alert color="blue" variant="light" mb="md" title={t("grants:reloaded")}>
                {t("grants:changedMeanwhile", { fields: changedMeanwhile.join(", ") })}
              </Alert>
            )}
            <Suspense fallback={<PageLoader />}>
              <GrantEditor
                initial={base}
                submitLabel={t("common:actions.save")}
                pending={update.isPending || preview.isPending}
                error={outside ? null : (update.error ?? preview.error)}
                onSubmit={save}
                onCancel={edit.stop}
                onReload={() => void edit.reload()}
                reloading={edit.reloading}
              />
            </Suspense>
          </Section>
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md" role="group" aria-label={t("grants:sections.money")}>
              <MoneyCard label={t("grants:fields.totalEligibleCosts")} value={fmt.money(grant.totalEligibleCosts, grant.currencyCode)} />
              <MoneyCard
                label={t("grants:fields.maxDonorContribution")}
                value={fmt.money(grant.maxDonorContribution, grant.currencyCode)}
                strong
              />
              <MoneyCard label={t("grants:fields.coFinancingRate")} value={fmt.percent(grant.coFinancingRate)} />
              <MoneyCard
                label={t("grants:card.indirectCostRate")}
                value={Number(grant.indirectCostRate || "0") > 0 ? fmt.percent(grant.indirectCostRate) : t("grants:card.indirectNone")}
                note={t("grants:card.indirectNote")}
              />
            </SimpleGrid>

            <Section title={t("grants:sections.period")} id="period">
              {period ? (
                <Stack gap="xs">
                  <Group justify="space-between" gap="xs">
                    <Text size="sm" fw={600}>
                      {fmt.date(grant.startDate)} – {fmt.date(grant.endDate)}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {period.phase === "before"
                        ? t("grants:period.notStarted")
                        : period.phase === "ended"
                          ? t("grants:period.ended")
                          : t("grants:period.day", { done: fmt.number(period.done), total: fmt.number(period.total) })}
                    </Text>
                  </Group>
                  <Progress
                    value={period.percent}
                    size="lg"
                    radius="xl"
                    color={period.phase === "ended" ? "gray" : "teal"}
                    aria-label={t("grants:period.elapsedLabel")}
                  />
                  <Text size="sm">
                    {t("grants:period.elapsed", { percent: new Intl.NumberFormat(fmt.locale, { style: "percent" }).format(period.percent / 100) })}
                  </Text>
                </Stack>
              ) : (
                <Empty />
              )}
            </Section>

            {grant.callerCanReadBudget && (
              <Suspense fallback={<PageLoader />}>
                <BudgetSummary grant={grant} manage={grant.callerCanManageBudget} />
              </Suspense>
            )}

            <Section title={t("grants:sections.contract")} id="contract">
              <Details>
                <Detail label={t("grants:fields.donorReference")}>{grant.donorReference}</Detail>
                <Detail label={t("grants:fields.agreement")}>
                  {grant.frameworkAgreement ? (
                    <Anchor component={Link} href={`/agreements/${idOf(grant.frameworkAgreement)}`}>
                      {a?.reference ?? t("grants:fields.agreement")}
                    </Anchor>
                  ) : (
                    t("grants:form.standalone")
                  )}
                </Detail>
                <Detail label={t("grants:fields.currency")}>{grant.currencyCode}</Detail>
                <Detail label={t("grants:fields.donor")}>
                  <OrganisationName name={grant.donor} />
                </Detail>
                <Detail label={t("grants:fields.lead")}>
                  <OrganisationName name={grant.leadOrganisation} />
                </Detail>
                <Detail label={t("grants:fields.reportingPeriodMonths")}>
                  {grant.reportingPeriodMonths > 0 && t("grants:details.reportingPeriod", { months: unit(grant.reportingPeriodMonths, "month") })}
                </Detail>
                <Detail label={t("grants:fields.interimReportDueDays")}>
                  {grant.interimReportDueDays !== undefined && t("grants:details.interimDue", { days: unit(grant.interimReportDueDays, "day") })}
                </Detail>
                <Detail label={t("grants:fields.finalReportDueMonths")}>
                  {grant.finalReportDueMonths !== undefined && t("grants:details.finalDue", { months: unit(grant.finalReportDueMonths, "month") })}
                </Detail>
                <Detail label={t("grants:fields.reportingLanguage")}>{t(`grants:languages.${grant.reportingLanguage || "en"}`)}</Detail>
              </Details>
            </Section>
          </>
        )}

        <Section
          title={t("grants:milestones.title")}
          id="milestones"
          actions={
            grant.callerCanUpdate &&
            grant.state !== GrantState.CLOSED && (
              <Button size="xs" variant="light" onClick={milestoneDialogs.add}>
                {t("setup:milestone.add")}
              </Button>
            )
          }
        >
          <MilestoneTimeline grant={name} actions={grant.state !== GrantState.CLOSED ? milestoneDialogs.actions : undefined} />
        </Section>

        <Section
          title={t("grants:sections.projects")}
          id="projects"
          actions={
            editable && (
              <Button component={Link} href={`/grants/${id}/projects/new`} size="xs" variant="light">
                {t("setup:project.newTitle")}
              </Button>
            )
          }
        >
          {projects.error ? (
            <LoadError error={projects.error} onRetry={() => void projects.refetch()} />
          ) : projects.isLoading ? (
            <Empty>{t("common:loading")}</Empty>
          ) : projectRows.length === 0 ? (
            <Stack gap="xs" align="center" py="sm">
              <Text size="sm" c="dimmed">
                {t("grants:projects.none")}
              </Text>
              {editable && (
                <Button component={Link} href={`/grants/${id}/projects/new`}>
                  {t("setup:project.addFirst")}
                </Button>
              )}
            </Stack>
          ) : (
            <>
              <Table.ScrollContainer minWidth={600} type="native">
                <Table verticalSpacing="xs" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr style={{ whiteSpace: "nowrap" }}>
                      <Table.Th scope="col">{t("grants:projects.code")}</Table.Th>
                      <Table.Th scope="col" miw={220}>
                        {t("grants:projects.title")}
                      </Table.Th>
                      <Table.Th scope="col">{t("grants:projects.countries")}</Table.Th>
                      <Table.Th scope="col">{t("grants:projects.coordinator")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {projectRows.map((p) => (
                      <Table.Tr key={p.name}>
                        <Table.Td>
                          <Anchor component={Link} href={`/${p.name}`} fz="sm" fw={600}>
                            {p.code || t("common:none")}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{p.title}</Table.Td>
                        <Table.Td>{p.countryCodes.map((c) => countries.name(c)).join(", ") || t("common:none")}</Table.Td>
                        <Table.Td>
                          <OrganisationName
                            name={p.participants.find((x) => x.role === ParticipantRole.COORDINATOR)?.organisation}
                            short
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <LoadMore hasMore={projects.hasNextPage} loading={projects.isFetchingNextPage} onClick={() => void projects.fetchNextPage()} />
            </>
          )}
        </Section>
      </Stack>

      <IneligibleConfirm
        preview={outside?.res}
        currency={grant.currencyCode}
        pending={update.isPending}
        error={outside ? update.error : null}
        onConfirm={confirmOutside}
        onCancel={() => {
          update.reset();
          setOutside(undefined);
        }}
      />

      {milestoneDialogs.dialogs}
      <Modal
        opened={!!pending}
        onClose={cancel}
        title={pending ? t(`grants:dialogs.${pending}.title`) : ""}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{pending && t(`grants:dialogs.${pending}.body`, { reference: grant.donorReference })}</Text>
          <MutationError error={current.error} reasonsNs="grants" onReload={() => void q.refetch().then(() => current.reset())} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={cancel} disabled={current.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button color={pending === "activate" ? "teal" : pending === "close" ? "dark" : "red"} onClick={confirm} loading={current.isPending} disabled={!!errorReason(current.error)}>
              {pending && t(`grants:dialogs.${pending}.confirm`)}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function MoneyCard({ label, value, strong, note }: { label: string; value: string; strong?: boolean; note?: string }) {
  return (
    <Paper withBorder radius="md" p="md" bg={strong ? "teal.0" : undefined}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.03em" }}>
        {label}
      </Text>
      <Text fz={{ base: "xl", md: 26 }} fw={700} mt={4} style={{ fontVariantNumeric: "tabular-nums", overflowWrap: "anywhere" }}>
        {value}
      </Text>
      {note && (
        <Text size="xs" c="gray.7" mt={2}>
          {note}
        </Text>
      )}
    </Paper>
  );
}
