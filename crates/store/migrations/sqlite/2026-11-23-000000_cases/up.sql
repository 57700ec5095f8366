-- Cases (ärenden): events, assessments, decisions, home checks, action items, disagreements
-- and case messages. Keep in step with ../../postgres/.
CREATE TABLE case_events (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    note TEXT NOT NULL
);
CREATE INDEX case_events_case_id ON case_events (case_id);
CREATE INDEX case_events_user_id ON case_events (user_id);
CREATE INDEX case_events_unit_id ON case_events (unit_id);

CREATE TABLE assessments (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    party_side TEXT NOT NULL CHECK (party_side IN ('avsandare', 'mottagare')),
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    text TEXT NOT NULL
);
CREATE INDEX assessments_case_id ON assessments (case_id);
CREATE INDEX assessments_user_id ON assessments (user_id);
CREATE INDEX assessments_unit_id ON assessments (unit_id);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('inskriven', 'ej_inskriven', 'oenighet')),
    care_level TEXT NOT NULL,
    start_date TEXT,
    responsible_units TEXT NOT NULL,
    reason TEXT NOT NULL,
    joint_planning_due TEXT
);
CREATE INDEX decisions_case_id ON decisions (case_id);
CREATE INDEX decisions_user_id ON decisions (user_id);
CREATE INDEX decisions_unit_id ON decisions (unit_id);

CREATE TABLE home_checks (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    competence_ok BOOLEAN NOT NULL,
    equipment_ok BOOLEAN NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX home_checks_case_id ON home_checks (case_id);
CREATE INDEX home_checks_user_id ON home_checks (user_id);

CREATE TABLE action_items (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    owner_unit_id TEXT NOT NULL REFERENCES units (id),
    due TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    done_at BIGINT
);
CREATE INDEX action_items_case_id ON action_items (case_id);
CREATE INDEX action_items_owner_unit_id ON action_items (owner_unit_id);
CREATE INDEX action_items_created_by ON action_items (created_by);

-- Oenighet: a placeholder the escalation ladder (its own issue) will build on.
CREATE TABLE disagreements (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    opened_at BIGINT NOT NULL,
    opened_by TEXT NOT NULL REFERENCES users (id),
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('oppen', 'lost')),
    resolved_at BIGINT
);
CREATE INDEX disagreements_case_id ON disagreements (case_id);
CREATE INDEX disagreements_opened_by ON disagreements (opened_by);

CREATE TABLE case_messages (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    body TEXT NOT NULL
);
CREATE INDEX case_messages_case_id ON case_messages (case_id);
CREATE INDEX case_messages_user_id ON case_messages (user_id);
CREATE INDEX case_messages_unit_id ON case_messages (unit_id);

CREATE TABLE message_reads (
    message_id TEXT NOT NULL REFERENCES case_messages (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    read_at BIGINT NOT NULL,
    read_by TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (message_id, unit_id)
);
CREATE INDEX message_reads_unit_id ON message_reads (unit_id);
CREATE INDEX message_reads_read_by ON message_reads (read_by);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL REFERENCES case_messages (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX attachments_message_id ON attachments (message_id);

-- HSA-id (urn:oid:1.2.752.29.4.19) of units, for the FHIR interface.
ALTER TABLE units ADD COLUMN hsa_id TEXT;
CREATE UNIQUE INDEX units_hsa_id ON units (hsa_id);

-- Gemensam planering senast: set by a decision to enroll, cleared when planning is done.
ALTER TABLE care_requests ADD COLUMN planning_due TEXT;
