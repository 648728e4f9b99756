-- Results out (issue 16, point 4): what the EU's results platform (OPSYS)
-- asks of an indicator, and the record of each time a grant's indicator
-- sheet was submitted there.
--
-- The EU corporate indicator code, or the grant's own (custom) code, and
-- which of the two it is.
ALTER TABLE indicators ADD COLUMN eu_code TEXT NOT NULL DEFAULT '';

--bun:split
ALTER TABLE indicators ADD COLUMN eu_corporate BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split
-- The date the baseline was measured, "YYYY-MM-DD" or empty.
ALTER TABLE indicators ADD COLUMN baseline_date TEXT NOT NULL DEFAULT '';

--bun:split
-- The final target (at the end of the action) and its date.
ALTER TABLE indicators ADD COLUMN final_target TEXT NOT NULL DEFAULT '';

--bun:split
ALTER TABLE indicators ADD COLUMN target_date TEXT NOT NULL DEFAULT '';

--bun:split
-- Where the values come from (attendance lists, surveys, ...).
ALTER TABLE indicators ADD COLUMN data_source TEXT NOT NULL DEFAULT '';

--bun:split
-- Each time a grant's indicator sheet was submitted to OPSYS: who recorded
-- it (the caller's resource name), when, and every row of the sheet as it was (JSON), never changed
-- afterwards: later values are compared with it.
CREATE TABLE indicator_submissions (
    id           TEXT PRIMARY KEY,
    grant_id     TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    submitted_by TEXT NOT NULL DEFAULT '',
    submit_time  TIMESTAMP NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    row_values   TEXT NOT NULL DEFAULT '[]'
);

--bun:split
CREATE INDEX indicator_submissions_grant_idx ON indicator_submissions (grant_id, submit_time);
