-- The access log names the user, unit, person and nödåtkomst opening as they were when the entry
-- was written; the hash chain, not a foreign key, is what guards an entry (as on PostgreSQL,
-- where each foreign key was a locking lookup per row). SQLite cannot drop a constraint, so the
-- table is rebuilt with its rows, indexes and append-only triggers, in SQLite's documented way:
-- with foreign keys off (so that dropping the old table leaves the sampled entries' reference
-- alone, which then names the rebuilt table), in a transaction of its own (metadata.toml), since
-- the setting cannot change inside one. Dropping a table fires no DELETE trigger, and the
-- chain's hashes cover the copied values unchanged.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE access_log_rebuilt (
    id TEXT PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    patient_id TEXT,
    action TEXT NOT NULL CHECK (action IN ('read', 'list', 'create', 'update', 'print', 'export')),
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('allowed', 'denied')),
    identity_source TEXT NOT NULL DEFAULT 'local',
    emergency_access_id TEXT
);
INSERT INTO access_log_rebuilt (id, at, user_id, unit_id, patient_id, action, object_type,
        object_id, outcome, identity_source, emergency_access_id)
    SELECT id, at, user_id, unit_id, patient_id, action, object_type, object_id, outcome,
        identity_source, emergency_access_id FROM access_log;
DROP TABLE access_log;
ALTER TABLE access_log_rebuilt RENAME TO access_log;
CREATE INDEX access_log_at ON access_log (at);
CREATE INDEX access_log_user_id ON access_log (user_id);
CREATE INDEX access_log_unit_id ON access_log (unit_id);
CREATE INDEX access_log_patient_id ON access_log (patient_id);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
COMMIT;
PRAGMA foreign_keys = ON;
