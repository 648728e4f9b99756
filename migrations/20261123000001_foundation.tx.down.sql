DROP TABLE create_requests;
--bun:split
DROP TABLE milestones;
--bun:split
DROP TABLE project_participants;
--bun:split
DROP TABLE project_countries;
--bun:split
DROP TABLE projects;
--bun:split
DROP TABLE grants;
--bun:split
DROP TABLE framework_agreements;
--bun:split
DROP TABLE organisations;
