-- Partners in an EU action with their contractual role (PRAG): coordinator,
-- co-beneficiary (the old "implementing partner"), affiliated entity,
-- associate, contractor, recipient of financial support to third parties;
-- each with the country it works in and its share of the budget (minor
-- units of the grant currency, 0: not stated). Projects say how often their
-- partners send progress updates (months; quarterly by default).
UPDATE project_participants SET role = 'co_beneficiary' WHERE role = 'implementing_partner';

--bun:split
ALTER TABLE project_participants ADD COLUMN country_code TEXT NOT NULL DEFAULT '';

--bun:split
ALTER TABLE project_participants ADD COLUMN budget_share BIGINT NOT NULL DEFAULT 0;

--bun:split
ALTER TABLE projects ADD COLUMN progress_update_months INTEGER NOT NULL DEFAULT 3;

--bun:split
-- The Special Conditions' pre-financing schedule of a grant made from its
-- contract: the instalments foreseen (amount in minor units of the grant
-- currency, and the date foreseen). What was received is in
-- prefinancing_payments.
CREATE TABLE grant_prefinancing_plan (
    grant_id    TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    due_date    TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    PRIMARY KEY (grant_id, number)
);
