DROP TABLE audit_head;
--bun:split
DROP TABLE audit_events;
--bun:split
DROP TABLE sign_in_failures;
--bun:split
DROP TABLE user_links;
--bun:split
DROP TABLE api_tokens;
--bun:split
DROP TABLE sessions;
--bun:split
DROP TABLE membership_grants;
--bun:split
DROP TABLE memberships;
--bun:split
DROP TABLE users;
