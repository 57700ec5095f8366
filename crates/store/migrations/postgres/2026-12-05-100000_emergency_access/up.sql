-- Nödåtkomst: a clinician without a care relation opened a person's cases, with a reason, until
-- a time the rule set fixed. Kept for the log review and the parties' notice on each case;
-- append-only like the access log.
CREATE TABLE emergency_accesses (
    id TEXT PRIMARY KEY NOT NULL,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    reason TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX emergency_accesses_patient ON emergency_accesses (patient_id, expires_at);
CREATE INDEX emergency_accesses_user ON emergency_accesses (user_id, expires_at);
CREATE FUNCTION emergency_accesses_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'emergency_accesses is append-only';
END;
$$;
CREATE TRIGGER emergency_accesses_no_update BEFORE UPDATE OR DELETE ON emergency_accesses
    FOR EACH ROW EXECUTE FUNCTION emergency_accesses_append_only();
CREATE TRIGGER emergency_accesses_no_truncate BEFORE TRUNCATE ON emergency_accesses
    FOR EACH STATEMENT EXECUTE FUNCTION emergency_accesses_append_only();

-- Every access-log entry made under an opening names it, so a reviewer sees the reason. The
-- chain hashes the column only where it is set, so older links still verify.
ALTER TABLE access_log ADD COLUMN emergency_access_id TEXT REFERENCES emergency_accesses (id);
