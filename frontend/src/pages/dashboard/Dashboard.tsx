// The home page, with two faces. Partner users get a small, light page:
// what their organisation must deliver in the next 60 days (with Submit for
// editors) and their projects. It is the first page a partner loads, often
// on a slow connection, so it stays lean: no charts, no date pickers, no
// tables. Everyone else gets the coordinators' dashboard, its own chunk.
import { Suspense, useState } from "react";
import { Alert, Anchor, Box, Group, Stack, Text, Title } from "@mantine/core";
import { callUnaryMethod, useTransport } from "@connectrpc/connect-query";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { MilestoneKind, MilestoneService, type Milestone } from "../../gen/pactum/v1/milestone_pb";
import { ProjectService, ParticipantRoleSchema, type Project } from "../../gen/pactum/v1/project_pb";
import { Role, type User } from "../../gen/pactum/v1/user_pb";
import { isPartner, partnerOrganisations, roles, useSession } from "../../lib/session";
import { enumLabel } from "../../lib/enums";
import { errorMessage } from "../../lib/errors";
import { PageLoader } from "../../components/PageLoader";
import { MilestoneActions, DoneMessage, type Done } from "../../components/milestones/MilestoneActions";
import { CardList, MilestoneCard } from "../../components/milestones/MilestoneCard";
import { ProjectCard } from "../../components/projects/ProjectCard";
import { partnerHomeRequests } from "../../boot";
import { lazyScreen } from "../../lib/lazyScreen";
import { PartnerWork } from "./PartnerWork";

const CoordinatorDashboard = lazyScreen(() => import("./CoordinatorDashboard"));
const FinanceHome = lazyScreen(() => import("./FinanceHome"), { ns: ["finance"] });

export default function Dashboard() {
  const { user } = useSession();
  if (!user) return null;
  if (isPartner(user)) return <PartnerHome user={user} />;
  // Finance staff start from what awaits them (expenditures to verify,
  // drafts, rates), above the grants' burn and deadlines everyone follows.
  if (roles(user).has(Role.FINANCE)) {
    return (
      <Stack gap="xl">
        <FinanceHome />
        <CoordinatorDashboard />
      </Stack>
    );
  }
  return <CoordinatorDashboard />;
}

// PartnerHome starts its requests before the translations of the page have
// arrived (the view below suspends until they have), so both travel at once.
// A partner user usually belongs to one organisation; with several, each is
// asked for and the answers merged.
function PartnerHome({ user }: { user: User }) {
  const transport = useTransport();
  const orgs = partnerOrganisations(user);
  const each = <T,>(call: (org: string, signal: AbortSignal) => Promise<T>) => (ctx: { signal: AbortSignal }) =>
    Promise.all(orgs.map((o) => call(o, ctx.signal)));
  // The same requests as the boot script's (src/boot.ts), which may have
  // sent them already.
  const due = useQuery({
    queryKey: ["partnerHome", "due", orgs],
    queryFn: each((o, signal) => callUnaryMethod(transport, MilestoneService.method.listDueMilestones, partnerHomeRequests(o).due.body, { signal })),
  });
  const projects = useQuery({
    queryKey: ["partnerHome", "projects", orgs],
    queryFn: each((o, signal) => callUnaryMethod(transport, ProjectService.method.listProjects, partnerHomeRequests(o).projects.body, { signal })),
  });

  const byName = <T extends { name: string }>(lists: T[][]) => {
    const m = new Map<string, T>();
    for (const l of lists) for (const x of l) m.set(x.name, x);
    return [...m.values()];
  };
  // Progress updates have their own section (PartnerWork), returned ones first.
  const milestones = byName((due.data ?? []).map((r) => r.milestones))
    .filter((m) => m.kind !== MilestoneKind.PARTNER_PROGRESS_UPDATE)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const projectList = byName((projects.data ?? []).map((r) => r.projects));

  return (
    <Suspense fallback={<PageLoader />}>
      <PartnerHomeView
        user={user}
        milestones={milestones}
        projects={projectList}
        loadingDue={due.isPending}
        loadingProjects={projects.isPending}
        error={due.error ?? projects.error ?? null}
        moreDue={(due.data ?? []).some((r) => !!r.nextPageToken)}
        moreProjects={(projects.data ?? []).some((r) => !!r.nextPageToken)}
      />
    </Suspense>
  );
}

interface ViewProps {
  user: User;
  milestones: Milestone[];
  projects: Project[];
  loadingDue: boolean;
  loadingProjects: boolean;
  error: unknown;
  moreDue: boolean;
  moreProjects: boolean;
}

function PartnerHomeView({ user, milestones, projects, loadingDue, loadingProjects, error, moreDue, moreProjects }: ViewProps) {
  const { t } = useTranslation(["dashboard", "milestones"]);
  const [done, setDone] = useState<Done | null>(null);
  const project = (name: string) => projects.find((p) => p.name === name);
  const orgs = new Set(partnerOrganisations(user));
  const editor = user.memberships.some((m) => m.role === Role.PARTNER_EDITOR);

  return (
    <Stack gap="xl" maw={960}>
      <div>
        <Title order={2}>{t("partner.title", { name: user.displayName })}</Title>
        <Text c="gray.7">{t("partner.intro")}</Text>
      </div>

      {error !== null && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(error, t)}
        </Alert>
      )}

      <PartnerWork user={user} />

      <Stack gap="sm" component="section" aria-labelledby="partner-due">
        <div>
          <Title order={3} id="partner-due">
            {t("partner.dueTitle")}
          </Title>
          <Text size="sm" c="gray.7">
            {editor ? t("partner.dueHelpEditor") : t("partner.dueHelpViewer")}
          </Text>
        </div>
        <DoneMessage done={done} onClose={() => setDone(null)} />
        {loadingDue ? (
          <Text c="gray.7" aria-busy="true">
            {t("common:loading")}
          </Text>
        ) : milestones.length === 0 ? (
          <Text>{t("partner.nothingDue")}</Text>
        ) : (
          <CardList label={t("partner.dueTitle")}>
            {milestones.map((m) => (
              <MilestoneCard
                key={m.name}
                milestone={m}
                names={{ project }}
                showResponsible={false}
                actions={<MilestoneActions milestone={m} onDone={setDone} />}
              />
            ))}
          </CardList>
        )}
        <Group gap="md">
          <Anchor component={Link} href="/milestones" c="teal.9" size="sm">
            {moreDue ? t("partner.moreMilestones") : t("partner.allMilestones")}
          </Anchor>
        </Group>
      </Stack>

      <Stack gap="sm" component="section" aria-labelledby="partner-projects">
        <Title order={3} id="partner-projects">
          {t("partner.projectsTitle")}
        </Title>
        {loadingProjects ? (
          <Text c="gray.7" aria-busy="true">
            {t("common:loading")}
          </Text>
        ) : projects.length === 0 ? (
          <Text>{t("partner.noProjects")}</Text>
        ) : (
          <Box
            component="ul"
            p={0}
            m={0}
            style={{ listStyle: "none", display: "grid", gap: "var(--mantine-spacing-sm)", gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 300px), 1fr))" }}
          >
            {projects.map((p) => {
              const roles = p.participants.filter((x) => orgs.has(x.organisation)).map((x) => enumLabel(t, "participantRole", ParticipantRoleSchema, x.role));
              return (
                <ProjectCard key={p.name} project={p}>
                  {roles.length > 0 && (
                    <Text size="sm" c="gray.7">
                      {t("partner.yourRole", { role: roles.join(", ") })}
                    </Text>
                  )}
                </ProjectCard>
              );
            })}
          </Box>
        )}
        {moreProjects && (
          <Anchor component={Link} href="/projects" c="teal.9" size="sm">
            {t("partner.moreProjects")}
          </Anchor>
        )}
      </Stack>
    </Stack>
  );
}
