-- Failed sign-ins per account and per client address, kept 15 minutes, so that every process
-- serving the database throttles alike. Keys are "user:<username>" and "addr:<address>".
CREATE TABLE sign_in_failures (
    id TEXT PRIMARY KEY NOT NULL,
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_key_at ON sign_in_failures (key, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
