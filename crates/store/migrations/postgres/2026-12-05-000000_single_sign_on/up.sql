-- Sign-in through the organisation's identity provider (OpenID Connect). A flow in progress is
-- kept server-side, tied to a browser cookie by the hash of its value, and used once.
CREATE TABLE sign_in_flows (
    token_hash TEXT PRIMARY KEY NOT NULL,
    audience TEXT NOT NULL,
    csrf_state TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- How each session's user proved who she is: a local password or the identity provider.
ALTER TABLE sessions ADD COLUMN identity_source TEXT NOT NULL DEFAULT 'local';

-- The same for every access-log entry. The chain hashes the column only where it is not
-- 'local', so the links written before it existed still verify.
ALTER TABLE access_log ADD COLUMN identity_source TEXT NOT NULL DEFAULT 'local';

-- A person signed in to her own pages (Min sida) through a national e-identification: apart
-- from staff sessions, so that no person session can ever reach a staff page.
CREATE TABLE person_sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    personnummer TEXT NOT NULL,
    display_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
