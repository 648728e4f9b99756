-- Four eyes: on a grant with four_eyes (the default), whoever recorded or
-- submitted an expenditure may not verify or reject it. submitted_by keeps
-- who last submitted it ('' for expenditures submitted before).
ALTER TABLE grants ADD COLUMN four_eyes BOOLEAN NOT NULL DEFAULT TRUE;

--bun:split
ALTER TABLE expenditures ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';

--bun:split
ALTER TABLE expenditure_staging ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';
