// The boot script's requests are the app's own: same paths, and bodies the
// app's client serializes to the same JSON, so that the app picks up the
// answers instead of asking again.
import { describe, expect, test } from "vitest";
import { create, toJson } from "@bufbuild/protobuf";
import { AuthService, GetSessionRequestSchema } from "./gen/pactum/v1/auth_pb";
import { ListDueMilestonesRequestSchema, MilestoneService } from "./gen/pactum/v1/milestone_pb";
import { ListProjectsRequestSchema, ProjectService } from "./gen/pactum/v1/project_pb";
import { partnerHomeRequests, prefetchKey, sessionRequest } from "./boot";

const path = (m: { parent: { typeName: string }; name: string }) => `/${m.parent.typeName}/${m.name}`;

describe("boot script requests", () => {
  const org = "organisations/0192e0b8-aaaa-7bbb-8ccc-123456789abc";
  const r = partnerHomeRequests(org);

  test("paths are the services' methods", () => {
    expect(sessionRequest.path).toBe(path(AuthService.method.getSession));
    expect(r.due.path).toBe(path(MilestoneService.method.listDueMilestones));
    expect(r.projects.path).toBe(path(ProjectService.method.listProjects));
  });

  test("bodies are what the app's client sends", () => {
    const session = toJson(GetSessionRequestSchema, create(GetSessionRequestSchema, {}));
    const due = toJson(ListDueMilestonesRequestSchema, create(ListDueMilestonesRequestSchema, r.due.body));
    const projects = toJson(ListProjectsRequestSchema, create(ListProjectsRequestSchema, r.projects.body));
    expect(prefetchKey(sessionRequest.path, session)).toBe(prefetchKey(sessionRequest.path, sessionRequest.body));
    expect(prefetchKey(r.due.path, due)).toBe(prefetchKey(r.due.path, r.due.body));
    expect(prefetchKey(r.projects.path, projects)).toBe(prefetchKey(r.projects.path, r.projects.body));
  });

  test("keys ignore the order of fields, not their values", () => {
    expect(prefetchKey("/a", { x: 1, y: { b: 2, a: 1 } })).toBe(prefetchKey("/a", { y: { a: 1, b: 2 }, x: 1 }));
    expect(prefetchKey("/a", { x: 1 })).not.toBe(prefetchKey("/a", { x: 2 }));
    expect(prefetchKey("/a", { x: 1 })).not.toBe(prefetchKey("/b", { x: 1 }));
  });
});
