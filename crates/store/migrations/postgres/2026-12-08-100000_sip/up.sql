-- SIP (samordnad individuell plan) on any track: when, who convened it, who took part, and the
-- next follow-up. The person's consent is a condition of recording one.
CREATE TABLE sips (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    held_on TEXT NOT NULL,
    convened_by TEXT NOT NULL,
    participants TEXT NOT NULL,
    next_follow_up TEXT
);
CREATE INDEX sips_case_id ON sips (case_id);
