-- Back to the roles before the yearly follow-up.
DELETE FROM users WHERE role IN ('chefsgrupp', 'halsoval');
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_without_follow_up_roles (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('lakare', 'sjukskoterska', 'arbetsterapeut', 'fysioterapeut', 'enhetschef', 'samordnare', 'ekonom', 'logggranskare', 'administrator', 'lansgrupp')),
    unit_id TEXT NOT NULL REFERENCES units (id),
    identity_source TEXT NOT NULL CHECK (identity_source IN ('local', 'oidc')),
    external_subject TEXT,
    password_hash TEXT,
    disabled BOOLEAN NOT NULL,
    is_demo BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    hsa_id TEXT,
    CHECK (identity_source <> 'local' OR password_hash IS NOT NULL)
);
INSERT INTO users_without_follow_up_roles
    SELECT id, username, display_name, role, unit_id, identity_source, external_subject,
           password_hash, disabled, is_demo, created_at, version, hsa_id
    FROM users;
DROP TABLE users;
ALTER TABLE users_without_follow_up_roles RENAME TO users;
CREATE INDEX users_unit_id ON users (unit_id);
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE UNIQUE INDEX users_hsa_id ON users (hsa_id);
COMMIT;
PRAGMA foreign_keys = ON;
