// /projects/:id/activities/:aid: one activity: what, when and where, who
// took part (by sex and by age group), the outputs and indicators it
// serves, its photos and documents, and an Edit button for those who may
// log the project's activities.
import { Badge, Button, Grid, List, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@connectrpc/connect-query";
import { Link, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ActivityService } from "../../gen/pactum/v1/activity_pb";
import { ProjectService } from "../../gen/pactum/v1/project_pb";
import { ResultsService } from "../../gen/pactum/v1/results_pb";
import { useFormat } from "../../lib/format";
import { Detail, Details, LoadError, PageHeader, Section } from "../../components/shared/ui";
import { PageLoader } from "../../components/PageLoader";
import { useCountries } from "../../components/organisations/countries";
import { typeLabel } from "../../components/activities/labels";
import { Attachments } from "../../components/attachments/Attachments";

export default function ActivityPage() {
  const { id, aid } = useParams<{ id: string; aid: string }>();
  const projectName = `projects/${id}`;
  const name = `${projectName}/activities/${aid}`;
  const { t } = useTranslation(["activities", "common"]);
  const fmt = useFormat();
  const countries = useCountries();
  const q = useQuery(ActivityService.method.getActivity, { name });
  const a = q.data?.activity;
  const projectQ = useQuery(ProjectService.method.getProject, { name: projectName });
  const project = projectQ.data?.project;
  const resultsQ = useQuery(ResultsService.method.listResults, { parent: projectName, pageSize: 1000 });
  const indicatorsQ = useQuery(ResultsService.method.listIndicators, { parent: projectName, pageSize: 1000 });

  if (q.isPending) return <PageLoader />;
  if (!a) {
    return (
      <>
        <PageHeader title={t("activities:activity")} back={{ href: "/activities", label: t("activities:title") }} />
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  }
  const label = (list: { name: string; code: string; title: string }[] | undefined, n: string) => {
    const x = list?.find((r) => r.name === n);
    return x ? (x.code ? `${x.code} – ${x.title}` : x.title) : n;
  };
  const p = a.participants;
  const editable = a.callerCanUpdate;
  const dates = a.endDate && a.endDate !== a.startDate ? `${fmt.date(a.startDate)} – ${fmt.date(a.endDate)}` : fmt.date(a.startDate);
  const ageTotal = a.participantsByAge.reduce((s, g) => s + g.count, 0);

  return (
    <>
      <PageHeader
        title={a.title}
        back={{ href: "/activities", label: t("activities:title") }}
        subtitle={project ? `${project.code} · ${project.title}` : undefined}
        badge={<Badge variant="light" color="teal">{typeLabel(t, a.type)}</Badge>}
        actions={
          editable && (
            <Button component={Link} href={`/projects/${id}/activities/${aid}/edit`}>
              {t("common:actions.edit")}
            </Button>
          )
        }
      />
      <Stack gap="md">
        <Section title={t("activities:sections.details")} id="activity-details">
          <Details>
            <Detail label={t("activities:fields.dates")}>{dates}</Detail>
            <Detail label={t("activities:fields.country")}>{a.countryCode ? countries.name(a.countryCode) : ""}</Detail>
            <Detail label={t("activities:fields.place")}>{a.place}</Detail>
          </Details>
          {a.description && (
            <Text size="sm" mt="md" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {a.description}
            </Text>
          )}
        </Section>

        <Section title={t("activities:form.participants")} id="activity-participants">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Table verticalSpacing={6} aria-label={t("activities:participants.bySex")}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("activities:participants.bySex")}</Table.Th>
                    <Table.Th scope="col" ta="end">
                      {t("activities:participants.count")}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(
                    [
                      ["women", p?.women ?? 0],
                      ["men", p?.men ?? 0],
                      ["other", p?.otherOrNotStated ?? 0],
                    ] as const
                  ).map(([k, n]) => (
                    <Table.Tr key={k}>
                      <Table.Td>{t(`activities:participants.${k}`)}</Table.Td>
                      <Table.Td ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                        {fmt.number(n)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                  <Table.Tr>
                    <Table.Th scope="row">{t("activities:participants.total")}</Table.Th>
                    <Table.Td ta="end" fw={700} style={{ fontVariantNumeric: "tabular-nums" }}>
                      {fmt.number(p?.total ?? 0)}
                    </Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              {a.participantsByAge.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("activities:participants.noAge")}
                </Text>
              ) : (
                <Table verticalSpacing={6} aria-label={t("activities:participants.byAge")}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t("activities:participants.byAge")}</Table.Th>
                      <Table.Th scope="col" ta="end">
                        {t("activities:participants.count")}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {a.participantsByAge.map((g) => (
                      <Table.Tr key={g.ageGroup}>
                        <Table.Td>{g.ageGroup}</Table.Td>
                        <Table.Td ta="end" style={{ fontVariantNumeric: "tabular-nums" }}>
                          {fmt.number(g.count)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                    <Table.Tr>
                      <Table.Th scope="row">{t("activities:participants.total")}</Table.Th>
                      <Table.Td ta="end" fw={700} style={{ fontVariantNumeric: "tabular-nums" }}>
                        {fmt.number(ageTotal)}
                      </Table.Td>
                    </Table.Tr>
                  </Table.Tbody>
                </Table>
              )}
            </Grid.Col>
          </Grid>
        </Section>

        <Section
          title={t("activities:form.serves")}
          id="activity-serves"
          actions={
            <Button component={Link} href={`/projects/${id}/results`} variant="subtle" size="compact-sm">
              {t("activities:resultsLink")}
            </Button>
          }
        >
          <Grid gap="md">
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
                {t("activities:fields.outputs")}
              </Text>
              {a.outputs.length === 0 ? (
                <Text size="sm">{t("common:none")}</Text>
              ) : (
                <List size="sm" spacing={4}>
                  {a.outputs.map((o) => (
                    <List.Item key={o}>{label(resultsQ.data?.results, o)}</List.Item>
                  ))}
                </List>
              )}
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4}>
                {t("activities:fields.indicators")}
              </Text>
              {a.indicators.length === 0 ? (
                <Text size="sm">{t("common:none")}</Text>
              ) : (
                <List size="sm" spacing={4}>
                  {a.indicators.map((o) => (
                    <List.Item key={o}>{label(indicatorsQ.data?.indicators, o)}</List.Item>
                  ))}
                </List>
              )}
            </Grid.Col>
          </Grid>
        </Section>

        <Section title={t("activities:attachments")} id="activity-attachments">
          <Attachments parent={name} editable={editable} />
        </Section>
      </Stack>
    </>
  );
}
