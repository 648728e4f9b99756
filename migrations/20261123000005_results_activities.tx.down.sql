DROP TABLE activities;
--bun:split
DROP TABLE indicators;
--bun:split
DROP TABLE results;
