-- Users, their memberships (role per organisation, optionally limited to named
-- grants), sessions, personal API tokens, invitation and reset links, sign-in
-- failures for rate limiting, and the hash-chained audit trail.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    version       BIGINT NOT NULL DEFAULT 1,
    create_time   TIMESTAMP NOT NULL,
    update_time   TIMESTAMP NOT NULL
);
--bun:split
CREATE UNIQUE INDEX users_email_key ON users (email);

--bun:split
CREATE TABLE memberships (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id TEXT REFERENCES organisations (id),
    role            TEXT NOT NULL,
    position        INTEGER NOT NULL
);
--bun:split
CREATE INDEX memberships_user_idx ON memberships (user_id);
--bun:split
CREATE INDEX memberships_organisation_idx ON memberships (organisation_id);

--bun:split
CREATE TABLE membership_grants (
    membership_id TEXT NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    grant_id      TEXT NOT NULL REFERENCES grants (id),
    PRIMARY KEY (membership_id, grant_id)
);

--bun:split
CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    create_time    TIMESTAMP NOT NULL,
    expire_time    TIMESTAMP NOT NULL,
    last_seen_time TIMESTAMP NOT NULL,
    address        TEXT NOT NULL DEFAULT '',
    user_agent     TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX sessions_user_idx ON sessions (user_id);

--bun:split
CREATE TABLE api_tokens (
    id             TEXT PRIMARY KEY,
    token_hash     TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display_name   TEXT NOT NULL,
    create_time    TIMESTAMP NOT NULL,
    expire_time    TIMESTAMP NOT NULL,
    last_use_time  TIMESTAMP,
    revoke_time    TIMESTAMP
);
--bun:split
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
--bun:split
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

--bun:split
CREATE TABLE user_links (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    create_time TIMESTAMP NOT NULL,
    expire_time TIMESTAMP NOT NULL,
    use_time    TIMESTAMP
);
--bun:split
CREATE INDEX user_links_user_idx ON user_links (user_id);

--bun:split
CREATE TABLE sign_in_failures (
    id          TEXT PRIMARY KEY,
    account     TEXT NOT NULL,
    address     TEXT NOT NULL,
    create_time TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX sign_in_failures_account_idx ON sign_in_failures (account, create_time);
--bun:split
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, create_time);

--bun:split
CREATE TABLE audit_events (
    seq           BIGINT PRIMARY KEY,
    event_time    TIMESTAMP NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    resource      TEXT NOT NULL,
    grant_id      TEXT,
    changes       TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash          TEXT NOT NULL
);
--bun:split
CREATE INDEX audit_events_resource_idx ON audit_events (resource, seq);
--bun:split
CREATE INDEX audit_events_grant_idx ON audit_events (grant_id, seq);

--bun:split
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
--bun:split
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
