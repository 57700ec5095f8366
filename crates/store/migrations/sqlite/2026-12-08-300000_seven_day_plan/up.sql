-- Track 3: the hospital's plan for the first seven days after discharge (medication, checks,
-- rehabilitation, mobile team, readable in NPÖ), one per case; a new recording replaces it.
CREATE TABLE seven_day_plans (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES care_requests (id),
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    available_on TEXT NOT NULL,
    medication TEXT NOT NULL,
    checks TEXT NOT NULL,
    rehabilitation TEXT NOT NULL,
    mobile_team TEXT NOT NULL,
    readable_in_npo BOOLEAN NOT NULL
);
