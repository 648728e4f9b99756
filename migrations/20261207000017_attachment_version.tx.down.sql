ALTER TABLE attachments DROP COLUMN version;
