-- Medicinsk behandlingsplan: one plan per enrolled case in numbered versions. A version is a draft
-- until both parties have signed a whole plan (established_at); a change to an established plan
-- starts the next version, and every version stays.
CREATE TABLE treatment_plans (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL REFERENCES users (id),
    changed_unit_id TEXT NOT NULL REFERENCES units (id),
    region_doctor_name TEXT NOT NULL,
    region_doctor_phone TEXT NOT NULL,
    region_care_name TEXT NOT NULL,
    region_care_phone TEXT NOT NULL,
    municipality_care_name TEXT NOT NULL,
    municipality_care_phone TEXT NOT NULL,
    coordinator TEXT CHECK (coordinator IN ('avsandare', 'mottagare')),
    prognosis TEXT NOT NULL,
    deterioration TEXT NOT NULL,
    point_interventions TEXT NOT NULL,
    shared_responsibility BOOLEAN,
    action_plan TEXT NOT NULL,
    follow_up TEXT NOT NULL,
    frequency TEXT NOT NULL,
    first_follow_up TEXT,
    established_at BIGINT,
    UNIQUE (case_id, version)
);

-- Each party's signature of a version: the region's doctor, the municipality's nurse.
CREATE TABLE treatment_plan_signatures (
    plan_id TEXT NOT NULL REFERENCES treatment_plans (id),
    side TEXT NOT NULL CHECK (side IN ('avsandare', 'mottagare')),
    signed_at BIGINT NOT NULL,
    signed_by TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    PRIMARY KEY (plan_id, side)
);

-- Uppföljningar at the plan's frequency: what was checked, the outcome, and the next date.
CREATE TABLE plan_follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    plan_id TEXT NOT NULL REFERENCES treatment_plans (id),
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    held_on TEXT NOT NULL,
    checked TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('fortsatt', 'revidera', 'avslut')),
    next_due TEXT NOT NULL
);
CREATE INDEX plan_follow_ups_case_id ON plan_follow_ups (case_id);

-- The case's next follow-up: set when a version is established and by each follow-up, so that
-- lists and the header badge find what is due without reading every plan.
CREATE TABLE follow_up_due (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES care_requests (id),
    due_on TEXT NOT NULL
);
CREATE INDEX follow_up_due_due_on ON follow_up_due (due_on);
