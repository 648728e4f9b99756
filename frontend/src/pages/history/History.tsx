// /history/:collection/:id: a record's history from the audit trail, oldest
// first: when, who, what they did and each changed field with its old and
// new value, shown as the record's own screens show them (money in the grant
// currency, dates in the user's language, organisations by name). For a
// grant, its projects' and milestones' events can be included. Those who may
// not read the trail are told so, and who may.
import { useState } from "react";
import { Alert, Anchor, Badge, Group, Paper, Stack, Switch, Table, Text } from "@mantine/core";
import { useInfiniteQuery, useQuery } from "@connectrpc/connect-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Link, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { AuditService, type AuditEvent, type FieldChange } from "../../gen/pactum/v1/audit_pb";
import { FrameworkAgreementService } from "../../gen/pactum/v1/framework_agreement_pb";
import { GrantService } from "../../gen/pactum/v1/grant_pb";
import { MilestoneService } from "../../gen/pactum/v1/milestone_pb";
import { OrganisationService } from "../../gen/pactum/v1/organisation_pb";
import { ProgressUpdateService } from "../../gen/pactum/v1/progress_update_pb";
import { ProjectService } from "../../gen/pactum/v1/project_pb";
import { UserService } from "../../gen/pactum/v1/user_pb";
import { useFormat } from "../../lib/format";
import { isAdmin, useSession } from "../../lib/session";
import { useCountries } from "../../components/organisations/countries";
import { OrganisationName } from "../../components/organisations/OrganisationName";
import { GrantRef } from "../../components/grants/GrantRef";
import { minorDigits } from "../../components/grants/currencies";
import { Empty, LoadError, LoadMore, PageHeader } from "../../components/shared/ui";

// Where each collection's records are shown.
const pages: Record<string, string> = {
  organisations: "/organisations/",
  grants: "/grants/",
  frameworkAgreements: "/agreements/",
  projects: "/projects/",
  progressUpdates: "/progress/",
};

// Bookkeeping columns not worth showing.
// (Who closed or cancelled is the event's actor, shown already.)
const hidden = new Set(["id", "generator_key", "search_name", "closed_by", "cancelled_by", "cancelled_by_name"]);

const actionColours: Record<string, string> = {
  create: "teal",
  generate: "teal",
  regenerate: "cyan",
  update: "blue",
  delete: "red",
  activate: "green",
  close: "dark",
  reopen: "teal",
  cancel: "red",
  submit: "indigo",
  accept: "green",
  resubmit: "indigo",
  return: "orange",
  approve: "green",
  comment: "gray",
  sign_in_failed: "orange",
};

export default function History() {
  const { collection, id } = useParams<{ collection: string; id: string }>();
  const resource = `${collection}/${id}`;
  const { t } = useTranslation(["history", "common"]);
  const { user, permissions } = useSession();
  const isGrant = collection === "grants";
  const [wholeGrant, setWholeGrant] = useState(false);

  // For a grant, the grant filter makes the server say whether the caller
  // may read its trail (instead of an empty list).
  const q = useInfiniteQuery(
    AuditService.method.listAuditEvents,
    { pageSize: 50, pageToken: "", resource: isGrant && wholeGrant ? "" : resource, grant: isGrant ? resource : "" },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined, retry: false },
  );
  const events = q.data?.pages.flatMap((p) => p.auditEvents) ?? [];
  const denied = q.error instanceof ConnectError && q.error.code === Code.PermissionDenied;
  const back = pages[collection] ? `${pages[collection]}${id}` : undefined;

  return (
    <>
      <PageHeader
        title={t("history:title")}
        subtitle={<RecordLabel collection={collection} name={resource} />}
        back={back ? { href: back, label: t("history:backToRecord") } : undefined}
      />
      {isGrant && !denied && (
        <Switch
          mb="md"
          label={t("history:wholeGrant")}
          description={t("history:wholeGrantHelp")}
          checked={wholeGrant}
          onChange={(e) => setWholeGrant(e.currentTarget.checked)}
        />
      )}
      {denied ? (
        <Alert color="yellow" variant="light" title={t("history:denied.title")} role="alert">
          {t("history:denied.body")}
        </Alert>
      ) : q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.isLoading ? (
        <Empty>{t("common:loading")}</Empty>
      ) : events.length === 0 ? (
        isAdmin(user) ? (
          <Empty>{t("history:empty")}</Empty>
        ) : (
          <Alert color="gray" variant="light" title={t("history:emptyRestricted.title")}>
            {t("history:emptyRestricted.body")}
          </Alert>
        )
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="sm">
            {t("history:order")}
          </Text>
          <Stack gap="sm" component="ol" p={0} m={0} style={{ listStyle: "none" }}>
            {events.map((e) => (
              <EventCard key={e.name} event={e} showResource={e.resource !== resource} canSeeUsers={!!permissions?.manageUsers} self={user?.name} />
            ))}
          </Stack>
          <LoadMore hasMore={q.hasNextPage} loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} />
        </>
      )}
    </>
  );
}

function humanise(s: string): string {
  const h = s.replace(/_/g, " ");
  return h.charAt(0).toUpperCase() + h.slice(1);
}

function label(t: TFunction, group: string, key: string): string {
  return t(`history:${group}.${key}`, { defaultValue: humanise(key) });
}

function EventCard({ event, showResource, canSeeUsers, self }: { event: AuditEvent; showResource: boolean; canSeeUsers: boolean; self?: string }) {
  const { t } = useTranslation(["history", "common"]);
  const fmt = useFormat();
  const changes = event.changes.filter((c) => !hidden.has(c.field));
  const creation = (event.action === "create" || event.action === "generate") && changes.every((c) => !c.oldValue);
  const deletion = event.action === "delete" && changes.every((c) => !c.newValue);
  const currency =
    event.changes.find((c) => c.field === "currency_code")?.newValue ||
    event.changes.find((c) => c.field === "currency_code")?.oldValue ||
    undefined;
  const segments = event.resource.split("/");
  // A grant's procurement contracts are told apart by their own collection.
  const collection = segments[2] === "procurementContracts" ? "procurementContracts" : segments[0];
  return (
    <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="li">
      <Group justify="space-between" gap="xs" mb={changes.length ? "sm" : 0} wrap="wrap">
        <Group gap="xs" wrap="wrap">
          <Badge color={actionColours[event.action] ?? "gray"} variant="light">
            {label(t, "actions", event.action)}
          </Badge>
          <Text size="sm" fw={600}>
            <Actor actor={event.actor} canSeeUsers={canSeeUsers} self={self} />
          </Text>
        </Group>
        <Text size="sm" c="dimmed" component="time" dateTime={event.eventTime ? timestampDate(event.eventTime).toISOString() : undefined}>
          {event.eventTime && fmt.dateTime(timestampDate(event.eventTime))}
        </Text>
      </Group>
      {showResource && (
        <Text size="sm" c="dimmed" mt={-4} mb="xs">
          <ResourceLink name={event.resource} />
        </Text>
      )}
      {changes.length > 0 && (
        <Table.ScrollContainer minWidth={creation || deletion ? 320 : 520} type="native">
          <Table verticalSpacing={4} horizontalSpacing="sm" fz="sm" withRowBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w="30%">
                  {t("history:field")}
                </Table.Th>
                {!creation && <Table.Th scope="col">{deletion ? t("history:lastValue") : t("history:before")}</Table.Th>}
                {!deletion && <Table.Th scope="col">{creation ? t("history:value") : t("history:after")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((c) => (
                <Table.Tr key={c.field}>
                  <Table.Td c="dimmed">{label(t, "fields", c.field)}</Table.Td>
                  {!creation && (
                    <Table.Td td={deletion ? undefined : "line-through"} c={deletion ? undefined : "dimmed"}>
                      <Value change={c} value={c.oldValue} collection={collection} currency={currency} grant={event.grant || (collection === "grants" ? event.resource : "")} />
                    </Table.Td>
                  )}
                  {!deletion && (
                    <Table.Td fw={creation ? undefined : 500}>
                      <Value change={c} value={c.newValue} collection={collection} currency={currency} grant={event.grant || (collection === "grants" ? event.resource : "")} />
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

// minorToDecimal: "240000000" with 2 decimals is "2400000.00"; digits only,
// no floats.
function minorToDecimal(minor: string, scale: number): string | undefined {
  if (!/^\d+$/.test(minor)) return undefined;
  if (scale === 0) return minor;
  const d = minor.padStart(scale + 1, "0");
  return `${d.slice(0, -scale)}.${d.slice(-scale)}`;
}

const enumGroups: Record<string, string> = {
  "organisations.kind": "organisationKind",
  "organisations.region": "region",
  "grants.state": "grantState",
  "milestones.kind": "milestoneKind",
  "milestones.status": "milestoneStatus",
  "procurementContracts.award_procedure": "procurementProcedure",
};

function Value({ change, value, collection, currency, grant }: { change: FieldChange; value: string; collection: string; currency?: string; grant: string }) {
  const { t, i18n } = useTranslation(["history", "common"]);
  const fmt = useFormat();
  const countries = useCountries();
  const f = change.field;
  const isMoney = f === "total_eligible_costs" || f === "max_donor_contribution" || (collection === "procurementContracts" && f === "amount");
  const needsCurrency = isMoney && !currency;
  const g = useQuery(GrantService.method.getGrant, { name: grant }, { enabled: needsCurrency && !!grant, staleTime: 5 * 60_000, retry: false });
  if (!value) return <Text span c="dimmed" size="sm">{t("common:none")}</Text>;

  if (isMoney) {
    const cur = currency ?? g.data?.grant?.currencyCode;
    const dec = cur ? minorToDecimal(value, minorDigits(cur)) : undefined;
    return <>{dec ? fmt.money(dec, cur) : value}</>;
  }
  if (f === "co_financing_rate_bp" || f === "indirect_cost_rate_bp") {
    const dec = minorToDecimal(value, 2);
    return <>{dec ? fmt.percent(dec) : value}</>;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return <>{fmt.date(value)}</>;
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value)) return <>{fmt.dateTime(new Date(value))}</>;
  if (f === "edited" || f === "consent") return <>{value === "true" ? t("history:yes") : t("history:no")}</>;
  if (f === "reporting_language") return <>{new Intl.DisplayNames([i18n.language], { type: "language" }).of(value) ?? value}</>;
  if (f === "country_code") return <>{countries.name(value)}</>;
  if (f === "country_codes") return <>{value.split(/,\s*/).map((c) => countries.name(c)).join(", ")}</>;
  if (f === "donor_id" || f === "lead_organisation_id" || f === "responsible_organisation_id" || f === "organisation_id") {
    return <OrganisationName name={`organisations/${value}`} />;
  }
  if (f === "grant_id") return <GrantRef name={`grants/${value}`} />;
  if (f === "framework_agreement_id") return <ResourceLink name={`frameworkAgreements/${value}`} bare />;
  if (f === "project_id") return <ResourceLink name={`projects/${value}`} bare />;
  if (f === "participants") {
    const parts = [...value.matchAll(/(organisations\/[^\s,]+) \(([a-z_]+)\)/g)];
    if (parts.length) {
      return (
        <Stack gap={2}>
          {parts.map(([, org, role]) => (
            <Text size="sm" key={org}>
              <OrganisationName name={org} short /> ({t(`common:participantRole.${role.toUpperCase()}`, { defaultValue: humanise(role) })})
            </Text>
          ))}
        </Stack>
      );
    }
  }
  const group = enumGroups[`${collection}.${f}`];
  if (group && i18n.exists(`common:${group}.${value.toUpperCase()}`)) return <>{t(`common:${group}.${value.toUpperCase()}`)}</>;
  return <span style={{ whiteSpace: "pre-line", overflowWrap: "anywhere" }}>{value}</span>;
}

// ResourceLink: a record named by its resource name, labelled by what it is.
function ResourceLink({ name, bare }: { name: string; bare?: boolean }) {
  const [collection, id] = name.split("/");
  const page = pages[collection];
  const text = <RecordLabel collection={collection} name={name} short bare={bare} />;
  return page ? (
    <Anchor component={Link} href={`${page}${id}`} fz="inherit">
      {text}
    </Anchor>
  ) : (
    text
  );
}

// RecordLabel: "Grant CSO-LA/2023/451-203", "Organisation GADW", ...
function RecordLabel({ collection, name, short, bare }: { collection: string; name: string; short?: boolean; bare?: boolean }) {
  const { t } = useTranslation(["history", "common"]);
  const opts = { staleTime: 5 * 60_000, retry: false } as const;
  const org = useQuery(OrganisationService.method.getOrganisation, { name }, { ...opts, enabled: collection === "organisations" });
  const grant = useQuery(GrantService.method.getGrant, { name }, { ...opts, enabled: collection === "grants" });
  const agreement = useQuery(FrameworkAgreementService.method.getFrameworkAgreement, { name }, { ...opts, enabled: collection === "frameworkAgreements" });
  const project = useQuery(ProjectService.method.getProject, { name }, { ...opts, enabled: collection === "projects" });
  const milestone = useQuery(MilestoneService.method.getMilestone, { name }, { ...opts, enabled: collection === "milestones" });
  const update = useQuery(ProgressUpdateService.method.getProgressUpdate, { name }, { ...opts, enabled: collection === "progressUpdates" });
  let text = "";
  if (org.data?.organisation) text = short ? org.data.organisation.shortName || org.data.organisation.displayName : org.data.organisation.displayName;
  if (grant.data?.grant) text = short ? grant.data.grant.donorReference : `${grant.data.grant.donorReference} – ${grant.data.grant.title}`;
  if (agreement.data?.frameworkAgreement) text = agreement.data.frameworkAgreement.reference;
  if (project.data?.project) text = short ? project.data.project.code : `${project.data.project.code} – ${project.data.project.title}`;
  if (milestone.data?.milestone) text = milestone.data.milestone.title;
  if (update.data?.progressUpdate) text = update.data.progressUpdate.title;
  const kind = t(`history:collections.${collection}`, { defaultValue: humanise(collection) });
  // A title that already says what it is ("Progress update KE-01, quarter 1").
  if ((bare || text.toLowerCase().startsWith(kind.toLowerCase())) && text) return <>{text}</>;
  return (
    <>
      {kind}
      {text ? ` ${text}` : ""}
    </>
  );
}

function Actor({ actor, canSeeUsers, self }: { actor: string; canSeeUsers: boolean; self?: string }) {
  const { t } = useTranslation(["history", "common"]);
  const isUser = actor.startsWith("users/");
  const u = useQuery(UserService.method.getUser, { name: actor }, { enabled: isUser && canSeeUsers && actor !== self, staleTime: 10 * 60_000, retry: false });
  if (actor === "system") return <>{t("history:system")}</>;
  if (actor === "anonymous" || !actor) return <>{t("history:anonymous")}</>;
  if (actor === self) return <>{t("history:you")}</>;
  const person = u.data?.user;
  if (person) return <>{person.displayName || person.email}</>;
  return <>{t("history:someone", { id: actor.slice(actor.indexOf("/") + 1, actor.indexOf("/") + 9) })}</>;
}
