-- The rehabilitation process's plan (rehabiliteringsplan), written by the rehab team with the
-- person; every saving is a new version, and the prescriber's follow-ups refer to one.
CREATE TABLE rehab_plans (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    version BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    goals TEXT NOT NULL,
    interventions TEXT NOT NULL,
    performer TEXT NOT NULL,
    delegated_to TEXT NOT NULL,
    team TEXT NOT NULL,
    person_took_part BOOLEAN NOT NULL,
    absence_reason TEXT NOT NULL,
    prescriber TEXT NOT NULL,
    frequency TEXT NOT NULL,
    first_follow_up TEXT NOT NULL,
    UNIQUE (case_id, version)
);

CREATE TABLE rehab_follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    plan_id TEXT NOT NULL REFERENCES rehab_plans (id),
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    held_on TEXT NOT NULL,
    checked TEXT NOT NULL,
    outcome TEXT NOT NULL,
    next_due TEXT NOT NULL
);
CREATE INDEX rehab_follow_ups_case ON rehab_follow_ups (case_id);
