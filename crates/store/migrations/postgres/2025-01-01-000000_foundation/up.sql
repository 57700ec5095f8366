-- Samsyn foundation schema (PostgreSQL). Keep in step with ../../sqlite/: the schema test compares them.
CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE units (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('vardcentral', 'sjukhusklinik', 'psykiatri', 'kommunal_hsl', 'kommunal_rehab')),
    party TEXT NOT NULL,
    phone TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
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
    CHECK (identity_source <> 'local' OR password_hash IS NOT NULL)
);
CREATE INDEX users_unit_id ON users (unit_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE patients (
    id TEXT PRIMARY KEY NOT NULL,
    personnummer TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    home_municipality TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE care_requests (
    id TEXT PRIMARY KEY NOT NULL,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    sender_unit_id TEXT NOT NULL REFERENCES units (id),
    receiver_unit_id TEXT NOT NULL REFERENCES units (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    state TEXT NOT NULL CHECK (state IN ('utkast', 'skickad', 'vidarebefordrad', 'kvitterad', 'under_bedomning', 'beslutad', 'planerad', 'pagaende', 'avslutad', 'aterkallad')),
    track TEXT NOT NULL CHECK (track IN ('primarvard', 'specialiserad', 'utskrivning', 'rehabilitering')),
    track_details TEXT NOT NULL,
    decision_outcome TEXT CHECK (decision_outcome IN ('inskriven', 'ej_inskriven', 'oenighet')),
    situation TEXT NOT NULL,
    background TEXT NOT NULL,
    current_assessment TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    fixed_doctor_name TEXT NOT NULL,
    fixed_doctor_phone TEXT NOT NULL,
    prescriber_name TEXT NOT NULL,
    prescriber_phone TEXT NOT NULL,
    care_contact_name TEXT NOT NULL,
    care_contact_phone TEXT NOT NULL,
    health_centre_name TEXT NOT NULL,
    health_centre_phone TEXT NOT NULL,
    rule_set TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT,
    sent_by TEXT REFERENCES users (id),
    acknowledgement_due TEXT,
    acknowledged_at BIGINT,
    acknowledged_by TEXT REFERENCES users (id),
    version BIGINT NOT NULL,
    CHECK ((state = 'utkast') = (sent_at IS NULL)),
    CHECK ((sent_at IS NULL) = (acknowledgement_due IS NULL)),
    CHECK (state NOT IN ('kvitterad', 'under_bedomning', 'beslutad', 'planerad', 'pagaende', 'avslutad') OR acknowledged_at IS NOT NULL),
    CHECK (state NOT IN ('utkast', 'skickad', 'vidarebefordrad') OR acknowledged_at IS NULL),
    CHECK ((state = 'beslutad') = (decision_outcome IS NOT NULL))
);
CREATE INDEX care_requests_patient_id ON care_requests (patient_id);
CREATE INDEX care_requests_sender_unit_id ON care_requests (sender_unit_id);
CREATE INDEX care_requests_receiver_unit_id ON care_requests (receiver_unit_id);
CREATE INDEX care_requests_created_by ON care_requests (created_by);
CREATE INDEX care_requests_sent_by ON care_requests (sent_by);
CREATE INDEX care_requests_acknowledged_by ON care_requests (acknowledged_by);

-- Loggning enligt patientdatalagen: append-only. No code path updates or deletes, and the
-- triggers below refuse it even from a database console.
CREATE TABLE access_log (
    id TEXT PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    patient_id TEXT REFERENCES patients (id),
    action TEXT NOT NULL CHECK (action IN ('read', 'create', 'update', 'print', 'export')),
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('allowed', 'denied'))
);
CREATE INDEX access_log_at ON access_log (at);
CREATE INDEX access_log_user_id ON access_log (user_id);
CREATE INDEX access_log_unit_id ON access_log (unit_id);
CREATE INDEX access_log_patient_id ON access_log (patient_id);

CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only';
END;
$$;
CREATE TRIGGER access_log_no_update BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
