// Names of the records other records point to ("grants/…", "projects/…",
// "organisations/…"), from one list each (up to the API's page maximum of
// 1000), shared by every screen through the query cache. Lists are scoped
// by the server: a partner gets only what they may read.
import { useMemo } from "react";
import { useQuery } from "@connectrpc/connect-query";
import { GrantService, type Grant } from "../../gen/pactum/v1/grant_pb";
import { ProjectService, type Project } from "../../gen/pactum/v1/project_pb";
import { OrganisationService, type Organisation } from "../../gen/pactum/v1/organisation_pb";

const all = { pageSize: 1000 };

function index<T extends { name: string }>(items: T[] | undefined): Map<string, T> {
  return new Map((items ?? []).map((x) => [x.name, x]));
}

export function useGrants() {
  const q = useQuery(GrantService.method.listGrants, all);
  const byName = useMemo(() => index(q.data?.grants), [q.data]);
  return { ...q, list: q.data?.grants ?? [], byName, get: (name: string): Grant | undefined => byName.get(name) };
}

export function useProjects() {
  const q = useQuery(ProjectService.method.listProjects, all);
  const byName = useMemo(() => index(q.data?.projects), [q.data]);
  return { ...q, list: q.data?.projects ?? [], byName, get: (name: string): Project | undefined => byName.get(name) };
}

export function useOrganisations() {
  const q = useQuery(OrganisationService.method.listOrganisations, all);
  const byName = useMemo(() => index(q.data?.organisations), [q.data]);
  return { ...q, list: q.data?.organisations ?? [], byName, get: (name: string): Organisation | undefined => byName.get(name) };
}
