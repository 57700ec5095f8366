-- Avslut by both parties: one party proposes ending the care and the other confirms or declines.
-- While a proposal waits the care goes on: the case stays `pagaende`, and `case_proposals` says
-- which side proposed (a decision proposal uses the same table, with its outcome). Each closure
-- proposal keeps its content (why, where the person turns next time, information passed on) and
-- its answer.
CREATE TABLE case_proposals (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES care_requests (id),
    side TEXT NOT NULL CHECK (side IN ('avsandare', 'mottagare')),
    outcome TEXT CHECK (outcome IN ('inskriven', 'ej_inskriven'))
);
CREATE TABLE closure_proposals (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    proposed_at BIGINT NOT NULL,
    proposed_by TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    reason TEXT NOT NULL,
    next_contact TEXT NOT NULL,
    handover TEXT NOT NULL,
    answer TEXT CHECK (answer IN ('bekraftat', 'avbojt')),
    answered_at BIGINT,
    answered_by TEXT REFERENCES users (id),
    answered_unit_id TEXT REFERENCES units (id),
    answer_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX closure_proposals_case_id ON closure_proposals (case_id);
