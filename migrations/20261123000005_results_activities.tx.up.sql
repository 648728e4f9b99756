-- A project's results framework (overall objective -> specific objectives ->
-- outputs), the indicators that measure its results, and its activity log.
-- Lists (disaggregations, periods, age groups, served outputs and
-- indicators) are kept as JSON text, read and written whole with their row.
CREATE TABLE results (
    id               TEXT PRIMARY KEY,
    project_id       TEXT NOT NULL REFERENCES projects (id),
    grant_id         TEXT NOT NULL REFERENCES grants (id),
    level            TEXT NOT NULL,
    parent_result_id TEXT REFERENCES results (id),
    code             TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    version          BIGINT NOT NULL DEFAULT 1,
    create_time      TIMESTAMP NOT NULL,
    update_time      TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX results_project_idx ON results (project_id, code, id);
--bun:split
CREATE TABLE indicators (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL REFERENCES projects (id),
    grant_id        TEXT NOT NULL REFERENCES grants (id),
    result_id       TEXT NOT NULL REFERENCES results (id),
    code            TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    unit            TEXT NOT NULL DEFAULT '',
    type            TEXT NOT NULL,
    baseline        TEXT NOT NULL DEFAULT '',
    disaggregations TEXT NOT NULL DEFAULT '[]',
    periods         TEXT NOT NULL DEFAULT '[]',
    version         BIGINT NOT NULL DEFAULT 1,
    create_time     TIMESTAMP NOT NULL,
    update_time     TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX indicators_project_idx ON indicators (project_id, code, id);
--bun:split
CREATE INDEX indicators_grant_idx ON indicators (grant_id, code);
--bun:split
CREATE TABLE activities (
    id                  TEXT PRIMARY KEY,
    project_id          TEXT NOT NULL REFERENCES projects (id),
    grant_id            TEXT NOT NULL REFERENCES grants (id),
    title               TEXT NOT NULL,
    type                TEXT NOT NULL,
    start_date          TEXT NOT NULL,
    end_date            TEXT NOT NULL,
    country_code        TEXT NOT NULL DEFAULT '',
    place               TEXT NOT NULL DEFAULT '',
    women               INTEGER NOT NULL DEFAULT 0,
    men                 INTEGER NOT NULL DEFAULT 0,
    other_or_not_stated INTEGER NOT NULL DEFAULT 0,
    participants_by_age TEXT NOT NULL DEFAULT '[]',
    description         TEXT NOT NULL DEFAULT '',
    output_ids          TEXT NOT NULL DEFAULT '[]',
    indicator_ids       TEXT NOT NULL DEFAULT '[]',
    version             BIGINT NOT NULL DEFAULT 1,
    create_time         TIMESTAMP NOT NULL,
    update_time         TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX activities_project_idx ON activities (project_id, start_date, id);
--bun:split
CREATE INDEX activities_grant_idx ON activities (grant_id, start_date, id);
