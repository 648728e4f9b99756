ALTER TABLE users DROP COLUMN email_digest;
--bun:split
ALTER TABLE users DROP COLUMN language;
--bun:split
DROP TABLE notifications;
--bun:split
DROP TABLE attachments;
--bun:split
DROP TABLE progress_update_comments;
--bun:split
DROP TABLE progress_updates;
