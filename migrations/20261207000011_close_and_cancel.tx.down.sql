ALTER TABLE milestones DROP COLUMN cancelled_by_name;
--bun:split
ALTER TABLE milestones DROP COLUMN cancelled_by;
--bun:split
ALTER TABLE milestones DROP COLUMN cancel_reason;
--bun:split
ALTER TABLE milestones DROP COLUMN cancel_time;
--bun:split
ALTER TABLE projects DROP COLUMN closed_by;
--bun:split
ALTER TABLE projects DROP COLUMN close_time;
--bun:split
ALTER TABLE framework_agreements DROP COLUMN closed_by;
--bun:split
ALTER TABLE framework_agreements DROP COLUMN close_time;
