// Projects: code, title, grant, countries (by name, in the user's language)
// and coordinating organisation, filtered by grant and country. Partners see
// only their organisation's projects (the server scopes the list) under the
// title "My projects". Filters live in the address, so a filtered list can
// be bookmarked or shared.
import { Alert, Badge, Button, Group, Select, SimpleGrid, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "wouter";
import { ParticipantRole, ProjectService, ProjectState, type Project } from "../../gen/pactum/v1/project_pb";
import { isPartner, useSession } from "../../lib/session";
import { errorMessage } from "../../lib/errors";
import { idOf } from "../../components/milestones/milestoneRules";
import { useCountryName } from "../../components/projects/Countries";
import { useGrants, useOrganisations, useProjects } from "../../components/projects/lookups";
import { ProjectCard, ProjectCode, projectPath } from "../../components/projects/ProjectCard";
import { RecordLink } from "../../components/projects/RecordLink";

export default function Projects() {
  const { t } = useTranslation(["projects", "setup"]);
  const { user } = useSession();
  const partner = isPartner(user);
  const [params, setParams] = useSearchParams();
  const grant = params.get("grant") ?? "";
  const country = params.get("country") ?? "";
  const grants = useGrants();
  const organisations = useOrganisations();
  const all = useProjects();
  const countryName = useCountryName();
  const narrow = useMediaQuery("(max-width: 48em)", window.matchMedia("(max-width: 48em)").matches, { getInitialValueInEffect: false });

  const q = useInfiniteQuery(
    ProjectService.method.listProjects,
    { pageSize: 50, pageToken: "", grant: grant ? `grants/${grant}` : "", countryCode: country },
    { pageParamKey: "pageToken", getNextPageParam: (last) => last.nextPageToken || undefined },
  );
  const projects = q.data?.pages.flatMap((p) => p.projects) ?? [];

  const set = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const grantOptions = [...grants.list]
    .sort((a, b) => a.title.localeCompare(b.title))
    .map((g) => ({ value: idOf(g.name), label: g.donorReference ? `${g.title} (${g.donorReference})` : g.title }));
  const countryOptions = [...new Set(all.list.flatMap((p) => p.countryCodes).concat(country ? [country] : []))]
    .map((c) => ({ value: c, label: countryName(c) }))
    .sort((a, b) => a.label.localeCompare(b.label));

  const grantOf = (p: Project) => grants.get(p.grant);
  const coordinatorOf = (p: Project) => {
    const part = p.participants.find((x) => x.role === ParticipantRole.COORDINATOR);
    return part ? organisations.get(part.organisation) : undefined;
  };
  const filtered = grant !== "" || country !== "";
  // A partner with a handful of projects needs no filters.
  const showFilters = filtered || !partner || all.list.length > 3;

  return (
    <Stack gap="lg">
      <Title order={2}>{partner ? t("titlePartner") : t("title")}</Title>

      {showFilters && (
        <Group align="flex-end" gap="sm" role="search" aria-label={t("filters")}>
          <Select
            label={t("filterGrant")}
            placeholder={t("anyGrant")}
            data={grantOptions}
            value={grant || null}
            onChange={(v) => set("grant", v)}
            clearable
            searchable
            nothingFoundMessage={t("nothingFound")}
            w={{ base: "100%", sm: 340 }}
          />
          <Select
            label={t("filterCountry")}
            placeholder={t("anyCountry")}
            data={countryOptions}
            value={country || null}
            onChange={(v) => set("country", v)}
            clearable
            searchable
            nothingFoundMessage={t("nothingFound")}
            w={{ base: "100%", sm: 240 }}
          />
          {filtered && (
            <Button variant="default" onClick={() => setParams({}, { replace: true })}>
              {t("common:actions.clear")}
            </Button>
          )}
        </Group>
      )}

      {q.error && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(q.error, t)}
        </Alert>
      )}

      {q.isPending ? (
        <Stack gap="xs" aria-busy="true">
          <Skeleton h={40} />
          <Skeleton h={40} />
          <Skeleton h={40} />
        </Stack>
      ) : projects.length === 0 ? (
        <Text>{filtered ? t("noneMatch") : partner ? t("noneForPartner") : t("none")}</Text>
      ) : (
        <>
          <Text size="sm" c="gray.7" aria-live="polite">
            {t("count", { count: projects.length, more: q.hasNextPage ? "+" : "" })}
          </Text>
          {narrow ? (
            <SimpleGrid component="ul" cols={1} spacing="sm" p={0} m={0} style={{ listStyle: "none" }} aria-label={partner ? t("titlePartner") : t("title")}>
              {projects.map((p) => {
                const g = grantOf(p);
                const c = coordinatorOf(p);
                return (
                  <ProjectCard key={p.name} project={p}>
                    {p.state === ProjectState.CLOSED && (
                      <Badge color="dark" variant="light" size="sm">
                        {t("setup:project.state.CLOSED")}
                      </Badge>
                    )}
                    {g && (
                      <Text size="sm" c="gray.7" lineClamp={2}>
                        {t("columns.grant")}:{" "}
                        <RecordLink href={`/grants/${idOf(g.name)}`} size="sm">
                          {g.donorReference || g.title}
                        </RecordLink>
                      </Text>
                    )}
                    {c && (
                      <Text size="sm" c="gray.7">
                        {t("columns.coordinator")}: <Text span size="sm" c="dark">{c.displayName}</Text>
                      </Text>
                    )}
                  </ProjectCard>
                );
              })}
            </SimpleGrid>
          ) : (
            <Table.ScrollContainer minWidth={800}>
              <Table verticalSpacing="sm" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("columns.code")}</Table.Th>
                    <Table.Th scope="col">{t("columns.title")}</Table.Th>
                    <Table.Th scope="col">{t("columns.grant")}</Table.Th>
                    <Table.Th scope="col">{t("columns.countries")}</Table.Th>
                    <Table.Th scope="col">{t("columns.coordinator")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {projects.map((p) => {
                    const g = grantOf(p);
                    const c = coordinatorOf(p);
                    return (
                      <Table.Tr key={p.name}>
                        <Table.Td>
                          <ProjectCode code={p.code} />
                        </Table.Td>
                        <Table.Td maw={380}>
                          <RecordLink href={projectPath(p)} fw={600} size="sm">
                            {p.title}
                          </RecordLink>
                          {p.state === ProjectState.CLOSED && (
                            <Badge color="dark" variant="light" size="sm" ml="xs">
                              {t("setup:project.state.CLOSED")}
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td maw={280}>
                          {g ? (
                            <>
                              <RecordLink href={`/grants/${idOf(g.name)}`} size="sm">
                                {g.donorReference || g.title}
                              </RecordLink>
                              <Text size="xs" c="gray.7" lineClamp={1} title={g.title}>
                                {g.title}
                              </Text>
                            </>
                          ) : (
                            <Text size="sm">{t("common:none")}</Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{p.countryCodes.map(countryName).join(", ") || t("common:none")}</Text>
                        </Table.Td>
                        <Table.Td maw={260}>
                          <Text size="sm" lineClamp={2}>
                            {c ? c.displayName : t("common:none")}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {q.hasNextPage && (
            <Group>
              <Button variant="default" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
                {t("common:actions.more")}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
