-- A client's Idempotency-Key on a create, kept 24 hours: a retry gets the case the first call
-- created. Only a hash of the request is kept, never its content.
CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL REFERENCES users (id),
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    case_id TEXT REFERENCES care_requests (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
