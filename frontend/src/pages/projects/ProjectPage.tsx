// One project: what it is, its grant, countries, participating
// organisations and their roles, dates, and its milestones (with Submit and
// Accept for those who may), and links to its history, its results
// framework and its activities ("Log an activity" for those who may). The
// grant's coordinators edit it (only the fields they changed, with the
// etag), close it (its open milestones are cancelled with the reason),
// reopen it, delete it, and add, edit and cancel its milestones.
import { useConfirmedAction } from "../../components/shared/confirmedAction";
import { lazy, Suspense, useState } from "react";
import { Alert, Anchor, Badge, Button, Grid, Group, Paper, Skeleton, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { skipToken, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "wouter";
import { GrantService, GrantState } from "../../gen/pactum/v1/grant_pb";
import { MilestoneService } from "../../gen/pactum/v1/milestone_pb";
import { ParticipantRole, ParticipantRoleSchema, ProjectService, ProjectState, type Project } from "../../gen/pactum/v1/project_pb";
import { showToast } from "../../lib/toast";
import { useMilestoneDialogs } from "../../components/milestones/MilestoneDialogs";
import { projectValues, toProject, type ProjectValues } from "../../components/projects/ProjectForm";
import { ConfirmDialog } from "../../components/shared/ConfirmDialog";
import { useEtagEdit } from "../../components/shared/forms";
import { PageLoader } from "../../components/PageLoader";
import { enumLabel } from "../../lib/enums";
import { errorMessage } from "../../lib/errors";
import { useFormat } from "../../lib/format";
import { isPartner, useSession } from "../../lib/session";
import { DoneMessage, type Done } from "../../components/milestones/MilestoneActions";
import { MilestoneTable } from "../../components/milestones/MilestoneTable";
import { idOf } from "../../components/milestones/milestoneRules";
import { CountryNames, useCountryName } from "../../components/projects/Countries";
import { useOrganisations } from "../../components/projects/lookups";
import { ProjectCode } from "../../components/projects/ProjectCard";
import { RecordLink } from "../../components/projects/RecordLink";
import { ProjectResultsLinks } from "../../components/results/ResultsLinks";

const ProjectEditor = lazy(() => import("../../components/projects/ProjectEditor"));

type Step = "close" | "reopen" | "delete";

const fieldLabels: Record<keyof ProjectValues, string> = {
  code: "setup:project.fields.code",
  title: "setup:project.fields.title",
  description: "projects:description",
  countryCodes: "projects:countries",
  participants: "projects:participants",
  startDate: "grants:fields.startDate",
  endDate: "grants:fields.endDate",
  progressUpdateMonths: "contract:project.progressMonths",
};

const roleOrder: Record<number, number> = {
  [ParticipantRole.COORDINATOR]: 0,
  [ParticipantRole.CO_BENEFICIARY]: 1,
  [ParticipantRole.AFFILIATED_ENTITY]: 2,
  [ParticipantRole.ASSOCIATE]: 3,
  [ParticipantRole.CONTRACTOR]: 4,
  [ParticipantRole.FINANCIAL_SUPPORT_RECIPIENT]: 5,
};

export default function ProjectPage() {
  const { t } = useTranslation(["projects", "milestones", "setup", "grants", "contract"]);
  const f = useFormat();
  const { id } = useParams<{ id: string }>();
  const { user } = useSession();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const name = `projects/${id}`;
  const pq = useQuery(ProjectService.method.getProject, { name });
  const project = pq.data?.project;
  const gq = useQuery(GrantService.method.getGrant, project?.grant ? { name: project.grant } : skipToken);
  const grant = gq.data?.grant;
  const organisations = useOrganisations();
  const mq = useQuery(MilestoneService.method.listMilestones, { project: name, pageSize: 500 });
  const [done, setDone] = useState<Done | null>(null);
  const partner = isPartner(user);
  const milestoneDialogs = useMilestoneDialogs({ grant: project?.grant, project: name });

  // Editing: the project as it was when editing began, and its etag.
  const update = useMutation(ProjectService.method.updateProject);
  const edit = useEtagEdit<Project>({
    refetch: async () => (await pq.refetch()).data?.project,
    reset: update.reset,
    changes: (was, now) => {
      const before = projectValues(was);
      const after = projectValues(now);
      return (Object.keys(fieldLabels) as (keyof ProjectValues)[])
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => t(fieldLabels[k]));
    },
  });
  const save = (v: ProjectValues, mask: string[]) => {
    if (mask.length === 0) {
      edit.stop();
      return;
    }
    update.mutate(
      { project: { name, etag: edit.etag, ...toProject(v) }, updateMask: { paths: mask } },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("setup:project.saved") });
          edit.stop();
        },
      },
    );
  };

  // Close, reopen, delete: confirmed in a dialog.
  const [reason, setReason] = useState("");
  const closeP = useMutation(ProjectService.method.closeProject);
  const reopenP = useMutation(ProjectService.method.reopenProject);
  const delP = useMutation(ProjectService.method.deleteProject);
  const confirmed = useConfirmedAction<Step>({ close: closeP, reopen: reopenP, delete: delP });
  const { step, current, cancel } = confirmed;
  const open = (s: Step) => {
    setReason("");
    confirmed.open(s);
  };
  const confirm = () => {
    const req = { name, etag: project?.etag ?? "" };
    if (step === "close")
      closeP.mutate({ ...req, reason: reason.trim() || t("setup:project.defaultReason") }, { onSuccess: (res) => confirmed.done(t("setup:project.closed", { count: res.cancelledMilestones })) });
    if (step === "reopen") reopenP.mutate(req, { onSuccess: () => confirmed.done(t("setup:project.reopened")) });
    if (step === "delete")
      delP.mutate(req, {
        onSuccess: () => {
          confirmed.done(t("setup:project.deleted"));
          navigate(grant ? `/grants/${idOf(grant.name)}` : "/projects");
        },
      });
  };
  const countryName = useCountryName();

  if (pq.isPending) {
    return (
      <Stack gap="md" aria-busy="true">
        <Skeleton h={36} w="60%" />
        <Skeleton h={160} />
        <Skeleton h={220} />
      </Stack>
    );
  }
  if (!project) {
    return (
      <Stack gap="md">
        <Title order={2}>{t("project")}</Title>
        <Alert color="red" variant="light" role="alert">
          {errorMessage(pq.error, t)}
        </Alert>
        <Anchor component={Link} href="/projects" c="teal.9">
          {partner ? t("backPartner") : t("back")}
        </Anchor>
      </Stack>
    );
  }

  const participants = [...project.participants].sort((a, b) => (roleOrder[a.role] ?? 9) - (roleOrder[b.role] ?? 9));
  const milestones = mq.data?.milestones ?? [];
  const closed = project.state === ProjectState.CLOSED;
  const manage = project.callerCanUpdate && grant?.state !== GrantState.CLOSED;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Anchor component={Link} href="/projects" c="teal.9" size="sm">
          ← {partner ? t("backPartner") : t("back")}
        </Anchor>
        <Group justify="space-between" align="flex-end" gap="sm" wrap="nowrap">
          <Stack gap={6} style={{ minWidth: 0 }}>
            <div>
              <ProjectCode code={project.code} />
            </div>
            <Group gap="sm" align="center">
              <Title order={2} style={{ overflowWrap: "break-word" }}>
                {project.title}
              </Title>
              {closed && (
                <Badge color="dark" variant="light" size="lg">
                  {t("setup:project.state.CLOSED")}
                </Badge>
              )}
            </Group>
          </Stack>
          <Group gap="xs" justify="flex-end" style={{ flexShrink: 1 }}>
            {project.callerCanReadHistory && (
              <Button component={Link} href={`/history/projects/${id}`} variant="default" size="sm" style={{ flexShrink: 0 }}>
                {t("common:actions.history")}
              </Button>
            )}
            {manage && !edit.base && (
              <>
                {!closed && (
                  <Button size="sm" onClick={() => edit.start(project)}>
                    {t("common:actions.edit")}
                  </Button>
                )}
                {closed ? (
                  <Button size="sm" color="teal" variant="outline" onClick={() => open("reopen")}>
                    {t("setup:project.reopen")}
                  </Button>
                ) : (
                  <Button size="sm" color="dark" variant="outline" onClick={() => open("close")}>
                    {t("setup:project.close")}
                  </Button>
                )}
                <Button size="sm" color="red" variant="outline" onClick={() => open("delete")}>
                  {t("common:actions.delete")}
                </Button>
              </>
            )}
          </Group>
        </Group>
        <Group gap="xs" wrap="wrap" mt={4}>
          <ProjectResultsLinks project={project} />
        </Group>
      </Stack>

      {closed && (
        <Alert color="gray" variant="light" title={t("setup:project.closedTitle")}>
          {t("setup:project.closedBody", { date: project.closeTime ? f.dateTime(timestampDate(project.closeTime)) : "" })}
        </Alert>
      )}

      {edit.base ? (
        <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-label={t("setup:project.editTitle")}>
          <Title order={3} size="h4" mb="sm">
            {t("setup:project.editTitle")}
          </Title>
          {(edit.changed ?? []).length > 0 && (
            <Alert color="blue" variant="light" mb="md" title={t("grants:reloaded")}>
              {t("grants:changedMeanwhile", { fields: (edit.changed ?? []).join(", ") })}
            </Alert>
          )}
          <Suspense fallback={<PageLoader />}>
            <ProjectEditor
              grant={grant}
              initial={edit.base}
              submitLabel={t("common:actions.save")}
              pending={update.isPending}
              error={update.error}
              onSubmit={save}
              onCancel={edit.stop}
              onReload={() => void edit.reload()}
              reloading={edit.reloading}
            />
          </Suspense>
        </Paper>
      ) : (
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder radius="md" p="md" h="100%">
            <Stack gap="md">
              <div>
                <Title order={3} size="h5" mb={4}>
                  {t("description")}
                </Title>
                <Text style={{ whiteSpace: "pre-wrap" }}>{project.description || t("noDescription")}</Text>
              </div>
              <dl style={{ margin: 0, display: "grid", gridTemplateColumns: "minmax(120px, max-content) 1fr", gap: "8px 16px" }}>
                <Text component="dt" size="sm" c="gray.7">
                  {t("grant")}
                </Text>
                <Text component="dd" size="sm" m={0}>
                  {grant ? (
                    <>
                      <RecordLink href={`/grants/${idOf(grant.name)}`} size="sm" fw={600}>
                        {grant.title}
                      </RecordLink>
                      {grant.donorReference && (
                        <Text span size="sm" c="gray.7">
                          {" "}
                          ({grant.donorReference})
                        </Text>
                      )}
                    </>
                  ) : gq.isPending && project.grant ? (
                    t("common:loading")
                  ) : (
                    t("common:none")
                  )}
                </Text>
                <Text component="dt" size="sm" c="gray.7">
                  {t("countries")}
                </Text>
                <Text component="dd" size="sm" m={0}>
                  {project.countryCodes.length ? <CountryNames codes={project.countryCodes} /> : t("common:none")}
                </Text>
                <Text component="dt" size="sm" c="gray.7">
                  {t("dates")}
                </Text>
                <Text component="dd" size="sm" m={0}>
                  {project.startDate || project.endDate
                    ? `${f.date(project.startDate) || "…"} – ${f.date(project.endDate) || "…"}`
                    : grant
                      ? t("grantPeriod", { start: f.date(grant.startDate), end: f.date(grant.endDate) })
                      : t("common:none")}
                </Text>
                {project.progressUpdateMonths > 0 && (
                  <Text component="dd" size="sm" m={0} c="gray.7" style={{ gridColumn: "1 / -1" }}>
                    {t("progressEvery", { count: project.progressUpdateMonths })}
                  </Text>
                )}
              </dl>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder radius="md" p="md" h="100%" component="section" aria-labelledby="project-participants">
            <Title order={3} size="h5" mb="sm" id="project-participants">
              {t("participants")}
            </Title>
            {participants.length === 0 ? (
              <Text size="sm">{t("common:none")}</Text>
            ) : (
              <Table verticalSpacing={6} horizontalSpacing={0} withRowBorders>
                <Table.Thead style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>
                  <Table.Tr>
                    <Table.Th scope="col">{t("organisation")}</Table.Th>
                    <Table.Th scope="col">{t("role")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {participants.map((p) => {
                    const org = organisations.get(p.organisation);
                    return (
                      <Table.Tr key={p.organisation}>
                        <Table.Td pr="sm">
                          {org ? (
                            <>
                              <RecordLink href={`/organisations/${idOf(org.name)}`} size="sm" fw={500}>
                                {org.displayName}
                              </RecordLink>
                              {org.shortName && (
                                <Text size="xs" c="gray.7">
                                  {org.shortName}
                                </Text>
                              )}
                            </>
                          ) : (
                            <Text size="sm" c="gray.7">
                              {organisations.isPending ? t("common:loading") : t("notShared")}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td style={{ textAlign: "end" }}>
                          <Text
                            size="sm"
                            fw={p.role === ParticipantRole.COORDINATOR ? 600 : 400}
                            c={p.role === ParticipantRole.COORDINATOR ? "dark" : "gray.7"}
                            title={t(`common:participantRoleHint.${ParticipantRoleSchema.values.find((v) => v.number === p.role)?.localName ?? ""}`)}
                            data-testid="participant-role"
                          >
                            {enumLabel(t, "participantRole", ParticipantRoleSchema, p.role)}
                          </Text>
                          <Text size="xs" c="gray.7">
                            {[p.countryCode ? countryName(p.countryCode) : "", p.budgetShare && grant ? f.money(p.budgetShare, grant.currencyCode) : ""]
                              .filter(Boolean)
                              .join(" · ")}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
      )}

      <Stack gap="sm" component="section" aria-labelledby="project-milestones">
        <Group justify="space-between" gap="xs">
          <Title order={3} id="project-milestones">
            {t("milestones")}
          </Title>
          {manage && !closed && (
            <Button size="xs" variant="light" onClick={milestoneDialogs.add}>
              {t("setup:milestone.add")}
            </Button>
          )}
        </Group>
        <DoneMessage done={done} onClose={() => setDone(null)} />
        {mq.error && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(mq.error, t)}
          </Alert>
        )}
        {mq.isPending ? (
          <Skeleton h={140} />
        ) : milestones.length === 0 ? (
          <Text>{t("noMilestones")}</Text>
        ) : (
          <MilestoneTable
            milestones={milestones}
            names={{ organisation: organisations.get }}
            onDone={setDone}
            showProject={false}
            showWhere={false}
            caption={t("milestones")}
            manage={manage && !closed ? milestoneDialogs.actions : undefined}
          />
        )}
      </Stack>
      {milestoneDialogs.dialogs}
      <ConfirmDialog
        opened={!!step}
        onClose={cancel}
        title={step ? t(`setup:project.dialogs.${step}.title`) : ""}
        body={step ? t(`setup:project.dialogs.${step}.body`, { title: project.title }) : ""}
        confirmLabel={step ? t(`setup:project.dialogs.${step}.confirm`) : ""}
        color={step === "delete" ? "red" : step === "close" ? "dark" : "teal"}
        onConfirm={confirm}
        pending={current.isPending}
        error={current.error}
        reasonsNs="setup"
        onReload={() => void pq.refetch().then(() => current.reset())}
      >
        {step === "close" && (
          <Textarea
            label={t("setup:project.dialogs.close.reason")}
            description={t("setup:project.dialogs.close.reasonHelp", { fallback: t("setup:project.defaultReason") })}
            autosize
            minRows={2}
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
        )}
      </ConfirmDialog>
    </Stack>
  );
}
