// /grants/:id/expenditures: what a grant spent, newest first, in the
// currency paid and converted to the grant currency, with the rate used.
// Filters (status, partner, project, waiting for a rate, dates) live in the
// address (?rateMissing=1 shows only those waiting for a rate). Expenditures
// without a rate are flagged and left out of the total, with a warning that
// counts them across the whole filtered list. Phones get cards.
import { Alert, Anchor, Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { useInfiniteQuery, useQuery } from "@connectrpc/connect-query";
import { Link, useParams, useSearchParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ExpenditureService, ExpenditureStatus, type Expenditure } from "../../gen/pactum/v1/expenditure_pb";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { useFormat } from "../../lib/format";
import { isPartner, useSession } from "../../lib/session";
import { Empty, LoadError, LoadMore, PageHeader, Section } from "../../components/shared/ui";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { idOf } from "../../components/shared/requestId";
import { minorDigits } from "../../components/grants/currencies";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { useOrganisations } from "../../components/projects/lookups";
import { sumDecimals } from "../../lib/decimal";
import { IneligibleBadge, RateMissingBadge, StatusBadge, lineLabel, numeric, projectRef, srOnly, statusKey, useGrantParties, useLatestBudget, useRateFormat, warning, warnText, pickerStyles } from "../../components/expenditures/shared";
import { PageLoader } from "../../components/PageLoader";
import { DateField } from "../../components/shared/DateField";

const statuses = [ExpenditureStatus.DRAFT, ExpenditureStatus.SUBMITTED, ExpenditureStatus.VERIFIED, ExpenditureStatus.REJECTED];

export default function GrantExpenditures() {
  return (
    <DatesSetup>
      <ExpenditureList />
    </DatesSetup>
  );
}

function ExpenditureList() {
  const { id } = useParams<{ id: string }>();
  const grantName = `grants/${id}`;
  const { t } = useTranslation(["expenditures", "common", "finance"]);
  const fmt = useFormat();
  const { user, permissions } = useSession();
  const phone = useMediaQuery("(max-width: 48em)", window.matchMedia("(max-width: 48em)").matches, { getInitialValueInEffect: false });
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(false);
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const partner = params.get("partner") ?? "";
  const project = params.get("project") ?? "";
  const rateMissing = params.get("rateMissing") === "1";
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

  const grantQ = useQuery(GrantService.method.getGrant, { name: grantName });
  const grant = grantQ.data?.grant;
  const budget = useLatestBudget(grantName);
  const parties = useGrantParties(grantName);
  const organisations = useOrganisations();
  const rateFmt = useRateFormat();

  const list = useInfiniteQuery(
    ExpenditureService.method.listExpenditures,
    {
      parent: grantName,
      pageSize: 50,
      pageToken: "",
      status: status ? (Number(status) as ExpenditureStatus) : ExpenditureStatus.UNSPECIFIED,
      organisation: partner,
      project: project ? projectRef(grantName, project) : "",
      rateMissingOnly: rateMissing,
      fromDate: from,
      toDate: to,
    },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const rows = list.data?.pages.flatMap((p) => p.expenditures) ?? [];
  const missingCount = list.data?.pages[0]?.rateMissingCount ?? 0;
  const filtered = !!(status || partner || project || rateMissing || from || to);
  const activeFilters = [status, partner, project, rateMissing ? "1" : "", from || to].filter(Boolean).length;

  if (grantQ.isLoading) return <PageLoader />;
  if (!grant) {
    return (
      <>
        <PageHeader title={t("expenditures:title")} back={{ href: "/expenditures", label: t("expenditures:title") }} />
        <LoadError error={grantQ.error} onRetry={() => void grantQ.refetch()} />
      </>
    );
  }
  const currency = grant.currencyCode;
  const converted = rows.filter((e) => !e.rateMissing && e.convertedAmount);
  const total = sumDecimals(
    converted.map((e) => e.convertedAmount),
    minorDigits(currency),
  );
  const lineOf = (e: Expenditure) => {
    const l = budget.line(e.budgetLineKey);
    return l ? l.code : e.budgetLineKey;
  };
  const detail = (e: Expenditure) => `/grants/${id}/expenditures/${idOf(e.name)}`;
  const orgOptions = (isPartner(user) ? parties.organisations.filter((o) => user?.memberships.some((m) => m.organisation === o)) : parties.organisations)
    .map((n) => {
      const o = organisations.get(n);
      return { value: n, label: o ? o.shortName || o.displayName : n };
    })
    .sort((a, b) => a.label.localeCompare(b.label));

  return (
    <>
      <PageHeader
        title={t("expenditures:title")}
        back={{ href: `/grants/${id}`, label: grant.title }}
        subtitle={`${grant.donorReference} · ${t("expenditures:convertedTo", { currency })}`}
        actions={
          <>
            {grant.callerCanManageBudget && (
              <>
                <Button component={Link} href={`/grants/${id}/transfers`} variant="default">
                  {t("expenditures:transfers.link")}
                </Button>
                <Button component={Link} href={`/grants/${id}/expenditures/import`} variant="default">
                  {t("expenditures:import.link")}
                </Button>
              </>
            )}
            {grant.callerCanVerifyExpenditures && (
              <Button component={Link} href={`/grants/${id}/expenditures/verify`} variant="default">
                {t("finance:queue.title")}
              </Button>
            )}
            {grant.callerCanRecordExpenditures && (
              <Button component={Link} href={`/grants/${id}/expenditures/new`}>
                {t("expenditures:record")}
              </Button>
            )}
          </>
        }
      />

      <Stack gap="md">
        {missingCount > 0 && (
          <Alert {...warning} role="status" title={t("expenditures:rateMissing.bannerTitle", { count: missingCount, formatted: fmt.number(missingCount) })}>
            <Text size="sm" mb={rateMissing ? 0 : "xs"}>
              {t("expenditures:rateMissing.bannerBody", { currency })}
            </Text>
            <Group gap="xs">
              {!rateMissing && (
                <Button size="xs" variant="default" onClick={() => setParam("rateMissing", "1")}>
                  {t("expenditures:rateMissing.showThem")}
                </Button>
              )}
              {permissions?.manageExchangeRates && (
                <Button size="xs" variant="default" component={Link} href="/rates">
                  {t("expenditures:rateMissing.toRates")}
                </Button>
              )}
            </Group>
          </Alert>
        )}

        <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }}>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 6 }} spacing="sm" role="search" aria-label={t("expenditures:filters.label")}>
            <Select
              label={t("expenditures:filters.status")}
              placeholder={t("expenditures:filters.any")}
              clearable
              data={statuses.map((s) => ({ value: String(s), label: t(`expenditures:status.${statusKey(s)}`) }))}
              value={status || null}
              onChange={(v) => setParam("status", v)}
              clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
              rightSectionPointerEvents={status ? "all" : "none"}
            />
            {(!phone || filtersOpen) && (
              <>
                <Select
                  label={t("expenditures:filters.partner")}
                  placeholder={t("expenditures:filters.any")}
                  clearable
                  searchable
                  data={orgOptions}
                  value={partner || null}
                  onChange={(v) => setParam("partner", v)}
                  nothingFoundMessage={t("common:empty")}
                  clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                />
                <Select
                  label={t("expenditures:filters.project")}
                  placeholder={t("expenditures:filters.any")}
                  clearable
                  searchable
                  data={parties.projects.map((p) => ({ value: idOf(p.name), label: p.code || p.title }))}
                  value={project || null}
                  onChange={(v) => setParam("project", v)}
                  nothingFoundMessage={t("common:empty")}
                  clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                />
                <DateField
                  styles={pickerStyles}
                  label={t("expenditures:filters.from")}
                  placeholder={t("expenditures:filters.anyDate")}
                  valueFormat="D MMM YYYY"
                  clearable
                  value={from || null}
                  onChange={(v) => setParam("from", v ? String(v).slice(0, 10) : null)}
                  minDate={grant.startDate || undefined}
                  maxDate={to || grant.endDate || undefined}
                  clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                />
                <DateField
                  styles={pickerStyles}
                  label={t("expenditures:filters.to")}
                  placeholder={t("expenditures:filters.anyDate")}
                  valueFormat="D MMM YYYY"
                  clearable
                  value={to || null}
                  onChange={(v) => setParam("to", v ? String(v).slice(0, 10) : null)}
                  minDate={from || grant.startDate || undefined}
                  maxDate={grant.endDate || undefined}
                  clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                />
                <Stack justify="flex-end" pb={6}>
                  <Checkbox
                    label={t("expenditures:filters.rateMissing")}
                    checked={rateMissing}
                    onChange={(e) => setParam("rateMissing", e.currentTarget.checked ? "1" : null)}
                  />
                </Stack>
              </>
            )}
          </SimpleGrid>
          {(phone || filtered) && (
            <Group gap="xs" mt="sm">
              {phone && (
                <Button size="compact-sm" variant="default" onClick={toggleFilters} aria-expanded={filtersOpen}>
                  {filtersOpen ? t("expenditures:filters.fewer") : t("expenditures:filters.more")}
                  {!filtersOpen && activeFilters > 0 && ` (${activeFilters})`}
                </Button>
              )}
              {filtered && (
                <Button size="compact-sm" variant="subtle" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
                  {t("common:actions.clear")}
                </Button>
              )}
            </Group>
          )}
        </Paper>

        <Section
          title={t("expenditures:listTitle")}
          id="expenditure-list"
          actions={
            rows.length > 0 && (
              <Text size="sm" c="dimmed">
                {t("expenditures:shown", { count: rows.length, formatted: fmt.number(rows.length) })}
                {list.hasNextPage ? ` ${t("expenditures:moreAvailable")}` : ""}
              </Text>
            )
          }
        >
          {list.error ? (
            <LoadError error={list.error} onRetry={() => void list.refetch()} />
          ) : list.isLoading ? (
            <Empty>{t("common:loading")}</Empty>
          ) : rows.length === 0 ? (
            <Empty>{filtered ? t("expenditures:noneMatch") : t("expenditures:none")}</Empty>
          ) : phone ? (
            <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label={t("expenditures:listTitle")}>
              {rows.map((e) => (
                <Paper component="li" key={e.name} withBorder radius="md" p="sm" style={e.rateMissing ? { borderLeft: "4px solid var(--mantine-color-orange-6)" } : undefined}>
                  <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                    <Anchor component={Link} href={detail(e)} fw={600} fz="sm">
                      {fmt.date(e.expenseDate)}
                      {e.documentRef && ` · ${e.documentRef}`}
                    </Anchor>
                    <Group gap={4} justify="flex-end">
                      <StatusBadge status={e.status} />
                      <IneligibleBadge day={e.expenseDate} grant={grant} />
                    </Group>
                  </Group>
                  <Text size="sm" mt={4} style={{ overflowWrap: "anywhere" }}>
                    {e.payee || t("common:none")}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {lineLabel(budget.line(e.budgetLineKey), e.budgetLineKey)} · <OrganisationName name={e.organisation} link={false} short />
                  </Text>
                  <Group justify="space-between" mt={6} gap="xs" wrap="wrap">
                    <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
                      {fmt.money(e.amount, e.currencyCode)}
                    </Text>
                    {e.rateMissing ? (
                      <RateMissingBadge />
                    ) : (
                      <Text size="sm" fw={700} style={{ fontVariantNumeric: "tabular-nums" }}>
                        {fmt.money(e.convertedAmount, currency)}
                      </Text>
                    )}
                  </Group>
                  {e.rateMissing && e.rateProblem && (
                    <Text size="xs" c={warnText} mt={4} lang="en">
                      {e.rateProblem}
                    </Text>
                  )}
                </Paper>
              ))}
              <Paper component="li" withBorder radius="md" p="sm" bg="gray.0">
                <Group justify="space-between" gap="xs">
                  <Text size="sm" fw={700}>
                    {t("expenditures:total")}
                  </Text>
                  <Text size="sm" fw={700} style={{ fontVariantNumeric: "tabular-nums" }}>
                    {fmt.money(total, currency)}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {t("expenditures:totalNote", { count: converted.length, formatted: fmt.number(converted.length) })}
                </Text>
              </Paper>
            </Stack>
          ) : (
            <Table.ScrollContainer minWidth={940} type="native" style={{ position: "relative" }}>
              <Table verticalSpacing="xs" horizontalSpacing="xs" highlightOnHover>
                <Table.Caption style={srOnly}>{t("expenditures:listTitle")}</Table.Caption>
                <Table.Thead>
                  <Table.Tr style={{ whiteSpace: "nowrap" }}>
                    <Table.Th scope="col">{t("expenditures:columns.dateDocument")}</Table.Th>
                    <Table.Th scope="col">{t("expenditures:columns.payee")}</Table.Th>
                    <Table.Th scope="col">{t("expenditures:columns.line")}</Table.Th>
                    <Table.Th scope="col">{t("expenditures:columns.partner")}</Table.Th>
                    <Table.Th scope="col" style={{ textAlign: "right" }}>
                      {t("expenditures:columns.amount")}
                    </Table.Th>
                    <Table.Th scope="col" style={{ textAlign: "right" }}>
                      {t("expenditures:columns.rate")}
                    </Table.Th>
                    <Table.Th scope="col" style={{ textAlign: "right" }}>
                      {t("expenditures:columns.converted", { currency })}
                    </Table.Th>
                    <Table.Th scope="col">{t("expenditures:columns.status")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((e) => (
                    <Table.Tr key={e.name} bg={e.rateMissing ? "orange.0" : undefined}>
                      <Table.Td style={{ whiteSpace: "nowrap" }}>
                        <Anchor component={Link} href={detail(e)} fz="sm" fw={600}>
                          {fmt.date(e.expenseDate)}
                        </Anchor>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {e.documentRef || t("common:none")}
                        </Text>
                      </Table.Td>
                      <Table.Td maw={220}>
                        <Text size="sm" lineClamp={2} title={e.description || undefined}>
                          {e.payee || t("common:none")}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: "nowrap" }} title={lineLabel(budget.line(e.budgetLineKey), e.budgetLineKey)}>
                        {lineOf(e)}
                      </Table.Td>
                      <Table.Td maw={160}>
                        <Text size="sm" truncate>
                          <OrganisationName name={e.organisation} link={false} short />
                        </Text>
                      </Table.Td>
                      <Table.Td style={numeric}>{fmt.money(e.amount, e.currencyCode)}</Table.Td>
                      <Table.Td style={numeric}>
                        {e.rateMissing ? (
                          <RateMissingBadge problem={e.rateProblem} />
                        ) : e.rate ? (
                          <span title={e.rateSource}>{rateFmt(e.rate)}</span>
                        ) : (
                          t("common:none")
                        )}
                      </Table.Td>
                      <Table.Td style={{ ...numeric, fontWeight: 600 }}>{e.rateMissing ? t("common:none") : fmt.money(e.convertedAmount, currency)}</Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <StatusBadge status={e.status} />
                          <IneligibleBadge day={e.expenseDate} grant={grant} />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr style={{ borderTop: "2px solid var(--mantine-color-gray-5)" }}>
                    <Table.Th scope="row" colSpan={6}>
                      {t("expenditures:total")}
                      <Text span size="xs" c="dimmed" fw={400} ml="xs">
                        {t("expenditures:totalNote", { count: converted.length, formatted: fmt.number(converted.length) })}
                      </Text>
                    </Table.Th>
                    <Table.Td style={{ ...numeric, fontWeight: 700 }}>{fmt.money(total, currency)}</Table.Td>
                    <Table.Td />
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
          )}
          <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
        </Section>
      </Stack>
    </>
  );
}
