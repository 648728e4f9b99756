DROP TABLE narrative_sections;

--bun:split
DROP TABLE narrative_reports;

--bun:split
DROP TABLE procurement_contracts;

--bun:split
ALTER TABLE attachments DROP COLUMN consent;

--bun:split
ALTER TABLE attachments DROP COLUMN credit;

--bun:split
ALTER TABLE attachments DROP COLUMN caption;

--bun:split
ALTER TABLE grants DROP COLUMN reporting_language;
