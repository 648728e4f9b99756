-- Rate limits as counters that are claimed atomically: one row per bucket
-- (e.g. "sign_in_account:amina@example.org"), counting the attempts of the
-- window that ends at expire_time. A conditional upsert claims an attempt
-- before any work is done (a password check, a reset mail), so that
-- concurrent requests, on one server or several, cannot all slip under the
-- limit. They replace sign_in_failures, which was counted and then written
-- without a lock.

CREATE TABLE rate_limits (
    bucket      TEXT PRIMARY KEY,
    expire_time TIMESTAMP NOT NULL,
    used        INTEGER NOT NULL
);
--bun:split
CREATE INDEX rate_limits_expire_idx ON rate_limits (expire_time);

--bun:split
DROP TABLE sign_in_failures;
