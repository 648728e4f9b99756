-- The version of a grant's pre-financing plan (grant_prefinancing_plan), so
-- that finance staff editing it at the same time do not overwrite each
-- other's changes unseen: its etag. No row: the plan as the contract's
-- import left it (version 0).
CREATE TABLE prefinancing_plans (
    grant_id    TEXT PRIMARY KEY REFERENCES grants (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL DEFAULT 1,
    update_time TIMESTAMP NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT ''
);
