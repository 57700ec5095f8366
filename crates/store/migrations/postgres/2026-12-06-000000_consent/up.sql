-- Samtycke: the person's consent to what the parties tell each other about the case, or the
-- recorded basis for sending without it; one per case, replaced while the request is a draft.
-- A withdrawal is written once and never undone.
CREATE TABLE case_consents (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES care_requests (id),
    kind TEXT NOT NULL CHECK (kind IN ('samtycke', 'grund')),
    given_by TEXT NOT NULL,
    way TEXT NOT NULL,
    given_on TEXT NOT NULL,
    basis TEXT NOT NULL,
    judged_by TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    withdrawn_by TEXT REFERENCES users (id),
    withdrawal_note TEXT
);
