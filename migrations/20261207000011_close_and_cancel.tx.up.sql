-- Closing and cancelling, kept with who and when (issue 14):
--   * a framework agreement is closed when no further grant is signed under
--     it (close_time set); its grants run on;
--   * a project is closed when its work is done (close_time set): it no
--     longer changes and gets no new milestones;
--   * a milestone is cancelled with its reason, by whom and when; it stays in
--     the history but is no longer due.
ALTER TABLE framework_agreements ADD COLUMN close_time TIMESTAMP;
--bun:split
ALTER TABLE framework_agreements ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE projects ADD COLUMN close_time TIMESTAMP;
--bun:split
ALTER TABLE projects ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE milestones ADD COLUMN cancel_time TIMESTAMP;
--bun:split
ALTER TABLE milestones ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE milestones ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE milestones ADD COLUMN cancelled_by_name TEXT NOT NULL DEFAULT '';
