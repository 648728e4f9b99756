// /projects/:id/activities/new and /projects/:id/activities/:aid/edit: log
// an activity of a project, or change one. A new activity is created with a
// request_id (a retry over a flaky line creates it once) and its page
// follows, where photos and documents are added; a change sends only the
// fields that changed, with the etag (Reload after someone else's change
// takes the new etag and keeps what the user typed).
import { useMemo, useState } from "react";
import { Alert, Text } from "@mantine/core";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useLocation, useParams } from "wouter";
import { useTranslation } from "react-i18next";
import { ActivityService } from "../../gen/pactum/v1/activity_pb";
import { ProjectService } from "../../gen/pactum/v1/project_pb";
import { showToast } from "../../lib/toast";
import { LoadError, PageHeader, Section } from "../../components/shared/ui";
import { idOf, newRequestId } from "../../components/shared/requestId";
import { PageLoader } from "../../components/PageLoader";
import { ActivityForm } from "../../components/activities/ActivityForm";
import { activityMask, activityValues, toActivity, type ActivityValues } from "../../components/activities/activityValues";
import { Attachments } from "../../components/attachments/Attachments";

export default function ActivityEdit() {
  const { id, aid } = useParams<{ id: string; aid?: string }>();
  const projectName = `projects/${id}`;
  const name = aid ? `${projectName}/activities/${aid}` : "";
  const { t } = useTranslation(["activities", "common"]);
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const projectQ = useQuery(ProjectService.method.getProject, { name: projectName });
  const project = projectQ.data?.project;
  const activityQ = useQuery(ActivityService.method.getActivity, { name }, { enabled: !!aid });
  const activity = activityQ.data?.activity;

  const [requestId] = useState(newRequestId);
  const create = useMutation(ActivityService.method.createActivity);
  const update = useMutation(ActivityService.method.updateActivity);
  const [etag, setEtag] = useState<string>();
  const [reloading, setReloading] = useState(false);

  // The values editing began with; they stay put while the record reloads.
  const [base, setBase] = useState<ActivityValues>();
  const loaded = useMemo(() => {
    if (aid) return activity ? activityValues(activity) : undefined;
    return project ? activityValues(undefined, { countryCode: project.countryCodes.length === 1 ? project.countryCodes[0] : "" }) : undefined;
  }, [aid, activity, project]);
  // Kept once loaded (set while rendering: React renders again at once,
  // before anything is shown).
  if (loaded && !base) setBase(loaded);
  const start = base ?? loaded;

  const done = (activityName: string | undefined, message: string) => {
    void queryClient.invalidateQueries();
    showToast({ color: "teal", message });
    navigate(`/projects/${id}/activities/${idOf(activityName)}`);
  };
  const submit = (v: ActivityValues) => {
    if (!aid) {
      create.mutate({ parent: projectName, requestId, activity: toActivity(v) }, { onSuccess: (r) => done(r.activity?.name, t("activities:created")) });
      return;
    }
    const mask = activityMask(start!, v);
    if (mask.length === 0) {
      navigate(`/projects/${id}/activities/${aid}`);
      return;
    }
    update.mutate(
      { activity: { ...toActivity(v), name, etag: etag ?? activity?.etag ?? "" }, updateMask: { paths: mask } },
      { onSuccess: (r) => done(r.activity?.name, t("activities:saved")) },
    );
  };
  const reload = async () => {
    setReloading(true);
    try {
      const r = await activityQ.refetch();
      if (r.data?.activity) {
        setEtag(r.data.activity.etag);
        update.reset();
      }
    } finally {
      setReloading(false);
    }
  };

  const title = aid ? t("activities:editTitle") : t("activities:new");
  const back = aid
    ? { href: `/projects/${id}/activities/${aid}`, label: activity?.title || t("activities:activity") }
    : { href: `/projects/${id}`, label: project ? `${project.code} – ${project.title}` : t("activities:project") };

  if (projectQ.isPending || (aid && activityQ.isPending)) return <PageLoader />;
  if (!project || (aid && !activity)) {
    return (
      <>
        <PageHeader title={title} back={{ href: "/activities", label: t("activities:title") }} />
        <LoadError error={projectQ.error ?? activityQ.error} onRetry={() => void (projectQ.error ? projectQ.refetch() : activityQ.refetch())} />
      </>
    );
  }
  const allowed = project.callerCanLogActivities;
  return (
    <>
      <PageHeader title={title} back={back} subtitle={`${project.code} · ${project.title}`} />
      {!allowed && (
        <Alert color="orange" variant="light" mb="md">
          {t("activities:readOnlyHelp")}
        </Alert>
      )}
      <Section title={aid ? t("activities:form.editSection") : t("activities:form.newSection")} id="activity-form">
        {start && (
          <ActivityForm
            project={project}
            start={start}
            submitLabel={aid ? t("common:actions.save") : t("activities:form.create")}
            pending={create.isPending || update.isPending}
            error={aid ? update.error : create.error}
            onSubmit={submit}
            onCancel={() => navigate(back.href)}
            onReload={aid ? () => void reload() : undefined}
            reloading={reloading}
          />
        )}
      </Section>
      <div style={{ marginTop: "var(--mantine-spacing-md)" }}>
        <Section title={t("activities:attachments")} id="activity-attachments">
          {aid ? (
            <Attachments parent={name} editable={allowed} />
          ) : (
            <Text size="sm" c="dimmed">
              {t("activities:attachmentsAfterSave")}
            </Text>
          )}
        </Section>
      </div>
    </>
  );
}
