-- The audit trail's keyed MAC chain (HMAC-SHA256 with a key kept outside
-- the database): each event's MAC, the head's, and how far the events
-- written before the key existed were sealed.
ALTER TABLE audit_events ADD COLUMN mac TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE audit_head ADD COLUMN sealed_seq BIGINT NOT NULL DEFAULT 0;
