-- Partners' progress updates and their comment threads, files attached to
-- activities and updates, and in-app notifications (the daily reminder
-- digest and the steps of the update workflow). Lists inside an update
-- (indicator values, activities) are kept as JSON text, read and written
-- whole with their row.
CREATE TABLE progress_updates (
    id               TEXT PRIMARY KEY,
    milestone_id     TEXT NOT NULL REFERENCES milestones (id),
    grant_id         TEXT NOT NULL REFERENCES grants (id),
    project_id       TEXT REFERENCES projects (id),
    organisation_id  TEXT NOT NULL REFERENCES organisations (id),
    state            TEXT NOT NULL,
    achievements     TEXT NOT NULL DEFAULT '',
    challenges       TEXT NOT NULL DEFAULT '',
    changes_to_plans TEXT NOT NULL DEFAULT '',
    lessons_learned  TEXT NOT NULL DEFAULT '',
    next_steps       TEXT NOT NULL DEFAULT '',
    indicator_values TEXT NOT NULL DEFAULT '[]',
    activity_ids     TEXT NOT NULL DEFAULT '[]',
    submission_count INTEGER NOT NULL DEFAULT 0,
    first_submit_time TIMESTAMP,
    submit_time      TIMESTAMP,
    return_time      TIMESTAMP,
    approve_time     TIMESTAMP,
    created_by       TEXT NOT NULL DEFAULT '',
    version          BIGINT NOT NULL DEFAULT 1,
    create_time      TIMESTAMP NOT NULL,
    update_time      TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX progress_updates_milestone_key ON progress_updates (milestone_id);
--bun:split
CREATE INDEX progress_updates_grant_idx ON progress_updates (grant_id, state);
--bun:split
CREATE INDEX progress_updates_organisation_idx ON progress_updates (organisation_id, state);
--bun:split
CREATE TABLE progress_update_comments (
    id                 TEXT PRIMARY KEY,
    progress_update_id TEXT NOT NULL REFERENCES progress_updates (id),
    kind               TEXT NOT NULL,
    body               TEXT NOT NULL,
    author_id          TEXT NOT NULL DEFAULT '',
    create_time        TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX progress_update_comments_update_idx ON progress_update_comments (progress_update_id, create_time, id);
--bun:split
-- owner is the resource name of what the file is attached to, e.g.
-- "progressUpdates/u1" or "projects/p1/activities/a1"; grant_id scopes it.
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    grant_id     TEXT NOT NULL REFERENCES grants (id),
    sha256       TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    create_time  TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX attachments_owner_idx ON attachments (owner, create_time, id);
--bun:split
-- digest_date is set for the daily digest only: one per user and day.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    digest_date TEXT,
    items       TEXT NOT NULL DEFAULT '[]',
    body        TEXT NOT NULL DEFAULT '',
    actor_id    TEXT NOT NULL DEFAULT '',
    read_time   TIMESTAMP,
    email_time  TIMESTAMP,
    create_time TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX notifications_digest_key ON notifications (user_id, digest_date);
--bun:split
CREATE INDEX notifications_user_idx ON notifications (user_id, create_time, id);
--bun:split
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE users ADD COLUMN email_digest BOOLEAN NOT NULL DEFAULT TRUE;
