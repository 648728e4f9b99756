-- Organisations, framework agreements, grants, projects, milestones, and the
-- request ids that make creation idempotent. Portable SQL: runs unchanged on
-- SQLite and PostgreSQL. Calendar dates are TEXT "YYYY-MM-DD"; money is
-- BIGINT minor units of the row's currency; times are UTC TIMESTAMPs.

CREATE TABLE organisations (
    id              TEXT PRIMARY KEY,
    display_name    TEXT NOT NULL,
    search_name     TEXT NOT NULL,
    short_name      TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    country_code    TEXT NOT NULL,
    region          TEXT NOT NULL,
    iati_identifier TEXT,
    contact_person  TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    website         TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    create_time     TIMESTAMP NOT NULL,
    update_time     TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX organisations_iati_identifier_key ON organisations (iati_identifier);
--bun:split
CREATE INDEX organisations_display_name_idx ON organisations (display_name, id);
--bun:split
CREATE INDEX organisations_country_idx ON organisations (country_code);
--bun:split
CREATE INDEX organisations_region_idx ON organisations (region);

--bun:split
CREATE TABLE framework_agreements (
    id                   TEXT PRIMARY KEY,
    reference            TEXT NOT NULL,
    title                TEXT NOT NULL,
    donor_id             TEXT NOT NULL REFERENCES organisations (id),
    lead_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    signature_date       TEXT,
    start_date           TEXT NOT NULL,
    end_date             TEXT NOT NULL,
    currency_code        TEXT NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1,
    create_time          TIMESTAMP NOT NULL,
    update_time          TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX framework_agreements_reference_key ON framework_agreements (donor_id, reference);
--bun:split
CREATE INDEX framework_agreements_lead_idx ON framework_agreements (lead_organisation_id);

--bun:split
CREATE TABLE grants (
    id                      TEXT PRIMARY KEY,
    framework_agreement_id  TEXT REFERENCES framework_agreements (id),
    donor_id                TEXT NOT NULL REFERENCES organisations (id),
    lead_organisation_id    TEXT NOT NULL REFERENCES organisations (id),
    donor_reference         TEXT NOT NULL,
    title                   TEXT NOT NULL,
    currency_code           TEXT NOT NULL,
    start_date              TEXT NOT NULL,
    end_date                TEXT NOT NULL,
    total_eligible_costs    BIGINT NOT NULL,
    max_donor_contribution  BIGINT NOT NULL,
    co_financing_rate_bp    INTEGER NOT NULL,
    reporting_period_months INTEGER NOT NULL,
    interim_report_due_days INTEGER NOT NULL,
    final_report_due_months INTEGER NOT NULL,
    state                   TEXT NOT NULL,
    version                 BIGINT NOT NULL DEFAULT 1,
    create_time             TIMESTAMP NOT NULL,
    update_time             TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX grants_donor_reference_key ON grants (donor_id, donor_reference);
--bun:split
CREATE INDEX grants_framework_agreement_idx ON grants (framework_agreement_id);
--bun:split
CREATE INDEX grants_lead_idx ON grants (lead_organisation_id);

--bun:split
CREATE TABLE projects (
    id          TEXT PRIMARY KEY,
    grant_id    TEXT NOT NULL REFERENCES grants (id),
    code        TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    start_date  TEXT,
    end_date    TEXT,
    version     BIGINT NOT NULL DEFAULT 1,
    create_time TIMESTAMP NOT NULL,
    update_time TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX projects_grant_idx ON projects (grant_id, id);
--bun:split
-- A project's code, when it has one, is unique within its grant.
CREATE UNIQUE INDEX projects_grant_code_key ON projects (grant_id, code) WHERE code <> '';

--bun:split
CREATE TABLE project_countries (
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    country_code TEXT NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (project_id, country_code)
);
--bun:split
CREATE INDEX project_countries_country_idx ON project_countries (country_code);

--bun:split
CREATE TABLE project_participants (
    project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    role            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (project_id, organisation_id)
);
--bun:split
CREATE INDEX project_participants_organisation_idx ON project_participants (organisation_id);

--bun:split
CREATE TABLE milestones (
    id                          TEXT PRIMARY KEY,
    grant_id                    TEXT NOT NULL REFERENCES grants (id),
    project_id                  TEXT REFERENCES projects (id),
    kind                        TEXT NOT NULL,
    title                       TEXT NOT NULL DEFAULT '',
    period_start_date           TEXT,
    period_end_date             TEXT,
    due_date                    TEXT NOT NULL,
    responsible_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    generator_key               TEXT,
    edited                      BOOLEAN NOT NULL DEFAULT FALSE,
    submit_time                 TIMESTAMP,
    accept_time                 TIMESTAMP,
    version                     BIGINT NOT NULL DEFAULT 1,
    create_time                 TIMESTAMP NOT NULL,
    update_time                 TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX milestones_generator_key ON milestones (grant_id, generator_key);
--bun:split
CREATE INDEX milestones_due_idx ON milestones (due_date, id);
--bun:split
CREATE INDEX milestones_responsible_idx ON milestones (responsible_organisation_id, due_date);
--bun:split
CREATE INDEX milestones_project_idx ON milestones (project_id);

--bun:split
CREATE TABLE create_requests (
    method        TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    create_time   TIMESTAMP NOT NULL,
    PRIMARY KEY (method, request_id)
);
