-- Uppföljning (Principer för samverkan och ekonomisk reglering §12): a year's follow-up plan and
-- chefsgruppen's decision on it, the report's summary and its final, locked form; the joint survey
-- of each vårdcentral and its municipality; the sample check of medical treatment plans.
CREATE TABLE follow_up_years (
    year INTEGER PRIMARY KEY NOT NULL,
    plan_decided_on TEXT,
    plan_decision TEXT NOT NULL DEFAULT '',
    plan_decided_by TEXT REFERENCES users (id),
    summary TEXT NOT NULL DEFAULT '',
    proposals TEXT NOT NULL DEFAULT '',
    finalised_at BIGINT,
    finalised_by TEXT REFERENCES users (id),
    final_report TEXT,
    version BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE follow_up_methods (
    id TEXT PRIMARY KEY NOT NULL,
    year INTEGER NOT NULL REFERENCES follow_up_years (year),
    position INTEGER NOT NULL,
    part INTEGER NOT NULL CHECK (part BETWEEN 1 AND 4),
    label TEXT NOT NULL,
    responsible TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done BOOLEAN,
    comment TEXT NOT NULL DEFAULT '',
    changed_at BIGINT NOT NULL,
    changed_by TEXT REFERENCES users (id),
    UNIQUE (year, position)
);

CREATE TABLE survey_pairs (
    id TEXT PRIMARY KEY NOT NULL,
    year INTEGER NOT NULL,
    health_centre_unit_id TEXT NOT NULL REFERENCES units (id),
    municipality TEXT NOT NULL,
    UNIQUE (year, health_centre_unit_id, municipality)
);

CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY NOT NULL,
    pair_id TEXT NOT NULL REFERENCES survey_pairs (id),
    variant TEXT NOT NULL,
    questionnaire TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('utkast', 'for-godkannande', 'inskickad')),
    answers TEXT NOT NULL,
    strengths TEXT NOT NULL DEFAULT '',
    improvements TEXT NOT NULL DEFAULT '',
    challenges TEXT NOT NULL DEFAULT '',
    region_participants TEXT NOT NULL DEFAULT '',
    municipality_participants TEXT NOT NULL DEFAULT '',
    drafting_side TEXT NOT NULL CHECK (drafting_side IN ('region', 'kommun')),
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL REFERENCES users (id),
    agreed_by TEXT REFERENCES users (id),
    submitted_at BIGINT,
    version BIGINT NOT NULL DEFAULT 0,
    UNIQUE (pair_id, variant)
);

CREATE TABLE sample_checks (
    id TEXT PRIMARY KEY NOT NULL,
    year INTEGER NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    seed BIGINT NOT NULL,
    per_party INTEGER NOT NULL,
    checklist TEXT NOT NULL,
    drawn_at BIGINT NOT NULL,
    drawn_by TEXT NOT NULL REFERENCES users (id)
);

CREATE TABLE sample_check_items (
    sample_id TEXT NOT NULL REFERENCES sample_checks (id),
    position INTEGER NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    plan_id TEXT NOT NULL REFERENCES treatment_plans (id),
    municipality TEXT NOT NULL,
    findings TEXT,
    note TEXT NOT NULL DEFAULT '',
    reviewed_at BIGINT,
    reviewed_by TEXT REFERENCES users (id),
    PRIMARY KEY (sample_id, position)
);
