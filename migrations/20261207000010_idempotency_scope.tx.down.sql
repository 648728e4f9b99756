DROP TABLE create_requests;

--bun:split
CREATE TABLE create_requests (
    method        TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    create_time   TIMESTAMP NOT NULL,
    PRIMARY KEY (method, request_id)
);
