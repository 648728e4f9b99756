ALTER TABLE audit_head DROP COLUMN sealed_seq;
--bun:split
ALTER TABLE audit_head DROP COLUMN mac;
--bun:split
ALTER TABLE audit_events DROP COLUMN mac;
