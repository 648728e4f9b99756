// /organisations/:id: an organisation's details and contact, and the
// organisation in context: the grants it leads or funds, the projects it
// takes part in (with its role) and its people; for coordinators, editing
// and deleting it. Editing
// sends only the fields the user changed, with the etag of the record as it
// was when editing began; if someone else saved meanwhile, Reload takes the
// new etag and keeps what the user typed.
import { useState } from "react";
import { Alert, Anchor, Badge, Button, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { showToast } from "../../lib/toast";
import { useInfiniteQuery, useMutation, useQuery } from "@connectrpc/connect-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { OrganisationKindSchema, OrganisationService, RegionSchema, type Organisation } from "../../gen/pactum/v1/organisation_pb";
import { ParticipantRoleSchema, ProjectService } from "../../gen/pactum/v1/project_pb";
import { enumLabel } from "../../lib/enums";
import { useFormat } from "../../lib/format";
import { useCountries } from "../../components/organisations/countries";
import { OrganisationForm, toMessage, valuesOf, type OrganisationValues } from "../../components/organisations/OrganisationForm";
import { MutationError, errorReason } from "../../components/grants/MutationError";
import { GrantRef } from "../../components/grants/GrantRef";
import { useEtagEdit } from "../../components/shared/forms";
import { Detail, Details, Empty, LoadError, LoadMore, PageHeader, Section } from "../../components/shared/ui";
import { PageLoader } from "../../components/PageLoader";
import { OrganisationGrants, OrganisationPeople } from "../../components/organisations/OrganisationContext";

const fieldLabels: Record<keyof OrganisationValues, string> = {
  displayName: "organisations:fields.displayName",
  shortName: "organisations:fields.shortName",
  kind: "organisations:fields.kind",
  countryCode: "organisations:fields.country",
  iatiIdentifier: "organisations:fields.iati",
  contactPerson: "organisations:fields.contactPerson",
  email: "organisations:fields.email",
  phone: "organisations:fields.phone",
  website: "organisations:fields.website",
  address: "organisations:fields.address",
};

export default function OrganisationPage() {
  const { id } = useParams<{ id: string }>();
  const name = `organisations/${id}`;
  const { t } = useTranslation(["organisations", "common"]);
  const fmt = useFormat();
  const countries = useCountries();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const phone = useMediaQuery("(max-width: 36em)");

  const q = useQuery(OrganisationService.method.getOrganisation, { name });
  const org = q.data?.organisation;

  // Editing: the record as it was when editing began, and the etag to send.
  const update = useMutation(OrganisationService.method.updateOrganisation);
  const edit = useEtagEdit<Organisation>({
    refetch: async () => (await q.refetch()).data?.organisation,
    reset: update.reset,
    changes: (was, now) => {
      const before = valuesOf(was);
      const after = valuesOf(now);
      return (Object.keys(fieldLabels) as (keyof OrganisationValues)[]).filter((k) => before[k] !== after[k]).map((k) => t(fieldLabels[k]));
    },
  });
  const base = edit.base;
  const changedMeanwhile = edit.changed ?? [];
  const save = (v: OrganisationValues, mask: string[]) => {
    if (mask.length === 0) {
      edit.stop();
      return;
    }
    update.mutate(
      { organisation: { name, etag: edit.etag, ...toMessage(v) }, updateMask: { paths: mask } },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("organisations:saved") });
          edit.stop();
        },
      },
    );
  };

  const [deleting, setDeleting] = useState(false);
  const del = useMutation(OrganisationService.method.deleteOrganisation);
  const confirmDelete = () =>
    del.mutate(
      { name, etag: org?.etag ?? "" },
      {
        onSuccess: () => {
          setDeleting(false);
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("organisations:deleted") });
          navigate("/organisations");
        },
      },
    );

  const projects = useInfiniteQuery(
    ProjectService.method.listProjects,
    { pageSize: 50, pageToken: "", organisation: name },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined, enabled: !!org },
  );
  const projectRows = projects.data?.pages.flatMap((p) => p.projects) ?? [];

  if (q.isLoading) return <PageLoader />;
  if (!org) {
    return (
      <>
        <PageHeader title={t("organisations:title")} back={{ href: "/organisations", label: t("organisations:title") }} />
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={org.displayName}
        back={{ href: "/organisations", label: t("organisations:title") }}
        subtitle={[org.shortName, countries.name(org.countryCode)].filter(Boolean).join(" · ")}
        badge={
          <Badge variant="light" size="lg">
            {enumLabel(t, "organisationKind", OrganisationKindSchema, org.kind)}
          </Badge>
        }
        actions={
          <>
            {org.callerCanReadHistory && (
              <Button component={Link} href={`/history/organisations/${id}`} variant="default">
                {t("common:actions.history")}
              </Button>
            )}
            {!base && (org.callerCanUpdate || org.callerCanDelete) && (
              <>
                {org.callerCanUpdate && <Button onClick={() => edit.start(org)}>{t("common:actions.edit")}</Button>}
                {org.callerCanDelete && (
                  <Button
                    color="red"
                    variant="outline"
                    onClick={() => {
                      del.reset();
                      setDeleting(true);
                    }}
                  >
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
          <Section title={t("organisations:editTitle")} id="edit">
            {changedMeanwhile.length > 0 && (
              <Alert color="blue" variant="light" mb="md" title={t("organisations:reloaded")}>
                {t("organisations:changedMeanwhile", { fields: changedMeanwhile.join(", ") })}
              </Alert>
            )}
            <OrganisationForm
              initial={base}
              submitLabel={t("common:actions.save")}
              pending={update.isPending}
              error={update.error}
              onSubmit={save}
              onCancel={edit.stop}
              onReload={() => void edit.reload()}
              reloading={edit.reloading}
            />
          </Section>
        ) : (
          <>
            <Section title={t("organisations:sections.details")} id="details">
              <Details>
                <Detail label={t("organisations:fields.displayName")}>{org.displayName}</Detail>
                <Detail label={t("organisations:fields.shortName")}>{org.shortName}</Detail>
                <Detail label={t("organisations:fields.kind")}>{enumLabel(t, "organisationKind", OrganisationKindSchema, org.kind)}</Detail>
                <Detail label={t("organisations:fields.country")}>
                  {org.countryCode && `${countries.name(org.countryCode)} (${org.countryCode})`}
                </Detail>
                <Detail label={t("organisations:fields.region")}>{enumLabel(t, "region", RegionSchema, org.region)}</Detail>
                <Detail label={t("organisations:fields.iati")}>
                  {org.iatiIdentifier && (
                    <Text span ff="monospace" size="sm">
                      {org.iatiIdentifier}
                    </Text>
                  )}
                </Detail>
                <Detail label={t("organisations:fields.created")}>{org.createTime && fmt.dateTime(timestampDate(org.createTime))}</Detail>
                <Detail label={t("organisations:fields.updated")}>{org.updateTime && fmt.dateTime(timestampDate(org.updateTime))}</Detail>
              </Details>
            </Section>

            <Section title={t("organisations:sections.contact")} id="contact">
              <Details>
                <Detail label={t("organisations:fields.contactPerson")}>{org.contact?.contactPerson}</Detail>
                <Detail label={t("organisations:fields.email")}>
                  {org.contact?.email && <Anchor href={`mailto:${org.contact.email}`}>{org.contact.email}</Anchor>}
                </Detail>
                <Detail label={t("organisations:fields.phone")}>
                  {org.contact?.phone && <Anchor href={`tel:${org.contact.phone.replace(/\s+/g, "")}`}>{org.contact.phone}</Anchor>}
                </Detail>
                <Detail label={t("organisations:fields.website")}>
                  {org.contact?.website && (
                    <Anchor href={org.contact.website} target="_blank" rel="noopener noreferrer">
                      {org.contact.website.replace(/^https?:\/\//, "")}
                    </Anchor>
                  )}
                </Detail>
                <Detail label={t("organisations:fields.address")}>
                  {org.contact?.address && (
                    <Text span size="sm" style={{ whiteSpace: "pre-line" }}>
                      {org.contact.address}
                    </Text>
                  )}
                </Detail>
              </Details>
            </Section>
          </>
        )}

        <OrganisationGrants organisation={name} />

        <Section title={t("organisations:sections.projects")} id="projects">
          {projects.error ? (
            <LoadError error={projects.error} onRetry={() => void projects.refetch()} />
          ) : projects.isLoading ? (
            <Empty>{t("common:loading")}</Empty>
          ) : projectRows.length === 0 ? (
            <Empty>{t("organisations:projects.empty")}</Empty>
          ) : (
            <>
              <Table.ScrollContainer minWidth={640} type="native">
                <Table verticalSpacing="xs" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr style={{ whiteSpace: "nowrap" }}>
                      <Table.Th scope="col">{t("organisations:projects.code")}</Table.Th>
                      <Table.Th scope="col" miw={220}>
                        {t("organisations:projects.title")}
                      </Table.Th>
                      <Table.Th scope="col">{t("organisations:projects.role")}</Table.Th>
                      <Table.Th scope="col">{t("organisations:projects.countries")}</Table.Th>
                      <Table.Th scope="col">{t("organisations:projects.grant")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {projectRows.map((p) => {
                      const role = p.participants.find((x) => x.organisation === name)?.role ?? 0;
                      return (
                        <Table.Tr key={p.name}>
                          <Table.Td>
                            <Anchor component={Link} href={`/${p.name}`} fz="sm" fw={500}>
                              {p.code || t("common:none")}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>{p.title}</Table.Td>
                          <Table.Td>{enumLabel(t, "participantRole", ParticipantRoleSchema, role)}</Table.Td>
                          <Table.Td>{p.countryCodes.map((c) => countries.name(c)).join(", ") || t("common:none")}</Table.Td>
                          <Table.Td>
                            <GrantRef name={p.grant} />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <LoadMore hasMore={projects.hasNextPage} loading={projects.isFetchingNextPage} onClick={() => void projects.fetchNextPage()} />
            </>
          )}
        </Section>

        <OrganisationPeople organisation={name} />
      </Stack>

      <Modal
        opened={deleting}
        onClose={() => setDeleting(false)}
        title={t("organisations:deleteDialog.title")}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{t("organisations:deleteDialog.body", { name: org.displayName })}</Text>
          <MutationError error={del.error} reasonsNs="organisations" onReload={() => void q.refetch().then(() => del.reset())} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setDeleting(false)} disabled={del.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button color="red" onClick={confirmDelete} loading={del.isPending} disabled={!!errorReason(del.error)}>
              {t("organisations:deleteDialog.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
