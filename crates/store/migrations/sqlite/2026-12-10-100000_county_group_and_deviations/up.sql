-- Oenighet (Principer för samverkan och ekonomisk reglering §10): what is done for the person
-- while the parties disagree, a version for concurrent steps, and the report to the county group
-- with its guidance, its proposal and the day it reported the case to the chefsgrupp's
-- arbetsutskott.
ALTER TABLE disagreements ADD COLUMN interim_arrangement TEXT NOT NULL DEFAULT '';
ALTER TABLE disagreements ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE disagreement_county_reports (
    disagreement_id TEXT PRIMARY KEY NOT NULL REFERENCES disagreements (id),
    description TEXT NOT NULL,
    interpretations TEXT NOT NULL,
    cause TEXT NOT NULL,
    identity_attached BOOLEAN NOT NULL,
    reported_by TEXT NOT NULL REFERENCES users (id),
    reported_at BIGINT NOT NULL,
    guidance TEXT NOT NULL DEFAULT '',
    proposal TEXT NOT NULL DEFAULT '',
    guidance_by TEXT REFERENCES users (id),
    guidance_at BIGINT,
    reported_to_committee_on TEXT
);

-- Avvikelser i samverkan (Överenskommelse om samverkan … §8): reported by staff of one party, or
-- proposed by Samsyn from its own data (detected), addressed to a unit of the other party whose
-- manager answers; closed by the reporting unit.
CREATE TABLE deviations (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    description TEXT NOT NULL,
    case_id TEXT REFERENCES care_requests (id),
    reporting_unit_id TEXT NOT NULL REFERENCES units (id),
    reported_by TEXT REFERENCES users (id),
    reported_at BIGINT NOT NULL,
    addressed_unit_id TEXT NOT NULL REFERENCES units (id),
    detected BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('foreslagen', 'avfardad', 'rapporterad', 'besvarad', 'avslutad')),
    answer_due TEXT,
    dismissal_reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT REFERENCES users (id),
    decided_at BIGINT,
    investigation TEXT NOT NULL DEFAULT '',
    measures TEXT NOT NULL DEFAULT '',
    answered_by TEXT REFERENCES users (id),
    answered_at BIGINT,
    conclusion TEXT NOT NULL DEFAULT '',
    closed_by TEXT REFERENCES users (id),
    closed_at BIGINT,
    version BIGINT NOT NULL
);
CREATE INDEX deviations_reporting_unit_id ON deviations (reporting_unit_id);
CREATE INDEX deviations_addressed_unit_id ON deviations (addressed_unit_id);
CREATE INDEX deviations_case_id ON deviations (case_id);
CREATE UNIQUE INDEX deviations_detected_once ON deviations (case_id, kind) WHERE detected;
