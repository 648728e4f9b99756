-- The narrative report (issue 16): the EU's Annex VI narrative per grant and
-- reporting period, compiled from partners' approved progress updates, the
-- activity log and the results framework, and edited by the coordinator.
--
-- The language the grant reports in to the donor ("en", "fr", "es", "pt"):
-- the narrative report's default language.
ALTER TABLE grants ADD COLUMN reporting_language TEXT NOT NULL DEFAULT 'en';

--bun:split
-- A photo's caption and credit, and whether the people shown consented to
-- its publication: only photos with consent go into exports (union
-- activists and migrant workers are at real risk).
ALTER TABLE attachments ADD COLUMN caption TEXT NOT NULL DEFAULT '';

--bun:split
ALTER TABLE attachments ADD COLUMN credit TEXT NOT NULL DEFAULT '';

--bun:split
ALTER TABLE attachments ADD COLUMN consent BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split
-- Procurement contracts awarded under a grant (by the coordinator or a
-- beneficiary, organisation_id): the final narrative report lists those above
-- EUR 60,000. amount in minor units of the grant currency.
CREATE TABLE procurement_contracts (
    id              TEXT PRIMARY KEY,
    grant_id        TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    organisation_id TEXT REFERENCES organisations (id),
    reference       TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    contractor      TEXT NOT NULL,
    award_procedure TEXT NOT NULL DEFAULT '',
    award_date      TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1,
    create_time     TIMESTAMP NOT NULL,
    update_time     TIMESTAMP NOT NULL
);

--bun:split
CREATE INDEX procurement_contracts_grant_idx ON procurement_contracts (grant_id, award_date);

--bun:split
-- One narrative report per grant and reporting period (kind: interim, or
-- final for the grant's last period); state draft or submitted (locked,
-- with the date and who marked it).
CREATE TABLE narrative_reports (
    id           TEXT PRIMARY KEY,
    grant_id     TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    period       INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'draft',
    compile_time TIMESTAMP NOT NULL,
    submit_time  TIMESTAMP,
    submitted_by TEXT REFERENCES users (id),
    version      BIGINT NOT NULL DEFAULT 1,
    create_time  TIMESTAMP NOT NULL,
    update_time  TIMESTAMP NOT NULL,
    UNIQUE (grant_id, period)
);

--bun:split
-- A report's editable sections, in position order. key is stable across
-- compilations ("executive-summary", "outputs-{result}",
-- "partners-{organisation}", "cooperation", "visibility", "records");
-- subject_id the result or organisation a section is about.
-- compiled_text is what the last compilation produced; edited_text the
-- coordinator's text (NULL: not edited, the compiled text stands);
-- edit_base_text the compiled text the edit was made on, so that what
-- changed in the sources since can be shown. sources: JSON list of the
-- resource names the compiled text came from.
CREATE TABLE narrative_sections (
    report_id      TEXT NOT NULL REFERENCES narrative_reports (id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    subject_id     TEXT NOT NULL DEFAULT '',
    compiled_text  TEXT NOT NULL DEFAULT '',
    edited_text    TEXT,
    edit_base_text TEXT,
    sources        TEXT NOT NULL DEFAULT '[]',
    edited_by      TEXT REFERENCES users (id),
    edit_time      TIMESTAMP,
    version        BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (report_id, key)
);
