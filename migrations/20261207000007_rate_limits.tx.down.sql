CREATE TABLE sign_in_failures (
    id          TEXT PRIMARY KEY,
    account     TEXT NOT NULL,
    address     TEXT NOT NULL,
    create_time TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX sign_in_failures_account_idx ON sign_in_failures (account, create_time);
--bun:split
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, create_time);

--bun:split
DROP TABLE rate_limits;
