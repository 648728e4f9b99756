// Buttons to the results and activity screens, for the project and grant
// pages (whose own namespaces do not have these words): they load the
// "results" and "activities" translations themselves, behind their own
// Suspense, so the page around them does not wait.
import { Suspense } from "react";
import { Button } from "@mantine/core";
import { Link } from "wouter";
import { useTranslation } from "react-i18next";
import type { Project } from "../../gen/pactum/v1/project_pb";

const id = (name: string) => name.slice(name.lastIndexOf("/") + 1);

function ProjectButtons({ project }: { project: Project }) {
  const { t } = useTranslation(["results", "activities", "common"]);
  const p = id(project.name);
  return (
    <>
      <Button component={Link} href={`/projects/${p}/results`} variant="default" size="sm">
        {t("results:title")}
      </Button>
      <Button component={Link} href={`/activities?project=${p}`} variant="default" size="sm">
        {t("activities:projectActivities")}
      </Button>
      {project.callerCanLogActivities && (
        <Button component={Link} href={`/projects/${p}/activities/new`} size="sm">
          {t("activities:log")}
        </Button>
      )}
    </>
  );
}

export function ProjectResultsLinks({ project }: { project: Project }) {
  return (
    <Suspense fallback={null}>
      <ProjectButtons project={project} />
    </Suspense>
  );
}

function GrantButtons({ grant }: { grant: string }) {
  const { t } = useTranslation(["results", "common"]);
  const g = id(grant);
  return (
    <>
      <Button component={Link} href={`/grants/${g}/results`} variant="default">
        {t("results:rollup.title")}
      </Button>
      <Button component={Link} href={`/grants/${g}/progress`} variant="default">
        {t("common:nav.progressUpdates")}
      </Button>
    </>
  );
}

export function GrantResultsLinks({ grant }: { grant: string }) {
  return (
    <Suspense fallback={null}>
      <GrantButtons grant={grant} />
    </Suspense>
  );
}
