-- The access log's hash chain: each entry's link holds a SHA-256 over the entry's fields and the
-- previous link's hash, so a deleted, altered, inserted or reordered entry is found by
-- `samsyn audit verify`. The head is the newest link, kept in one row that serialises writers.
CREATE TABLE access_log_chain (
    seq BIGINT PRIMARY KEY NOT NULL,
    entry_id TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL
);
CREATE FUNCTION access_log_chain_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log_chain is append-only';
END;
$$;
CREATE TRIGGER access_log_chain_no_update BEFORE UPDATE OR DELETE ON access_log_chain
    FOR EACH ROW EXECUTE FUNCTION access_log_chain_append_only();
CREATE TRIGGER access_log_chain_no_truncate BEFORE TRUNCATE ON access_log_chain
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_chain_append_only();
CREATE TABLE access_log_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO access_log_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
