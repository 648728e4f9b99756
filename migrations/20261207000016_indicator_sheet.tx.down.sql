DROP TABLE indicator_submissions;

--bun:split
ALTER TABLE indicators DROP COLUMN data_source;

--bun:split
ALTER TABLE indicators DROP COLUMN target_date;

--bun:split
ALTER TABLE indicators DROP COLUMN final_target;

--bun:split
ALTER TABLE indicators DROP COLUMN baseline_date;

--bun:split
ALTER TABLE indicators DROP COLUMN eu_corporate;

--bun:split
ALTER TABLE indicators DROP COLUMN eu_code;
