ALTER TABLE expenditure_staging DROP COLUMN submitted_by;

--bun:split
ALTER TABLE expenditures DROP COLUMN submitted_by;

--bun:split
ALTER TABLE grants DROP COLUMN four_eyes;
