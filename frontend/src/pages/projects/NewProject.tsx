// /grants/:id/projects/new: a coordinator adds a project to a grant, the
// grant's lead proposed as its coordinator. The request carries a
// request_id kept across retries of the same submission. On success: the
// project's page.
import { useMemo, useState } from "react";
import { Alert, Paper } from "@mantine/core";
import { create } from "@bufbuild/protobuf";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useLocation, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { GrantService, GrantState } from "../../gen/pactum/v1/grant_pb";
import { ParticipantRole, ProjectSchema, ProjectService } from "../../gen/pactum/v1/project_pb";
import { showToast } from "../../lib/toast";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { ProjectForm, toProject, type ProjectValues } from "../../components/projects/ProjectForm";
import { LoadError, PageHeader } from "../../components/shared/ui";
import { idOf, newRequestId } from "../../components/shared/requestId";
import { PageLoader } from "../../components/PageLoader";

export default function NewProject() {
  const { id } = useParams<{ id: string }>();
  const grantName = `grants/${id}`;
  const { t } = useTranslation(["setup", "projects", "grants", "common"]);
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [requestId] = useState(newRequestId);
  const q = useQuery(GrantService.method.getGrant, { name: grantName });
  const grant = q.data?.grant;
  const createProject = useMutation(ProjectService.method.createProject);
  const initial = useMemo(
    () => (grant ? create(ProjectSchema, { participants: [{ organisation: grant.leadOrganisation, role: ParticipantRole.COORDINATOR }] }) : undefined),
    [grant],
  );
  const submit = (v: ProjectValues) =>
    createProject.mutate(
      { project: { grant: grantName, ...toProject(v) }, requestId },
      {
        onSuccess: (res) => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("setup:project.created") });
          navigate(`/projects/${idOf(res.project?.name)}`, { replace: true });
        },
      },
    );
  const back = { href: `/grants/${id}`, label: grant?.title ?? t("projects:grant") };
  if (q.isLoading) return <PageLoader />;
  if (!grant) {
    return (
      <>
        <PageHeader title={t("setup:project.newTitle")} back={back} />
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      </>
    );
  }
  return (
    <>
      <PageHeader title={t("setup:project.newTitle")} subtitle={t("setup:project.newIntro", { grant: grant.donorReference || grant.title })} back={back} />
      {!grant.callerCanCreateProject || grant.state === GrantState.CLOSED ? (
        <Alert color="yellow" variant="light">
          {grant.state === GrantState.CLOSED ? t("grants:reasons.GRANT_CLOSED") : t("common:errors.permissionDenied")}
        </Alert>
      ) : (
        <Paper withBorder radius="md" p={{ base: "sm", sm: "lg" }} maw={980}>
          <DatesSetup>
            <ProjectForm
              grant={grant}
              initial={initial}
              submitLabel={t("setup:project.create")}
              pending={createProject.isPending}
              error={createProject.error}
              onSubmit={submit}
              onCancel={() => navigate(`/grants/${id}`)}
            />
          </DatesSetup>
        </Paper>
      )}
    </>
  );
}
