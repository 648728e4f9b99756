-- Idempotency records (internal/idem) are scoped to the caller and the
-- method, expire, keep the request's fingerprint (a reuse of a request_id for
-- a different request is refused) and may keep the first answer, sealed with
-- a key derived from the request_id. Rows are keyed by a digest of (caller,
-- method, request_id): the table holds no request_id. The old records,
-- scoped to the method only, are dropped: a retry in flight during the
-- upgrade creates again, as it would a day later.
DROP TABLE create_requests;

--bun:split
CREATE TABLE create_requests (
    key_hash      TEXT PRIMARY KEY,
    method        TEXT NOT NULL,
    caller_id     TEXT NOT NULL DEFAULT '',
    fingerprint   TEXT NOT NULL DEFAULT '',
    resource_name TEXT NOT NULL,
    response      TEXT NOT NULL DEFAULT '',
    create_time   TIMESTAMP NOT NULL,
    expire_time   TIMESTAMP NOT NULL
);

--bun:split
CREATE INDEX create_requests_expire_idx ON create_requests (expire_time);
