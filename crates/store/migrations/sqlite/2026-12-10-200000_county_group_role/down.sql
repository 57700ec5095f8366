PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_without_county_group (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('lakare', 'sjukskoterska', 'arbetsterapeut', 'fysioterapeut', 'enhetschef', 'samordnare', 'ekonom', 'logggranskare', 'administrator')),
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
INSERT INTO users_without_county_group SELECT * FROM users WHERE role <> 'lansgrupp';
DROP TABLE users;
ALTER TABLE users_without_county_group RENAME TO users;
CREATE INDEX users_unit_id ON users (unit_id);
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE UNIQUE INDEX users_hsa_id ON users (hsa_id);
COMMIT;
PRAGMA foreign_keys = ON;
