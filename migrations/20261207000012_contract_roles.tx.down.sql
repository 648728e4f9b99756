DROP TABLE grant_prefinancing_plan;

--bun:split
ALTER TABLE projects DROP COLUMN progress_update_months;

--bun:split
ALTER TABLE project_participants DROP COLUMN budget_share;

--bun:split
ALTER TABLE project_participants DROP COLUMN country_code;

--bun:split
-- The roles the older version knows: the new ones become the nearest.
UPDATE project_participants SET role = 'implementing_partner'
WHERE role IN ('co_beneficiary', 'affiliated_entity', 'contractor', 'financial_support_recipient');
