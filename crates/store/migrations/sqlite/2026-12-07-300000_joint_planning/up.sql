-- Gemensam planering: the joint planning with the person within a week of the decision, as the
-- step to `planerad` records it (when, where, who from each party, whether the person and
-- relatives took part, and why not).
CREATE TABLE joint_plannings (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES care_requests (id),
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    held_on TEXT NOT NULL,
    form TEXT NOT NULL CHECK (form IN ('hemma', 'digitalt', 'mottagning')),
    region_participants TEXT NOT NULL,
    municipality_participants TEXT NOT NULL,
    person_took_part BOOLEAN NOT NULL,
    relatives_took_part BOOLEAN NOT NULL,
    absence_reason TEXT NOT NULL
);
CREATE INDEX joint_plannings_case_id ON joint_plannings (case_id);
