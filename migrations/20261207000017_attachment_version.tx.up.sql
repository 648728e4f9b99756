-- The version of an attachment's caption, credit and consent: its etag, so
-- that a partner and a coordinator editing a photo's caption at the same
-- time do not overwrite each other's change unseen.
ALTER TABLE attachments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
